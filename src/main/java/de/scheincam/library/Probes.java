package de.scheincam.library;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.ffmpeg.FfmpegBinaries;
import de.scheincam.ffmpeg.MediaInfo;
import de.scheincam.ffmpeg.ProgramCall;

/** ffprobe runs: the command line for a file, and its JSON answer read into {@link MediaInfo}. */
public class Probes {

    private static final long TIMEOUT_MILLIS = 60_000;

    private final FfmpegBinaries binaries;
    private final ObjectMapper json;

    public Probes(FfmpegBinaries binaries, ObjectMapper json) {
        this.binaries = binaries;
        this.json = json;
    }

    public ProgramCall call(String file) {
        return new ProgramCall(binaries.ffprobe(), List.of("-v", "error", "-print_format", "json",
                "-show_format", "-show_streams", Path.of(file).toString()), TIMEOUT_MILLIS);
    }

    public MediaInfo parse(String ffprobeOutput) {
        return MediaInfo.parse(json, ffprobeOutput);
    }
}
