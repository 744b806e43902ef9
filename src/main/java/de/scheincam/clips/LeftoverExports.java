package de.scheincam.clips;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffmpeg processes a killed run of the app left behind. A JVM killed with SIGKILL cannot stop its
 * children: their ffmpeg keeps cutting into {@code exports/<id>.part.mp4} for nobody, using the CPU the
 * next show's recording needs. At start, before the partial files are removed, every process whose
 * arguments name a partial export in this exports folder is stopped.
 */
public final class LeftoverExports {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverExports.class);

    private LeftoverExports() {
    }

    /** Stops them; returns how many there were. */
    public static int stop(Path exportsDir) {
        String prefix = exportsDir.toAbsolutePath().normalize() + "/";
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(args -> Arrays.stream(args)
                        .anyMatch(a -> a.startsWith(prefix) && a.endsWith(".part.mp4"))).orElse(false))
                .toList();
        for (ProcessHandle p : leftovers) {
            LOG.warn("Stopping ffmpeg (pid {}) left from an earlier run: {}", p.pid(), p.info().commandLine().orElse("?"));
            p.destroy();
        }
        for (ProcessHandle p : leftovers) {
            try {
                p.onExit().get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
        return leftovers.size();
    }
}
