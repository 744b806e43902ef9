package de.scheincam.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.ffmpeg.FfmpegBinaries;

/**
 * Generated test recordings, made with the same bundled ffmpeg the app uses: OBS-like H.264 + AAC, and
 * a picture whose brightness encodes the second (luma = (second mod 10) × 25) so a frame tells which
 * moment it shows.
 */
public final class Media {

    public static final FfmpegBinaries FFMPEG = new FfmpegBinaries("", "");

    private Media() {
    }

    /** {@code seconds} long, 320×180 at 30 fps, GOP 60 with B-frames, a 440 Hz tone. */
    public static void recording(Path out, int seconds) {
        List<String> args = new ArrayList<>(List.of(FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y",
                "-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=" + seconds
                        + ",geq=lum='mod(floor(T)\\,10)*25':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=f=440:d=" + seconds,
                "-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-bf", "2", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest"));
        if (out.toString().endsWith(".mp4")) {
            args.addAll(List.of("-movflags", "+faststart"));
        }
        args.add(out.toString());
        run(args);
    }

    /** A generated recording, made once per build and copied (test runs share target/media). */
    public static synchronized Path cached(String name, int seconds) {
        Path file = Path.of("target", "media", seconds + "s-" + name).toAbsolutePath();
        if (!java.nio.file.Files.exists(file)) {
            try {
                java.nio.file.Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling("tmp-" + file.getFileName());
                recording(tmp, seconds);
                java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return file;
    }

    /**
     * Like {@link #recording} but each frame's brightness tells its number: luma = (frame mod 8) × 28 + 16,
     * so one frame off shows as a step of 28. {@code container} e.g. "mkv", "mp4", "frag.mp4"; {@code extra}
     * ffmpeg output options (muxer flags, bitstream filters). Cached in target/media like {@link #cached}.
     */
    public static synchronized Path numbered(String name, int seconds, String... extra) {
        return generated(Path.of("target", "media", seconds + "s-numbered-" + name), List.of(
                "-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=" + seconds + ",geq=lum='mod(N\\,8)*28+16':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=f=440:d=" + seconds,
                "-c:v", "libx264", "-preset", "veryfast", "-g", "90", "-bf", "2", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest"), extra);
    }

    /**
     * Like {@link #numbered} with an OBS-like picture (x264's own keyframe placement with scenecut,
     * keyframes at most 5 s apart, 3 B-frames with pyramid) and two sound tracks as OBS's Advanced output
     * records them: a 440 Hz tone on the first, 1000 Hz on the second. Cached in target/media.
     */
    public static synchronized Path twoSounds(String name, int seconds, String... extra) {
        return generated(Path.of("target", "media", seconds + "s-two-sounds-" + name), List.of(
                "-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=" + seconds + ",geq=lum='mod(N\\,8)*28+16':cb=128:cr=128",
                "-f", "lavfi", "-i", "sine=f=440:d=" + seconds,
                "-f", "lavfi", "-i", "sine=f=1000:d=" + seconds,
                "-map", "0", "-map", "1", "-map", "2",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "150", "-bf", "3", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest"), extra);
    }

    /**
     * A recording of about {@code bytes} (a little more: ffmpeg stops after the limit), made fast: 10 s of
     * 1280×720 at a high bit rate (about 11 Mbit/s), repeated by a stream copy. Real media throughout, so
     * the library probes it as any recording; for downloads and their benchmark. Cached in target/media.
     */
    public static synchronized Path large(String name, long bytes) {
        Path piece = generated(Path.of("target", "media", "10s-720p-qp12.mkv"), List.of(
                "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=10", "-f", "lavfi", "-i", "sine=f=440:d=10",
                "-c:v", "libx264", "-preset", "ultrafast", "-qp", "12", "-g", "60", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest"));
        return generated(Path.of("target", "media", (bytes >> 20) + "MB-" + name), List.of(
                "-stream_loop", "-1", "-i", piece.toString(), "-c", "copy", "-fs", Long.toString(bytes)));
    }

    /**
     * A busy moving picture (ffmpeg's testsrc2, 640×360 30 fps: every frame differs from the next),
     * x264 as OBS sets it up (2 B-frames, a keyframe every 5 s), a tone: for tests where a frame must be
     * told from its neighbour by the picture itself. Cached in target/media.
     */
    public static synchronized Path busy(String name, int seconds) {
        return generated(Path.of("target", "media", seconds + "s-busy-" + name), List.of(
                "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=" + seconds,
                "-f", "lavfi", "-i", "sine=f=440:d=" + seconds,
                "-c:v", "libx264", "-preset", "veryfast", "-b:v", "1500k",
                "-x264-params", "keyint=150:min-keyint=150:bframes=2", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest"));
    }

    /**
     * The frame ffmpeg shows at {@code seconds} (input seek, then every frame decoded in full: exact),
     * letterboxed into width × height as the app does, losslessly (PNG).
     */
    public static java.awt.image.BufferedImage frameByFfmpeg(Path file, double seconds, int width, int height) {
        try {
            Path png = java.nio.file.Files.createTempFile(Path.of("target"), "frame-", ".png");
            try {
                run(List.of(FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y",
                        "-ss", String.format(java.util.Locale.ROOT, "%.4f", seconds), "-i", file.toString(),
                        "-frames:v", "1", "-vf", "scale=" + width + ":" + height + ":force_original_aspect_ratio=decrease,"
                                + "pad=" + width + ":" + height + ":(ow-iw)/2:(oh-ih)/2", png.toString()));
                return Pictures.jpeg(java.nio.file.Files.readAllBytes(png));
            } finally {
                java.nio.file.Files.deleteIfExists(png);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code file} made once by ffmpeg from {@code inputsAndCodecs} and {@code extra}, atomically, cached. */
    private static Path generated(Path relative, List<String> inputsAndCodecs, String... extra) {
        Path file = relative.toAbsolutePath();
        if (!java.nio.file.Files.exists(file)) {
            try {
                java.nio.file.Files.createDirectories(file.getParent());
                String name = file.getFileName().toString();
                Path tmp = file.resolveSibling("tmp-" + System.nanoTime() + name.substring(name.lastIndexOf('.')));
                List<String> args = new ArrayList<>(List.of(FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-y"));
                args.addAll(inputsAndCodecs);
                args.addAll(List.of(extra));
                args.add(tmp.toString());
                run(args);
                java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return file;
    }

    /** Mean luma (Y, as coded) of the centre of the first frame a player shows of {@code file}. */
    public static double firstFrameLuma(Path file) {
        try {
            Process p = new ProcessBuilder(FFMPEG.ffmpeg(), "-v", "error", "-i", file.toString(), "-frames:v", "1",
                    "-f", "rawvideo", "-pix_fmt", "yuv420p", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] raw = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || raw.length < 320 * 180) {
                throw new AssertionError("no first frame from " + file);
            }
            double sum = 0;
            int n = 0;
            for (int y = 45; y < 135; y++) {
                for (int x = 80; x < 240; x++) {
                    sum += raw[y * 320 + x] & 0xFF;
                    n++;
                }
            }
            return sum / n;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static JsonNode probe(Path file) {
        String out = run(List.of(FFMPEG.ffprobe(), "-v", "error", "-print_format", "json", "-show_format",
                "-show_streams", file.toString()));
        try {
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new AssertionError(out, e);
        }
    }

    public static double duration(Path file) {
        return probe(file).path("format").path("duration").asDouble(-1);
    }

    /** What `ffmpeg -v error -i file -f null -` prints: empty for a cleanly decodable file. */
    public static String decodeErrors(Path file) {
        return run(List.of(FFMPEG.ffmpeg(), "-v", "error", "-i", file.toString(), "-f", "null", "-"));
    }

    public static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(command + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Where a box type (moov, mdat, …) first appears in an MP4's bytes; MAX_VALUE when it does not. */
    public static int boxOffset(byte[] data, String box) {
        int at = indexOf(data, box.getBytes(StandardCharsets.ISO_8859_1));
        return at < 0 ? Integer.MAX_VALUE : at;
    }

    /** Where {@code what} first appears in {@code data}; -1 when it does not. */
    public static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
