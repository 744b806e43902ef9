package de.scheincam;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.testing.KeepAliveHttp;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP server's own bounds (issue 13, item 12): idle connections are closed, connections are
 * capped in all and per client address, and a chunked body over the limit is refused with a JSON 413
 * the moment it crosses it, without reading the rest. Loopback only.
 */
class ConnectionLimitsIT {

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (TestApp app = TestApp.start(Map.of("scheincam.http.idle-timeout-seconds", "2"))) {
            List<Socket> silent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                silent.add(connect("127.0.0.1", app.port));
            }
            long start = System.nanoTime();
            for (Socket socket : silent) {
                socket.setSoTimeout(8000);
                assertThat(socket.getInputStream().read()).as("closed by the app, not timed out here").isEqualTo(-1);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("idle: 10 silent connections closed after %d ms (idle timeout 2 s)%n", millis);
            assertThat(millis).isBetween(1000L, 6000L);
            // a kept-alive connection after its answer too; new ones are served as before
            try (KeepAliveHttp http = new KeepAliveHttp(app.port)) {
                assertThat(http.get("/api/ping").status()).isEqualTo(200);
                Thread.sleep(3500); // longer than the idle timeout, on purpose: nothing to poll for
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.get("/api/ping")))
                        .as("the idle kept-alive connection was closed").isNotNull();
            }
            try (KeepAliveHttp http = new KeepAliveHttp(app.port)) {
                assertThat(http.get("/api/ping").status()).isEqualTo(200);
            }
            silent.forEach(ConnectionLimitsIT::close);
        }
    }

    @Test
    void connectionsBeyondTheCapsAreClosedAtOnce() throws Exception {
        try (TestApp app = TestApp.start(Map.of("scheincam.http.max-connections", "8",
                "scheincam.http.max-connections-per-client", "5"))) {
            List<KeepAliveHttp> held = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                held.add(new KeepAliveHttp("127.0.4.1", app.port));
            }
            for (KeepAliveHttp http : held) {
                assertThat(http.get("/api/ping").status()).as("within the caps").isEqualTo(200);
            }
            assertClosedAtOnce(connect("127.0.4.1", app.port), "a sixth from the same client");
            for (int i = 0; i < 3; i++) {
                held.add(new KeepAliveHttp("127.0.4.2", app.port));
            }
            for (KeepAliveHttp http : held.subList(5, 8)) {
                assertThat(http.get("/api/ping").status()).as("another client, within the total").isEqualTo(200);
            }
            assertClosedAtOnce(connect("127.0.4.3", app.port), "a ninth in all");
            held.remove(0).close();
            // the freed place is free again once the app has seen the close
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
                try (KeepAliveHttp http = new KeepAliveHttp("127.0.4.3", app.port)) {
                    assertThat(http.get("/api/ping").status()).isEqualTo(200);
                }
            });
            held.forEach(KeepAliveHttp::close);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAsJsonBeforeTheUploadEnds() throws Exception {
        try (TestApp app = TestApp.start(Map.of("camel.server.max-body-size", "65536"))) {
            try (Socket socket = connect("127.0.0.1", app.port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:" + app.port + "\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[8192];
                java.util.Arrays.fill(chunk, (byte) ' ');
                for (int i = 0; i < 12; i++) { // 96 KB, over the 64 KB limit; the upload is not finished
                    writeChunk(out, chunk);
                }
                String answer = readAnswer(socket.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 413");
                assertThat(answer.toLowerCase()).contains("content-type: application/json");
                String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                assertThat(new ObjectMapper().readTree(body).path("detail").asText()).contains("65536");
                // the rest of the upload is not read: the app closed the connection, so sending on fails
                long sent = 0;
                IOException refused = null;
                try {
                    for (; sent < 64L * 1024 * 1024; sent += chunk.length) {
                        writeChunk(out, chunk);
                    }
                } catch (IOException e) {
                    refused = e;
                }
                System.out.printf("chunked upload: 413 JSON after 96 KB, then %d KB more accepted before the close%n", sent / 1024);
                assertThat(refused).as("the app stopped reading after its 413 (sent %d bytes more)", sent).isNotNull();
            }
        }
    }

    private static void writeChunk(OutputStream out, byte[] chunk) throws IOException {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The status line, headers and body (by Content-Length) of one answer. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return headers + new String(body, StandardCharsets.UTF_8);
    }

    private static Socket connect(String from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    private static void assertClosedAtOnce(Socket socket, String what) throws IOException {
        socket.setSoTimeout(3000);
        long start = System.nanoTime();
        int read;
        try {
            read = socket.getInputStream().read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError(what + " was kept open", e);
        } catch (IOException reset) {
            read = -1;
        }
        assertThat(read).as(what + " closed").isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).as(what + " closed at once (ms)").isLessThan(2000);
        close(socket);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed by the app already
        }
    }
}
