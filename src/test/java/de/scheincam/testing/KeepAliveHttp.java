package de.scheincam.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection kept open, as a browser keeps it, for timing the app's answers: nothing
 * between the measurement and the socket. (java.net.http adds about 2–3 ms per request on a 2-core
 * machine, more than some answers take.) Not thread-safe: one request at a time.
 */
public final class KeepAliveHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int port;
    private String lastHeaders = "";

    public KeepAliveHttp(int port) {
        this("127.0.0.1", port);
    }

    /** From a chosen loopback source address (127.0.0.2, …): one of several clients. */
    public KeepAliveHttp(String from, int port) {
        this.port = port;
        try {
            socket = new Socket();
            socket.bind(new java.net.InetSocketAddress(from, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(600_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawHttp.Answer get(String path) {
        return exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n", new byte[0]);
    }

    /** A GET with extra header lines, each "Name: value". */
    public RawHttp.Answer get(String path, String... headerLines) {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        return exchange(head.append("\r\n").toString(), new byte[0]);
    }

    public RawHttp.Answer postJson(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return exchange("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body);
    }

    private RawHttp.Answer exchange(String head, byte[] body) {
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = headers();
            lastHeaders = answer;
            int status = Integer.parseInt(answer.split(" ", 3)[1]);
            String lower = answer.toLowerCase(Locale.ROOT);
            int length = lower.indexOf("\ncontent-length:");
            if (length >= 0) {
                int end = lower.indexOf('\r', length);
                int n = Integer.parseInt(lower.substring(length + 16, end).trim());
                return new RawHttp.Answer(status, new String(in.readNBytes(n), StandardCharsets.UTF_8));
            }
            if (!lower.contains("\ntransfer-encoding: chunked")) {
                throw new IllegalStateException("an answer without length on a kept-alive connection: " + answer);
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                if (size == 0) {
                    line();
                    return new RawHttp.Answer(status, all.toString(StandardCharsets.UTF_8));
                }
                all.write(in.readNBytes(size));
                line();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status line and headers of the last answer, lines ending in CRLF. */
    public String lastHeaders() {
        return lastHeaders;
    }

    /** The status line and headers, up to the empty line. */
    private String headers() throws IOException {
        StringBuilder head = new StringBuilder();
        String line;
        while (!(line = line()).isEmpty()) {
            head.append(line).append("\r\n");
        }
        return head.toString();
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed by the app");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
