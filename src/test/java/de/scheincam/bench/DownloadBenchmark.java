package de.scheincam.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;

import static org.awaitility.Awaitility.await;

/**
 * Downloads against their floor (bin/benchmark.sh, after {@link ServingBenchmark}): one 2 GB recording
 * downloaded through the API over loopback, once and then by 20 clients at once, against a raw copy of
 * the same bytes to a loopback socket ({@code FileChannel.transferTo}, the kernel's sendfile, by a bare
 * server that sends nothing else), measured in the same run, turn about. Every client reads into one
 * direct buffer and drops the bytes. Page cache warm (the file is read once first). The 2 GB file is
 * made in target/media (real media: 10 s of 720p repeated by a stream copy) and deleted after.
 * Appends its Markdown to target/benchmark.md.
 */
public final class DownloadBenchmark {

    private static final String NAME = "25-03-01_19-50-00";
    private static final long SIZE = 2L << 30;
    private static final int CROWD = 20;
    private static final int SINGLE_ROUNDS = 3;
    private static final int CROWD_ROUNDS = 2;

    private DownloadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Media.large("download-bench.mkv", SIZE);
        try {
            run(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void run(Path file) throws Exception {
        Path home = TestApp.newHome();
        Path linked = home.resolve("videos/" + NAME + ".mkv");
        Files.createLink(linked, file);
        try {
            measure(file, home, linked);
        } finally {
            Files.deleteIfExists(linked); // a second name would keep the 2 GB on the disk
        }
    }

    private static void measure(Path file, Path home, Path linked) throws Exception {
        long size = Files.size(file);
        Files.setLastModifiedTime(linked, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        AtomicInteger refused = new AtomicInteger();
        List<Double> rawSingle = new ArrayList<>();
        List<Double> appSingle = new ArrayList<>();
        List<Double> rawCrowd = new ArrayList<>();
        List<Double> appCrowd = new ArrayList<>();
        List<Double> rawEach = new ArrayList<>();
        List<Double> appEach = new ArrayList<>();
        // one client's downloads are not limited here: the crowd below is 20 of them from one address
        try (TestApp app = TestApp.startUnchecked(home, Map.of("scheincam.rates.downloads.per-minute", "0"));
             RawServer raw = new RawServer(file)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> app.get("/api/videos/" + NAME).statusCode() == 200);
            String request = "GET /api/videos/" + NAME + "/download HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            Callable<Double> fromRaw = () -> fetch(raw.port(), null, size, refused);
            Callable<Double> fromApp = () -> fetch(app.port, request, size, refused);
            fromRaw.call(); // page cache and JIT warm for both
            fromApp.call();
            for (int i = 0; i < SINGLE_ROUNDS; i++) {
                rawSingle.add(fromRaw.call());
                appSingle.add(fromApp.call());
            }
            for (int i = 0; i < CROWD_ROUNDS; i++) {
                rawCrowd.add(crowd(fromRaw, rawEach));
                appCrowd.add(crowd(fromApp, appEach));
            }
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        double gb = size / 1e9;
        double single = CoreBenchmark.percentile(rawSingle, 50) / CoreBenchmark.percentile(appSingle, 50);
        double many = CoreBenchmark.percentile(rawCrowd, 50) / CoreBenchmark.percentile(appCrowd, 50);
        String md = String.format(Locale.ROOT, """

                # Download benchmark

                One %.2f GB recording (mkv) over loopback through `GET /api/videos/{name}/download`, against a raw
                copy of the same bytes to a loopback socket (`FileChannel.transferTo`, a bare server), same run, turn
                about; clients read into a direct buffer and drop the bytes; page cache warm. Machine: %d cores,
                load average before `%s`, after `%s`. Ratio: the raw copy's time over the app's (1.0: as fast as
                the raw copy).

                | measure | raw copy | app | ratio | target |
                |---|---|---|---|---|
                | one download, median of %d | %.2f s (%.2f GB/s) | %.2f s (%.2f GB/s) | %.2f | ≥ 0.9 |
                | %d at once, all done, median of %d | %.2f s (%.2f GB/s) | %.2f s (%.2f GB/s) | %.2f | ≥ 0.9 |
                | %d at once, each download: p50 / max | %.2f / %.2f s | %.2f / %.2f s | | |
                | downloads refused (503) and asked again | | %d | | 0 |
                """, gb, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter,
                SINGLE_ROUNDS, CoreBenchmark.percentile(rawSingle, 50), gb / CoreBenchmark.percentile(rawSingle, 50),
                CoreBenchmark.percentile(appSingle, 50), gb / CoreBenchmark.percentile(appSingle, 50), single,
                CROWD, CROWD_ROUNDS, CoreBenchmark.percentile(rawCrowd, 50), CROWD * gb / CoreBenchmark.percentile(rawCrowd, 50),
                CoreBenchmark.percentile(appCrowd, 50), CROWD * gb / CoreBenchmark.percentile(appCrowd, 50), many,
                CROWD, CoreBenchmark.percentile(rawEach, 50), CoreBenchmark.percentile(rawEach, 100),
                CoreBenchmark.percentile(appEach, 50), CoreBenchmark.percentile(appEach, 100), refused.get());
        System.out.println(md);
        Files.writeString(Path.of("target/benchmark.md"), md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** {@code CROWD} downloads started together: seconds until the last is done; each one's time into {@code each}. */
    private static double crowd(Callable<Double> download, List<Double> each) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CROWD);
        try {
            long t0 = System.nanoTime();
            List<Future<Double>> running = new ArrayList<>();
            for (int i = 0; i < CROWD; i++) {
                running.add(clients.submit(download));
            }
            for (Future<Double> f : running) {
                each.add(f.get());
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            clients.shutdown();
        }
    }

    /**
     * One download to its last byte, in seconds. {@code request} null: the raw server (no HTTP). A 503
     * (the app's bulkhead) is counted and asked again a moment later, as a download manager would.
     */
    private static double fetch(int port, String request, long size, AtomicInteger refused) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            try (SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                if (request != null) {
                    socket.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                }
                ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
                long total = 0;
                String status = null;
                for (int n; (n = socket.read(buffer)) >= 0; ) {
                    if (status == null && request != null && buffer.position() >= 12) {
                        byte[] head = new byte[12];
                        buffer.flip().get(head);
                        status = new String(head, StandardCharsets.US_ASCII);
                        buffer.position(buffer.limit()).limit(buffer.capacity());
                    }
                    total += n;
                    if (!buffer.hasRemaining()) {
                        buffer.clear();
                    }
                }
                if (status != null && status.endsWith("503")) {
                    refused.incrementAndGet();
                    Thread.sleep(100);
                    continue;
                }
                if (request != null && (status == null || !status.endsWith("200")) || total < size) {
                    throw new IllegalStateException("download failed: " + status + ", " + total + " of " + size + " bytes");
                }
                return (System.nanoTime() - t0) / 1e9;
            }
        }
    }

    /** Sends the whole file to every connection by FileChannel.transferTo (sendfile), then closes it. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocketChannel server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        RawServer(Path file) throws IOException {
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            threads.submit(() -> {
                while (server.isOpen()) {
                    SocketChannel client = server.accept();
                    threads.submit(() -> {
                        try (client; FileChannel in = FileChannel.open(file)) {
                            long size = in.size();
                            for (long at = 0; at < size; ) {
                                at += in.transferTo(at, size - at, client);
                            }
                        }
                        return null;
                    });
                }
                return null;
            });
        }

        int port() throws IOException {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
