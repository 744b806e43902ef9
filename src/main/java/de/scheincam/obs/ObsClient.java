package de.scheincam.obs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An obs-websocket 5 session: Hello → Identify (with authentication) → Identified, requests (op 6)
 * correlated with their responses (op 7) by id with a timeout each, events (op 5) handed to listeners,
 * reconnect with exponential backoff, and a heartbeat that notices a half-open connection.
 * <p>
 * Built on the JDK's WebSocket client: it needs no event loop of its own and gives the close code,
 * which is how obs-websocket says "authentication failed" (4009). camel-vertx-websocket's client mode
 * is a producer/consumer pair without request/response correlation, which this protocol needs.
 */
public class ObsClient implements AutoCloseable {

    /** Where the connection stands, as the status endpoints report it. */
    public enum State {
        CONNECTING, CONNECTED, DISCONNECTED, AUTH_FAILED, STOPPED;

        /** As the API writes it (obs_state): connecting, …, auth_failed. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Connection settings; the password is never logged or returned. */
    public record Settings(String host, int port, String password, Duration requestTimeout,
                           Duration backoffInitial, Duration backoffMax, Duration heartbeat) {
        public URI uri() {
            return URI.create("ws://" + host + ":" + port);
        }
    }

    /** obs-websocket EventSubscription: All (the normal set) and the high-volume InputVolumeMeters. */
    static final int EVENTS_ALL = 0x7FF;
    static final int EVENTS_INPUT_VOLUME_METERS = 1 << 16;
    private static final int AUTHENTICATION_FAILED = 4009;
    private static final Logger LOG = LoggerFactory.getLogger(ObsClient.class);

    private final ObjectMapper json;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService events;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<ObsEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<State>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger connectAttempts = new java.util.concurrent.atomic.AtomicInteger();

    private volatile Settings settings;
    private volatile WebSocket socket;
    private volatile State state = State.DISCONNECTED;
    private volatile String problem = "not connected yet";
    private volatile boolean volumeMeters;
    private volatile boolean liveMeters;
    private volatile ObsCapabilities capabilities = ObsCapabilities.UNKNOWN;
    /** A request OBS answers "not ready" (207) is tried this often in all, this far apart. */
    private volatile int notReadyTries = 1;
    private volatile Duration notReadyDelay = Duration.ZERO;
    private final Object sendLock = new Object();
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);
    private Duration backoff;
    /** During a show: reconnect at least this often (a wrong password still waits the full backoff). */
    private static final Duration URGENT_CAP = Duration.ofSeconds(2);
    private volatile boolean urgent;
    private java.util.concurrent.ScheduledFuture<?> pendingReconnect;

