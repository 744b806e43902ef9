package de.scheincam.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import de.scheincam.sound.SoundEnvelope;
import de.scheincam.sound.SoundReader;
import de.scheincam.testing.ActShow;
import de.scheincam.testing.Media;

/**
 * Reading a recording's sound for act suggestions (bin/benchmark.sh): the in-process envelope (track 1
 * only, the picture's packets discarded by the demuxer) against its floor, the bundled ffmpeg doing the
 * least it can with the same sound ({@code -vn -map 0:a:0 -f null}: demux and decode), on the 60-minute
 * 720p recording the other benchmarks use and on the generated 21-minute act show. Three runs each, in
 * turn, the median reported as × real time. Arguments, if any, name other recordings to measure instead.
 * Appends to target/benchmark.md.
 */
public final class SoundBenchmark {

    private static final int RUNS = 3;

    private SoundBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files = args.length > 0 ? java.util.Arrays.stream(args).map(Path::of).toList()
                : List.of(CoreBenchmark.recording(Path.of("target/bench/show-60min-720p-gop250.mkv").toAbsolutePath()),
                ActShow.file());
        StringBuilder rows = new StringBuilder();
        for (Path file : files) {
            SoundReader reader = new SoundReader(0.5, Duration.ofSeconds(60));
            reader.envelope(file, Duration.ZERO, Duration.ofSeconds(60)); // warm-up: natives loaded, JIT
            List<Double> ours = new ArrayList<>();
            List<Double> floor = new ArrayList<>();
            double seconds = 0;
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                SoundEnvelope e = reader.envelope(file);
                ours.add((System.nanoTime() - t0) / 1e9);
                seconds = e.seconds();
                t0 = System.nanoTime();
                Media.run(List.of(Media.FFMPEG.ffmpeg(), "-hide_banner", "-v", "error", "-i", file.toString(),
                        "-vn", "-map", "0:a:0", "-f", "null", "-"));
                floor.add((System.nanoTime() - t0) / 1e9);
            }
            double o = CoreBenchmark.percentile(ours, 50);
            double f = CoreBenchmark.percentile(floor, 50);
            rows.append(String.format(Locale.ROOT, "| %s (%.0f min, %.0f MB) | %.2f s (%.0f×) | %.2f s (%.0f×) |%n",
                    file.getFileName(), seconds / 60, Files.size(file) / 1e6, o, seconds / o, f, seconds / f));
        }
        String md = String.format(Locale.ROOT, """

                # Sound benchmark (act suggestions)

                The sound envelope of a whole recording (RMS and zero-crossing rate per 0.5 s of track 1), read
                in-process with the picture discarded before decoding, against the bundled ffmpeg demuxing and
                decoding the same sound to nothing (`-vn -map 0:a:0 -f null -`, a fresh process each time).
                Median of %d runs, as seconds and × real time. Machine: %d cores, load %.1f at the end.

                | recording | envelope, in-process | ffmpeg, sound only |
                |---|---|---|
                %s""", RUNS, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), rows);
        System.out.println(md);
        Files.writeString(Path.of("target/benchmark.md"), md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
