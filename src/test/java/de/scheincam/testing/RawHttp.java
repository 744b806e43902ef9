package de.scheincam.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 from a chosen loopback source address (127.0.0.2, 127.0.0.3, …), so a test can be several
 * clients: java.net.http cannot pick its local address on Java 17.
 */
public final class RawHttp {

    /** Status and body of one answer. */
    public record Answer(int status, String body, String contentType) {
        public Answer(int status, String body) {
            this(status, body, "");
        }

        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private RawHttp() {
    }

    /** A GET of a path sent as it is (e.g. percent-encoding that java.net.URI refuses). */
    public static Answer get(int port, String path) {
        return send("127.0.0.1", port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n", new byte[0]);
    }

    public static Answer postJson(String from, int port, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        return send(from, port, head, body);
    }

    private static Answer send(String from, int port, String head, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        String head = new String(all, 0, split, StandardCharsets.US_ASCII);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        String type = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                .map(l -> l.substring(13).trim()).findFirst().orElse("");
        int start = split + 4;
        if (!head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            return new Answer(status, new String(all, start, all.length - start, StandardCharsets.UTF_8), type);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        int i = start;
        while (true) {
            int eol = indexOf(all, crlf, i);
            int size = Integer.parseInt(new String(all, i, eol - i, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                return new Answer(status, body.toString(StandardCharsets.UTF_8), type);
            }
            body.write(all, eol + 2, size);
            i = eol + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("malformed HTTP answer");
    }
}
