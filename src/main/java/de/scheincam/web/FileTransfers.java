package de.scheincam.web;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Sends downloads (recordings, clips) from the file to the socket by the kernel: Vert.x's
 * {@code sendFile}, which hands Netty file regions of 1 MB (sendfile(2)) on the event loop, so no byte
 * passes through the JVM's heap and no thread waits for a slow client. Camel's platform-http would
 * copy a file given as an InputStream through the heap in 8 KB reads, each one a task on the HTTP
 * worker pool, with no Content-Length.
 * <p>
 * At most {@code maxAtOnce} are being sent at once (each holds a connection, an open file and the
 * disk's read-ahead); one more is refused at once like a full bulkhead (503, Retry-After), rather
 * than queued: a queued download would hold its connection and the client's patience without a byte
 * of progress, while a refused one is retried by the browser or download manager when it says.
 * A transfer counts until its last byte is written or its connection is gone.
 * <p>
 * Sent by the route itself (not by platform-http afterwards, which then finds the response ended and
 * leaves it alone); the route sets the same status and headers on the message, for the contract check.
 * HEAD is not served on these paths (405, as before: the contract has GET only).
 */
public class FileTransfers {

    private static final String RESPONSE = "scheincamHttpResponse";

    private final int maxAtOnce;
    private final AtomicInteger sending = new AtomicInteger();

    public FileTransfers(int maxAtOnce) {
        if (maxAtOnce < 1) {
            throw new IllegalArgumentException("at least one download must be allowed at once");
        }
        this.maxAtOnce = maxAtOnce;
    }

    /**
     * Keeps the HTTP response the exchange came with, for {@link #send}: the first step of a download
     * route, since Camel replaces platform-http's message (which holds it) by a plain one at the first
     * step that sets a body.
     */
    public void attach(Exchange exchange) {
        if (!(exchange.getIn() instanceof HttpMessage http)) {
            throw new IllegalStateException("a download needs the HTTP request it answers, not a "
                    + exchange.getIn().getClass().getSimpleName());
        }
        exchange.setProperty(RESPONSE, http.getResponse());
    }

    /** Sends the exchange's {@link FileResponse} on the HTTP response {@link #attach} kept. */
    public void send(Exchange exchange) {
        FileResponse file = exchange.getMessage().getBody(FileResponse.class);
        HttpServerResponse response = exchange.getProperty(RESPONSE, HttpServerResponse.class);
        if (response == null) {
            throw new IllegalStateException("the route did not attach its HTTP response (bean fileTransfers, method attach)");
        }
        if (sending.incrementAndGet() > maxAtOnce) {
            sending.decrementAndGet();
            // answered as every full bulkhead is (routes/errors.camel.yaml): 503, Retry-After, {"detail"}
            throw new RejectedExecutionException(maxAtOnce + " downloads are being sent");
        }
        response.setStatusCode(file.status());
        response.putHeader(HttpHeaders.CONTENT_TYPE, file.contentType());
        response.putHeader("Content-Disposition", file.contentDisposition());
        response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (file.contentRange() != null) {
            response.putHeader("Content-Range", file.contentRange());
        }
        // failed too when the connection closes midway: the slot is given back either way
        response.sendFile(file.file().toAbsolutePath().toString(), file.offset(), file.length())
                .onComplete(done -> sending.decrementAndGet());
        if (!response.ended()) {
            // the file went between the check and the send (Vert.x answers that later, without a head)
            for (String header : new String[] {"Content-Disposition", "Accept-Ranges", "Content-Range"}) {
                response.headers().remove(header);
            }
            throw ApiProblem.notFound("The file is gone.");
        }
    }

    /** Downloads being sent now (for tests and metrics). */
    public int sending() {
        return sending.get();
    }
}
