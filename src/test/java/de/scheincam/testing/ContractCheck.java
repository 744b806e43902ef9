package de.scheincam.testing;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Checks every answer the API's routes give during a test against openapi.yaml: status code declared
 * for the operation, content type, and a JSON body against its schema. It watches the app from the
 * inside (each exchange from the HTTP server as it completes), so it sees the answers to every
 * client a test uses — its own HttpClient, raw sockets, Chromium. Refusals made before any route
 * (junk credentials, rates, dot segments: the web front's handlers) are not exchanges; BadInputIT
 * checks their shape. What does not match is collected; {@link TestApp#close()} fails the test.
 */
public final class ContractCheck extends EventNotifierSupport {

    private static final int MAX_KEPT = 50;

    private final OpenApiInteractionValidator validator = OpenApiInteractionValidator
            .createForSpecificationUrl(Path.of("src/main/resources/openapi.yaml").toAbsolutePath().toUri().toString())
            // requests were checked by the app itself; here only what it answers
            .withLevelResolver(LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .build())
            .build();
    private final List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
    private int checked;

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (exchange.getFromEndpoint() == null || !exchange.getFromEndpoint().getEndpointUri().startsWith("platform-http:")) {
            return;
        }
        Message message = exchange.getMessage();
        String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        if (method == null || path == null || !path.startsWith("/api/")) {
            return;
        }
        String operationPath = path.substring("/api".length());
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Object body = message.getBody();
        if (status == null) {
            status = exchange.getException() != null ? 500 : body == null ? 204 : 200;
        }
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (contentType != null) {
            response.withContentType(contentType);
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json") && !(body instanceof InputStream)) {
            String text = "gzip".equalsIgnoreCase(message.getHeader("Content-Encoding", String.class))
                    ? gunzip(message.getBody(byte[].class)) : message.getBody(String.class);
            if (text != null && !text.isEmpty()) {
                response.withBody(text);
            }
        } else if (body != null && status != 204 && !"HEAD".equalsIgnoreCase(method)) {
            // a file, a picture, a stream: there is a body; its bytes are not the contract's to check
            response.withBody("(binary)");
        }
        ValidationReport report;
        try {
            report = validator.validateResponse(operationPath, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)),
                    response.build());
        } catch (RuntimeException e) {
            mismatches.add(method + " " + path + " " + status + ": the check itself failed: " + e);
            return;
        }
        synchronized (this) {
            checked++;
        }
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR && mismatches.size() < MAX_KEPT) {
                mismatches.add(method + " " + path + " " + status + " " + contentType + ": [" + m.getKey() + "] " + m.getMessage());
            }
        }
    }

    private static String gunzip(byte[] zipped) {
        if (zipped == null) {
            return null;
        }
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(not gzip: " + e.getMessage() + ")";
        }
    }

    /** Answers checked so far. */
    public synchronized int checked() {
        return checked;
    }

    /** What did not match the contract, one line each (at most 50). */
    public List<String> mismatches() {
        synchronized (mismatches) {
            return List.copyOf(mismatches);
        }
    }
}
