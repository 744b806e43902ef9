package de.scheincam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import de.scheincam.testing.Media;
import de.scheincam.testing.TestApp;
import de.scheincam.web.FileTransfers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18: downloads go from the file to the socket by sendfile (FileTransfers). The bytes are the
 * file's, whole and in ranges, of a 200 MB recording; a bad range is 416; beyond
 * scheincam.download.max-at-once transfers a download is refused (503) until one ends, a client that
 * goes away included; a recording still being written is sent as far as it is written.
 */
class DownloadsIT {

    private static final String BIG = "25-02-03_19-50-00";
    private static final String GROWING = "25-02-04_19-50-00";
    private static final int AT_ONCE = 2;

    static TestApp app;
    static Path big;
    static long size;

    @BeforeAll
    static void boot() throws IOException {
        Path home = TestApp.newHome();
        big = Media.large("download.mkv", 200L << 20);
        size = Files.size(big);
        Path linked = home.resolve("videos/" + BIG + ".mkv");
        Files.createLink(linked, big);
        // written long before the start: settled, probed at once (the growing one below is not)
        Files.setLastModifiedTime(linked, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        app = TestApp.start(home, Map.of("scheincam.download.max-at-once", String.valueOf(AT_ONCE),
                "scheincam.library.settle-seconds", "60"));
        await().atMost(Duration.ofSeconds(30)).until(() -> app.get("/api/videos/" + BIG).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void wholeFileAndRangesAreTheFilesBytes() throws Exception {
        HttpResponse<InputStream> whole = download("/api/videos/" + BIG + "/download");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/x-matroska");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment; filename=\"Scheinbar_2025-02-03_19-50.mkv\"");
        assertThat(whole.headers().firstValue("Content-Range")).isEmpty();
        assertThat(whole.headers().firstValue("X-Content-Type-Options")).as("the web front's headers stay").hasValue("nosniff");
        assertThat(sha256(whole.body())).isEqualTo(sha256(big, 0, size));

        long from = 100_000_001;
        long to = 150_000_000;
        HttpResponse<InputStream> middle = download("/api/videos/" + BIG + "/download", "Range", "bytes=" + from + "-" + to);
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes " + from + "-" + to + "/" + size);
        assertThat(middle.headers().firstValue("Content-Length")).hasValue(String.valueOf(to - from + 1));
        assertThat(sha256(middle.body())).isEqualTo(sha256(big, from, to - from + 1));

        HttpResponse<InputStream> rest = download("/api/videos/" + BIG + "/download", "Range", "bytes=" + (size - 3_000_000) + "-");
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range")).hasValue("bytes " + (size - 3_000_000) + "-" + (size - 1) + "/" + size);
        assertThat(sha256(rest.body())).isEqualTo(sha256(big, size - 3_000_000, 3_000_000));

        HttpResponse<InputStream> tail = download("/api/videos/" + BIG + "/download", "Range", "bytes=-1000");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(sha256(tail.body())).isEqualTo(sha256(big, size - 1000, 1000));
    }

    @Test
    void aRangeOutsideTheFileIs416() {
        for (String range : List.of("bytes=" + size + "-", "bytes=" + (size + 5) + "-" + (size + 10), "bytes=10-5",
                "bytes=99999999999999999999-")) {
            HttpResponse<String> r = app.get("/api/videos/" + BIG + "/download", "Range", range);
            assertThat(r.statusCode()).as(range).isEqualTo(416);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(range).startsWith("application/json");
            assertThat(json(r).path("detail").asText()).as(range).contains("Range");
            assertThat(r.headers().firstValue("Content-Disposition")).as(range).isEmpty();
        }
    }

    @Test
    void beyondTheTransfersAtOnceADownloadIsRefusedUntilOneEnds() throws Exception {
        FileTransfers transfers = app.camel().getRegistry().lookupByNameAndType("fileTransfers", FileTransfers.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> transfers.sending() == 0);
        List<Socket> stalled = new ArrayList<>();
        try {
            // clients that read nothing: 200 MB do not fit in the sockets' buffers, so the transfers stay open
            for (int i = 0; i < AT_ONCE; i++) {
                stalled.add(requestWithoutReading("/api/videos/" + BIG + "/download"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> transfers.sending() == AT_ONCE);
            HttpResponse<String> refused = app.get("/api/videos/" + BIG + "/download", "Range", "bytes=0-9");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(json(refused).path("detail").asText()).contains("downloads");
            assertThat(refused.headers().firstValue("Content-Disposition")).as("no attachment of a refusal").isEmpty();
            assertThat(transfers.sending()).as("the refused one holds nothing").isEqualTo(AT_ONCE);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        // clients gone midway: their transfers fail, and their places are free again
        await().atMost(Duration.ofSeconds(20)).until(() -> transfers.sending() == 0);
        HttpResponse<byte[]> again = app.getBytes("/api/videos/" + BIG + "/download", "Range", "bytes=0-9");
        assertThat(again.statusCode()).isEqualTo(206);
        assertThat(again.body()).isEqualTo(bytes(big, 0, 10));
    }

    @Test
    void aRecordingStillBeingWrittenIsSentAsFarAsItIsWritten() throws Exception {
        Path source = Media.cached("a.mkv", 20);
        byte[] all = Files.readAllBytes(source);
        int written = all.length / 2;
        Path growing = app.videos.resolve(GROWING + ".mkv");
        Files.write(growing, java.util.Arrays.copyOf(all, written));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(app.get("/api/videos/" + GROWING)).path("in_progress").asBoolean());

        HttpResponse<byte[]> sofar = app.getBytes("/api/videos/" + GROWING + "/download");
        assertThat(sofar.statusCode()).isEqualTo(200);
        assertThat(sofar.headers().firstValue("Content-Length")).hasValue(String.valueOf(written));
        assertThat(sofar.body()).isEqualTo(java.util.Arrays.copyOf(all, written));

        try (OutputStream out = Files.newOutputStream(growing, StandardOpenOption.APPEND)) {
            out.write(all, written, all.length - written);
        }
        assertThat(json(app.get("/api/videos/" + GROWING)).path("in_progress").asBoolean()).isTrue();
        HttpResponse<byte[]> more = app.getBytes("/api/videos/" + GROWING + "/download", "Range", "bytes=" + written + "-");
        assertThat(more.statusCode()).isEqualTo(206);
        assertThat(more.headers().firstValue("Content-Range")).hasValue("bytes " + written + "-" + (all.length - 1) + "/" + all.length);
        assertThat(more.body()).isEqualTo(java.util.Arrays.copyOfRange(all, written, all.length));
    }

    private static HttpResponse<InputStream> download(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofMinutes(2));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Sends the request and reads only the status line's first bytes. */
    private static Socket requestWithoutReading(String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", app.port);
        socket.setReceiveBufferSize(64 * 1024);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] status = socket.getInputStream().readNBytes(12);
        assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return socket;
    }

    private static String sha256(InputStream body) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = body) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file, long offset, long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (FileChannel channel = FileChannel.open(file)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
            for (long at = offset, end = offset + length; at < end; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
                int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new IOException("the file ends before " + end);
                }
                digest.update(buffer.flip());
                at += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] bytes(Path file, long offset, int length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            return in.readNBytes(length);
        }
    }
}
