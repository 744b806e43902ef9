package de.scheincam.watchdog;

import java.util.Arrays;
import java.util.List;

import de.scheincam.core.Refusal;
import de.scheincam.ffmpeg.ProgramCall;
import de.scheincam.obs.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional end-of-night shutdown (e.g. {@code systemctl poweroff}), run through camel-exec at the
 * configured time, or now from the API. Never while recording unless forced; disabled when no command
 * is configured.
 */
public class ShutdownCommand {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownCommand.class);

    private final List<String> command;
    private final Recorder recorder;

    public ShutdownCommand(String command, Recorder recorder) {
        this.command = command == null || command.isBlank() ? List.of() : Arrays.asList(command.trim().split("\\s+"));
        this.recorder = recorder;
    }

    /** The program to run, or a refusal (a conflict) that says why not. */
    public ProgramCall call(Boolean force) {
        if (command.isEmpty()) {
            throw Refusal.conflict("No shutdown command is configured (scheincam.shutdown.command).");
        }
        if (recorder.isRecording() && !Boolean.TRUE.equals(force)) {
            throw Refusal.conflict("OBS is recording; send {\"force\": true} to shut down anyway.");
        }
        LOG.warn("Running the shutdown command {}", command);
        return new ProgramCall(command.get(0), command.subList(1, command.size()), 60_000);
    }
}
