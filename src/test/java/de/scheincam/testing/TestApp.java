package de.scheincam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.scheincam.ScheinCam;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * The real app (the repository's application.properties and routes/, the real beans) booted in a
 * temporary home on a free port, with a few settings overridden for test speed. Counts every run of
 * an external program, so tests can prove that a refused request started none.
 */
public final class TestApp implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Path home;
    public final Path videos;
    public final int port;
    private final Main main;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger programRuns = new AtomicInteger();
    private final AtomicInteger programsRunning = new AtomicInteger();
    private final AtomicInteger mostProgramsAtOnce = new AtomicInteger();
    private final ContractCheck contract = new ContractCheck();

    private TestApp(Path home, int port, Main main) {
        this.home = home;
        this.videos = home.resolve("videos");
        this.port = port;
        this.main = main;
    }

    /** A fresh home with the repository's settings and flows; {@code overrides} as -D would give them. */
    public static Path newHome() {
        try {
            Path home = Files.createTempDirectory(Path.of("target"), "home-").toAbsolutePath();
            Files.copy(Path.of("application.properties"), home.resolve("application.properties"));
            Files.createDirectories(home.resolve("routes"));
            try (Stream<Path> routes = Files.list(Path.of("routes"))) {
                for (Path route : routes.toList()) {
                    Files.copy(route, home.resolve("routes").resolve(route.getFileName()));
                }
            }
            Files.createDirectories(home.resolve("videos"));
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestApp start(Map<String, String> overrides) {
        return start(newHome(), overrides);
    }

    public static TestApp start(Path home, Map<String, String> overrides) {
        return start(home, overrides, true);
    }

    /**
     * For benchmarks: the app without the contract check. The check validates each answer's JSON against
     * its schema on the HTTP server's event loop as the exchange completes (a 2,000-recording listing
     * takes it milliseconds, and 50 clients' worth blocked the event loops for seconds), so a benchmark
     * with it would measure the check instead of the app.
     */
    public static TestApp startUnchecked(Path home, Map<String, String> overrides) {
        return start(home, overrides, false);
    }

    /** The app with {@code beans} bound in its registry before it is configured (an edge a test stands in for). */
    public static TestApp start(Path home, Map<String, String> overrides, Map<String, Object> beans) {
        return start(home, overrides, true, beans);
    }

    private static TestApp start(Path home, Map<String, String> overrides, boolean checkContract) {
        return start(home, overrides, checkContract, Map.of());
    }

    private static TestApp start(Path home, Map<String, String> overrides, boolean checkContract, Map<String, Object> beans) {
        int port = freePort();
        Properties props = new Properties();
        props.setProperty("camel.server.port", String.valueOf(port));
        props.setProperty("scheincam.admin.token", ADMIN_TOKEN);
        props.setProperty("scheincam.library.settle-seconds", "1");
        props.setProperty("scheincam.library.check-millis", "200");
        // the real schedule would start recordings in tests that run during show hours; schedule tests enable it
        props.setProperty("scheincam.schedule.enabled", "false");
        // the watchdog's checks (audio, screenshots, camera reloads) would interleave with what tests do
        props.setProperty("scheincam.watchdog.enabled", "false");
        // acts suggested from the sound would appear in the shows other tests compare; SuggestedActsIT enables it
        props.setProperty("scheincam.show.suggest-acts", "false");
        props.putAll(overrides);
        Main main = ScheinCam.create(home, props);
        TestApp app = new TestApp(home, port, main);
        beans.forEach(main::bind);
        try {
            main.init();
            main.getCamelContext().getManagementStrategy().addEventNotifier(app.new ProgramCounter());
            if (checkContract) {
                main.getCamelContext().getManagementStrategy().addEventNotifier(app.contract);
            }
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("app did not start", e);
        }
        return app;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /** How many times camel-exec has started a program since the app started. */
    public int programRuns() {
        return programRuns.get();
    }

    /** The largest number of programs camel-exec had running at the same moment. */
    public int mostProgramsAtOnce() {
        return mostProgramsAtOnce.get();
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public HttpResponse<byte[]> getBytes(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Connects to the /events websocket; every pushed message lands in the returned list. */
    public java.net.http.WebSocket listenToEvents(java.util.List<String> pushed) {
        try {
            return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/events"),
                    new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                            pushed.add(data.toString());
                            ws.request(1);
                            return null;
                        }
                    }).get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to /events", e);
        }
    }

    public static String[] admin() {
        return new String[] {"Authorization", "Bearer " + ADMIN_TOKEN};
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** The answers checked against openapi.yaml so far (see ContractCheck). */
    public ContractCheck contract() {
        return contract;
    }

    /** Stops the app; fails if any answer it gave did not match openapi.yaml. */
    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<String> mismatches = contract.mismatches();
        if (!mismatches.isEmpty()) {
            throw new AssertionError("answers that do not match openapi.yaml (" + mismatches.size() + "):\n"
                    + String.join("\n", mismatches));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class ProgramCounter extends EventNotifierSupport {
        ProgramCounter() {
            setIgnoreExchangeSendingEvents(false);
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeSendingEvent sending
                    && sending.getEndpoint().getEndpointUri().startsWith("exec:")) {
                programRuns.incrementAndGet();
                mostProgramsAtOnce.accumulateAndGet(programsRunning.incrementAndGet(), Math::max);
            } else if (event instanceof CamelEvent.ExchangeSentEvent sent
                    && sent.getEndpoint().getEndpointUri().startsWith("exec:")) {
                programsRunning.decrementAndGet();
            }
        }
    }
}
