package de.scheincam.monitoring;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import de.scheincam.ffmpeg.FfmpegBinaries;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: ffmpeg and ffprobe start and answer {@code -version} (a missing system library, e.g.
 * libpulse0, shows here rather than at the first performer's export). A success is remembered for a
 * while so that health polling does not start two programs each time; a failure is retried at once.
 */
public class FfmpegHealthCheck extends AbstractHealthCheck {

    private static final Duration REMEMBER_SUCCESS = Duration.ofMinutes(5);
    private static final long TIMEOUT_SECONDS = 20;

    private final FfmpegBinaries binaries;
    private final Clock clock;
    private volatile Instant lastSuccess;
    private volatile String version;

    public FfmpegHealthCheck(FfmpegBinaries binaries, Clock clock) {
        super("scheincam", "ffmpeg");
        this.binaries = binaries;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant last = lastSuccess;
        if (last != null && last.plus(REMEMBER_SUCCESS).isAfter(clock.instant())) {
            builder.detail("version", version).up();
            return;
        }
        try {
            String ffmpeg = firstLine(binaries.ffmpeg());
            firstLine(binaries.ffprobe());
            version = ffmpeg;
            lastSuccess = clock.instant();
            builder.detail("version", ffmpeg).up();
        } catch (RuntimeException | IOException e) {
            builder.message("ffmpeg cannot run: " + e.getMessage()).down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("interrupted").down();
        }
    }

    private static String firstLine(String executable) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(executable, "-hide_banner", "-version")).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readNBytes(4096);
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(executable + " did not answer within " + TIMEOUT_SECONDS + " s");
        }
        String text = new String(out, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + text.lines().findFirst().orElse(""));
        }
        return text.lines().findFirst().orElse("");
    }
}