    public ObsClient(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.backoff = settings.backoffInitial();
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("obs-connection"));
        this.events = Executors.newSingleThreadExecutor(daemon("obs-events"));
    }

    public void onEvent(Consumer<ObsEvent> listener) {
        eventListeners.add(listener);
    }

    public void onStateChange(Consumer<State> listener) {
        stateListeners.add(listener);
    }

    public State state() {
        return state;
    }

    public boolean connected() {
        return state == State.CONNECTED;
    }

    /** Why OBS is not connected, in words for the status page; empty when connected. */
    public String problem() {
        return state == State.CONNECTED ? "" : problem;
    }

    /** Connection attempts since start: how hard OBS is being knocked on. */
    public int connectAttempts() {
        return connectAttempts.get();
    }

    public Settings settings() {
        return settings;
    }

    /** What the connected OBS offers (read with GetVersion before the connection counts as made). */
    public ObsCapabilities capabilities() {
        return capabilities;
    }

    /**
     * OBS answers 207 (NotReady) while it loads a scene collection or is busy starting or stopping, and
     * says such a request may be tried again a little later: it is, up to {@code tries} times in all.
     */
    public void retryWhenNotReady(int tries, Duration delay) {
        this.notReadyTries = Math.max(1, tries);
        this.notReadyDelay = delay;
    }

    public void start() {
        scheduler.execute(this::connect);
        long beat = settings.heartbeat().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a request and waits for its response; OBS's refusal becomes {@link ObsRequestFailed}. A
     * "not ready" answer is retried (see {@link #retryWhenNotReady}); the last one fails like any refusal.
     */
    public JsonNode request(String requestType, Map<String, ?> data) {
        int tries = notReadyTries;
        for (int attempt = 1; ; attempt++) {
            try {
                return requestOnce(requestType, data);
            } catch (ObsRequestFailed e) {
                if (e.getCode() != ObsRequestFailed.NOT_READY || attempt >= tries) {
                    throw e;
                }
                LOG.debug("OBS is not ready for {} (try {} of {}): trying again", requestType, attempt, tries);
                try {
                    Thread.sleep(notReadyDelay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private JsonNode requestOnce(String requestType, Map<String, ?> data) {
        try {
            return requestAsync(requestType, data).get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ObsUnavailable("OBS did not answer " + requestType + " within " + settings.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObsUnavailable("interrupted while waiting for OBS");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new ObsUnavailable("OBS did not answer " + requestType + " within " + settings.requestTimeout().toMillis() + " ms");
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ObsUnavailable(String.valueOf(e.getCause()));
        }
    }

    public JsonNode request(String requestType) {
        return request(requestType, Map.of());
    }

    public CompletableFuture<JsonNode> requestAsync(String requestType, Map<String, ?> data) {
        WebSocket ws = socket;
        if (state != State.CONNECTED || ws == null) {
            return CompletableFuture.failedFuture(new ObsUnavailable("OBS is not connected (" + problem + ")"));
        }
        return sendRequest(ws, requestType, data);
    }

    private CompletableFuture<JsonNode> sendRequest(WebSocket ws, String requestType, Map<String, ?> data) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<JsonNode> response = new CompletableFuture<>();
        pending.put(id, response);
        send(ws, ObsMessage.request(requestType, id, data)).exceptionally(error -> {
            fail(id, new ObsUnavailable("cannot send to OBS: " + error.getMessage()));
            return null;
        });
        return response.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(id));
    }

    /** Subscribes to (or drops) the high-volume InputVolumeMeters events, without reconnecting (op 3). */
    public void volumeMeters(boolean on) {
        volumeMeters = on;
        resubscribe();
    }

    /** Keeps the level meters on for the web UI's live audio meter (a few hundred bytes every 50 ms). */
    public void liveMeters(boolean on) {
        liveMeters = on;
        resubscribe();
    }

    private void resubscribe() {
        WebSocket ws = socket;
        if (state == State.CONNECTED && ws != null) {
            send(ws, ObsMessage.reidentify(subscriptions()));
        }
    }

    /** New address or password: drop the connection and connect to the new one. */
    public void reconfigure(Settings newSettings) {
        settings = newSettings;
        scheduler.execute(() -> {
            backoff = newSettings.backoffInitial();
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
            disconnected(ws, -1, "reconnecting with new settings");
        });
    }

    @Override
    public void close() {
        state = State.STOPPED;
        LOG.info("Closing the OBS session");
        WebSocket ws = socket;
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "ScheinCam stopping").get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                ws.abort();
            }
        }
        scheduler.shutdownNow();
        events.shutdownNow();
        pending.values().forEach(f -> f.completeExceptionally(new ObsUnavailable("ScheinCam is stopping")));
    }

    private void connect() {
        if (state == State.STOPPED) {
            return;
        }
        setState(State.CONNECTING);
        connectAttempts.incrementAndGet();
        Settings s = settings;
        http.newWebSocketBuilder().connectTimeout(s.requestTimeout())
                .buildAsync(s.uri(), new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        problem = "cannot reach OBS at " + s.host() + ":" + s.port() + " (" + rootMessage(error) + ")";
                        setState(State.DISCONNECTED);
                        scheduleReconnect(false);
                    } else {
                        socket = ws;
                    }
                });
    }

    private void heartbeat() {
        if (state != State.CONNECTED) {
            return;
        }
        WebSocket ws = socket;
        requestAsync("GetRecordStatus", Map.of()).whenComplete((r, e) -> {
            if (e != null && !(e instanceof ObsRequestFailed) && !(e.getCause() instanceof ObsRequestFailed)) {
                LOG.warn("OBS did not answer the heartbeat: treating the connection as lost");
                if (ws != null) {
                    ws.abort();
                }
                scheduler.execute(() -> disconnected(ws, -1, "OBS stopped answering"));
            }
        });
    }

    private void handle(WebSocket ws, String text) throws IOException {
        JsonNode message = json.readTree(text);
        JsonNode d = message.path("d");
        switch (message.path("op").asInt(-1)) {
            case 0 -> identify(ws, d);
            case 2 -> {
                socket = ws;
                backoff = settings.backoffInitial();
                int rpc = d.path("negotiatedRpcVersion").asInt();
                // what OBS offers is known before anyone (the recorder's sync) acts on the connection
                sendRequest(ws, "GetVersion", Map.of()).whenComplete((version, error) -> identified(ws, rpc, version, error));
            }
            case 5 -> {
                ObsEvent event = new ObsEvent(d.path("eventType").asText(), d.path("eventData"));
                events.execute(() -> eventListeners.forEach(l -> deliver(l, event)));
            }
            case 7 -> {
                CompletableFuture<JsonNode> response = pending.remove(d.path("requestId").asText());
                if (response != null) {
                    JsonNode status = d.path("requestStatus");
                    if (status.path("result").asBoolean()) {
                        response.complete(d.path("responseData"));
                    } else {
                        response.completeExceptionally(new ObsRequestFailed(d.path("requestType").asText(),
                                status.path("code").asInt(), status.path("comment").asText(null)));
                    }
                }
            }
            default -> LOG.debug("Ignoring obs-websocket op {}", message.path("op"));
        }
    }

    private void identified(WebSocket ws, int rpc, JsonNode version, Throwable error) {
        if (ws != socket) {
            return; // lost again meanwhile
        }
        if (error != null) {
            capabilities = ObsCapabilities.UNKNOWN;
            LOG.warn("OBS did not tell its version ({}): using only the requests every obs-websocket 5 has", rootMessage(error));
        } else {
            capabilities = ObsCapabilities.of(version);
        }
        ObsCapabilities c = capabilities;
        LOG.info("Connected to OBS {} at {}:{} (obs-websocket {}, RPC {}; record directory {}, file splitting {}, chapters {})",
                c.obsVersion(), settings.host(), settings.port(), c.obsWebSocketVersion(), rpc,
                offered(c, ObsCapabilities.SET_RECORD_DIRECTORY), offered(c, ObsCapabilities.SPLIT_RECORD_FILE),
                offered(c, ObsCapabilities.CREATE_RECORD_CHAPTER));
        setState(State.CONNECTED);
    }

    private static String offered(ObsCapabilities c, String requestType) {
        return c.offers(requestType) ? "offered" : "not offered";
    }

    private void identify(WebSocket ws, JsonNode hello) {
        JsonNode auth = hello.path("authentication");
        String authentication = null;
        if (!auth.isMissingNode()) {
            String password = settings.password();
            if (password == null || password.isEmpty()) {
                problem = "OBS requires a password: set scheincam.obs.password";
                ws.abort();
                disconnected(ws, AUTHENTICATION_FAILED, problem);
                return;
            }
            authentication = ObsAuth.response(password, auth.path("salt").asText(), auth.path("challenge").asText());
        }
        send(ws, ObsMessage.identify(subscriptions(), authentication));
    }

    private int subscriptions() {
        return EVENTS_ALL | (volumeMeters || liveMeters ? EVENTS_INPUT_VOLUME_METERS : 0);
    }

    private synchronized void disconnected(WebSocket ws, int code, String reason) {
        if (ws != socket && socket != null || state == State.STOPPED) {
            return; // an old connection's late notice
        }
        socket = null;
        capabilities = ObsCapabilities.UNKNOWN;
        boolean authFailed = code == AUTHENTICATION_FAILED;
        if (authFailed) {
            problem = "OBS refused the password (scheincam.obs.password)";
        } else if (reason != null && !reason.isBlank()) {
            problem = "connection to OBS lost: " + reason;
        }
        pending.keySet().forEach(id -> fail(id, new ObsUnavailable("connection to OBS lost")));
        if (state != State.DISCONNECTED && state != State.AUTH_FAILED) {
            LOG.warn("OBS disconnected: {}", problem);
        }
        setState(authFailed ? State.AUTH_FAILED : State.DISCONNECTED);
        scheduleReconnect(authFailed);
    }

    private synchronized void scheduleReconnect(boolean slow) {
        if (state == State.STOPPED) {
            return;
        }
        Duration wait = slow ? settings.backoffMax() : urgent ? min(backoff, URGENT_CAP) : backoff;
        backoff = min(backoff.multipliedBy(2), settings.backoffMax());
        pendingReconnect = scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * While a show should be recording, OBS coming back must be noticed within seconds, not after a
     * backoff grown during a long absence: reconnect attempts at least every two seconds.
     */
    public synchronized void urgent(boolean on) {
        boolean becameUrgent = on && !urgent;
        urgent = on;
        if (becameUrgent && state == State.DISCONNECTED && pendingReconnect != null
                && pendingReconnect.getDelay(TimeUnit.MILLISECONDS) > URGENT_CAP.toMillis()
                && pendingReconnect.cancel(false)) {
            pendingReconnect = scheduler.schedule(this::connect, 0, TimeUnit.MILLISECONDS);
        }
    }

    private void setState(State next) {
        State previous = state;
        if (previous == State.STOPPED) {
            return;
        }
        state = next;
        if (previous != next) {
            events.execute(() -> stateListeners.forEach(l -> {
                try {
                    l.accept(next);
                } catch (RuntimeException e) {
                    LOG.warn("OBS state listener failed: {}", e.getMessage(), e);
                }
            }));
        }
    }

    private void fail(String id, RuntimeException error) {
        CompletableFuture<JsonNode> f = pending.remove(id);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    /** Sends one message after the previous one: the JDK's WebSocket refuses a send while another is pending. */
    private CompletableFuture<WebSocket> send(WebSocket ws, ObsMessage message) {
        String text;
        try {
            text = json.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (sendLock) {
            CompletableFuture<WebSocket> previous = lastSend;
            CompletableFuture<WebSocket> next = previous.handle((w, e) -> null)
                    .thenCompose(ignored -> ws.sendText(text, true));
            lastSend = next;
            return next;
        }
    }

    private static void deliver(Consumer<ObsEvent> listener, ObsEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("OBS event listener failed on {}: {}", event.type(), e.getMessage(), e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Receives frames; text may arrive in parts. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handle(ws, text);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Unreadable message from OBS: {}", e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            scheduler.execute(() -> disconnected(ws, statusCode, reason == null || reason.isBlank() ? "closed (" + statusCode + ")" : reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            scheduler.execute(() -> disconnected(ws, -1, rootMessage(error)));
        }
    }
}
