package de.scheincam.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * What the HTTP server serves besides the REST operations, mounted on the one Vert.x router Camel's
 * platform-http uses: the contract (YAML and JSON), Swagger UI from its webjar, the web UI's static
 * files, and an optional trailing slash on API paths (the original API accepted both).
 * Vert.x's StaticHandler serves the files: it refuses traversal, sets types and caching, and honours
 * Range, which Camel's built-in static serving does not do.
 */
public final class WebFront {

    private static final String SPEC = "openapi.yaml";
    /** How long a refusal for junk credentials or an exceeded rate waits before it is sent (no thread held). */
    private static final long JUNK_ANSWER_DELAY_MILLIS = 250;

    private final String swaggerUiRoot;
    private final String specYaml;
    private final String specJson;
    private final List<Operation> operations = new ArrayList<>();
    private final Problems problems;
    private final long maxBodySize;
    private final Set<String> corsOrigins;
    private final CredentialChecks credentials;
    private final ClientRates rates;

    /** One path of the contract: its pattern, how many template segments it has, the methods it serves. */
    private record Operation(Pattern path, int templates, Set<String> methods) {
    }

    public WebFront(Problems problems, long maxBodySize, String corsOrigins, CredentialChecks credentials, ClientRates rates) {
        this.problems = problems;
        this.credentials = credentials;
        this.rates = rates;
        this.maxBodySize = maxBodySize;
        this.corsOrigins = java.util.Arrays.stream(corsOrigins == null ? new String[0] : corsOrigins.split(","))
                .map(String::trim).filter(o -> !o.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.swaggerUiRoot = "META-INF/resources/webjars/swagger-ui/" + webjarVersion("swagger-ui");
        this.specYaml = load(SPEC);
        try {
            Object tree = new YAMLMapper().readValue(specYaml, Object.class);
            this.specJson = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
            readOperations(new ObjectMapper().valueToTree(tree));
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml is not valid YAML", e);
        }
    }

    /**
     * The router platform-http mounts ours in: it fails a path whose percent-encoding it cannot decode
     * ("/%zz") before ours sees it, and would answer with a bare text 400. A failure inside ours (the
     * body handler's 413 for a chunked body over the limit) is answered by this one's handlers too.
     */
    public void mountOuter(Router outer) {
        for (int status : new int[] {400, 404, 413, 500}) {
            outer.errorHandler(status, ctx -> refuse(ctx, status));
        }
    }

    public void mount(Router router) {
        // what Vert.x refuses itself (a malformed path, no route at all) is answered as every refusal, not in HTML
        for (int status : new int[] {400, 404, 405, 413, 414, 431, 500}) {
            router.errorHandler(status, ctx -> refuse(ctx, status));
        }
        router.route().order(-121).handler(this::refuseDotSegments);
        router.route().order(-120).handler(WebFront::securityHeaders);
        router.route("/events").order(-118).handler(this::refuseEventsWithoutViewer);
        router.route("/api/*").order(-119).handler(WebFront::dropResponseHeadersFromRequest);
        router.route("/api/*").order(-112).handler(this::refuseJunkCredentials);
        if (!corsOrigins.isEmpty()) {
            router.route("/api/*").order(-115).handler(this::cors);
        }
        router.routeWithRegex("/api/.+/").order(-100).handler(WebFront::dropTrailingSlash);
        // after the trailing slash is dropped (a reroute runs these handlers again), before the contract
        router.route("/api/*").order(-95).handler(this::refuseOverRate);
        router.route("/api/*").order(-70).handler(this::refuseOutsideContract);
        router.get("/api/openapi.yaml").order(-90).handler(ctx -> send(ctx, "application/yaml", specYaml));
        router.get("/api/openapi.json").order(-90).handler(ctx -> send(ctx, "application/json", specJson));
        router.routeWithRegex(HttpMethod.GET, "/docs").order(-90).handler(ctx -> ctx.redirect("/docs/"));
        router.route("/api/*").order(-110).handler(this::refuseOversizedBody);
        router.get("/docs/swagger-initializer.js").order(-90).handler(ctx -> send(ctx, "text/javascript",
                "window.onload = () => { window.ui = SwaggerUIBundle({ url: '/api/openapi.yaml',"
                        + " dom_id: '#swagger-ui', deepLinking: true }); };\n"));
        router.route("/docs/*").order(-80).handler(StaticHandler.create(swaggerUiRoot).setCachingEnabled(true));
        router.route("/*").order(Integer.MAX_VALUE - 10).handler(StaticHandler.create("web").setIndexPage("index.html").setCachingEnabled(false));
    }

    /** The servers url is /api; every path template becomes a pattern with its methods. */
    private void readOperations(JsonNode spec) {
        spec.path("paths").fields().forEachRemaining(entry -> {
            String regex = "/api" + Pattern.quote(entry.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            Set<String> methods = new java.util.TreeSet<>();
            entry.getValue().fieldNames().forEachRemaining(m -> {
                if (!"parameters".equals(m)) {
                    methods.add(m.toUpperCase(java.util.Locale.ROOT));
                }
            });
            int templates = entry.getKey().split("\\{", -1).length - 1;
            operations.add(new Operation(Pattern.compile(regex), templates, methods));
        });
    }

    /**
     * Answers paths and methods the contract does not have with 404/405 and a {@code detail}, as every
     * other refusal; Camel's contract route would answer them with an empty body.
     */
    private void refuseOutsideContract(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.equals("/api/openapi.yaml") || path.equals("/api/openapi.json")) {
            ctx.next();
            return;
        }
        // as Camel's matcher does: a literal path (/videos/frame) wins over a template (/videos/{filename})
        Set<String> allowed = operations.stream()
                .filter(op -> op.path().matcher(path).matches())
                .min(java.util.Comparator.comparingInt(Operation::templates))
                .map(Operation::methods)
                .orElse(Set.of());
        String method = ctx.request().method().name();
        if (allowed.contains(method) || "OPTIONS".equals(method) || "HEAD".equals(method) && allowed.contains("GET")) {
            ctx.next();
        } else if (allowed.isEmpty()) {
            ctx.response().setStatusCode(404);
            send(ctx, "application/json", problems.detail("No API path " + path + "; see /api/openapi.yaml."));
        } else {
            ctx.response().setStatusCode(405).putHeader("Allow", String.join(", ", allowed));
            send(ctx, "application/json", problems.detail(method + " is not allowed on " + path + "; allowed: "
                    + String.join(", ", allowed) + "."));
        }
    }

    /**
     * 413 in our error shape when the declared length is over the limit, before any of the body is read.
     * A body sent without a length (chunked) is counted by Vert.x's body handler, which fails the
     * request with 413 the moment it crosses the limit (answered in {@link #refuse}). Either way the
     * connection is closed after the answer: kept open, the server would go on reading the rest of
     * the upload (1 GB in 8 s) only to throw it away.
     */
    private void refuseOversizedBody(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = 0;
        }
        if (declared > maxBodySize) {
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close");
            send(ctx, "application/json", problems.detail("The request body is " + declared
                    + " bytes; at most " + maxBodySize + " are accepted."));
            ctx.response().close();
        } else {
            ctx.next();
        }
    }

    /**
     * Every answer: no MIME sniffing, no framing, no referrer leaving the venue. The UI may load only
     * its own files and talk only to this server (no third-party requests, no inline script).
     */
    private static void securityHeaders(RoutingContext ctx) {
        io.vertx.core.MultiMap headers = ctx.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (ctx.normalizedPath().startsWith("/docs")) {
            headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
                    + " frame-ancestors 'none'");
        } else {
            if (!ctx.normalizedPath().startsWith("/api/")) {
                headers.set("Cache-Control", "no-cache"); // the UI's files: always the version this jar serves
            }
            headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self';"
                    + " connect-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none';"
                    + " form-action 'self'; frame-ancestors 'none'");
        }
        ctx.next();
    }

    /**
     * Cross-origin access to the API for the configured origins only (none by default). Credentials
     * are never allowed cross-origin: another site's page can use a Bearer token, never the cookie.
     */
    private void cors(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null || !corsOrigins.contains(origin)) {
            ctx.next();
            return;
        }
        io.vertx.core.MultiMap headers = ctx.response().headers();
        headers.set("Access-Control-Allow-Origin", origin);
        headers.add("Vary", "Origin");
        if (ctx.request().method() == HttpMethod.OPTIONS && ctx.request().getHeader("Access-Control-Request-Method") != null) {
            headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
            headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type, Prefer, Range");
            headers.set("Access-Control-Max-Age", "600");
            ctx.response().setStatusCode(204).end();
            return;
        }
        headers.set("Access-Control-Expose-Headers", "Location, Content-Disposition, Content-Range");
        ctx.next();
    }

    /**
     * The events socket pushes recording names and export job ids: it follows the recordings' rule, so
     * with a viewer password set its handshake needs the viewer credential (the session cookie, which
     * the browser sends with it, or a Bearer credential).
     */
    private void refuseEventsWithoutViewer(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String cookie = ctx.request().getHeader(HttpHeaders.COOKIE);
        String remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        String forwardedFor = ctx.request().getHeader("X-Forwarded-For");
        // a hashed password is derived here (~0.2 s): on a worker thread, never on the event loop. The
        // request waits paused meanwhile, so that its end is still to come for the websocket upgrade.
        ctx.request().pause();
        ctx.vertx().<Void>executeBlocking(() -> {
            credentials.requireViewer(authorization, cookie, remote, forwardedFor);
            return null;
        }, false).onComplete(checked -> {
            ctx.request().resume();
            if (checked.succeeded()) {
                ctx.next();
            } else if (checked.cause() instanceof ApiProblem problem) {
                refuse(ctx, problem);
            } else {
                ctx.fail(checked.cause());
            }
        });
    }

    /** See AccessGuard#refusalBeforeRouting: junk past the limits never takes a worker thread or a route. */
    private void refuseJunkCredentials(RoutingContext ctx) {
        ApiProblem problem = credentials.refusalBeforeRouting(ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                ctx.request().getHeader(HttpHeaders.COOKIE),
                ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
                ctx.request().getHeader("X-Forwarded-For"));
        if (problem == null) {
            ctx.next();
        } else {
            // answered a moment later (a timer, no thread held): a guesser that tries again as soon as it
            // is refused otherwise sends thousands a second, each costing a little of the event loop
            answerLater(ctx, problem);
        }
    }

    /**
     * See ClientRates: a client past its rate for an expensive call is refused here, on the event loop,
     * before the contract check and any worker thread; the admin (known without a derivation) is not
     * limited. Answered a moment later, as junk credentials are: a client that asks again as soon as it
     * is refused then sends a few a second per connection rather than thousands.
     */
    private void refuseOverRate(RoutingContext ctx) {
        String kind = rates.kindOf(ctx.request().method().name(), ctx.normalizedPath());
        if (kind == null || credentials.isKnownAdmin(ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                ctx.request().getHeader(HttpHeaders.COOKIE))) {
            ctx.next();
            return;
        }
        ClientRates.Admission admitted = rates.admit(kind,
                ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
                ctx.request().getHeader("X-Forwarded-For"));
        if (admitted.refusal() == null) {
            // answered, failed or the connection gone: the client's slot is free again
            ctx.addEndHandler(ended -> admitted.release().run());
            ctx.next();
        } else {
            answerLater(ctx, admitted.refusal());
        }
    }

    private void answerLater(RoutingContext ctx, ApiProblem problem) {
        ctx.vertx().setTimer(JUNK_ANSWER_DELAY_MILLIS, t -> {
            if (!ctx.response().closed() && !ctx.response().ended()) {
                refuse(ctx, problem);
            }
        });
    }

    private void refuse(RoutingContext ctx, ApiProblem problem) {
        ctx.response().setStatusCode(problem.getStatus());
        if (problem.getStatus() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        if (problem.getRetryAfter() > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(problem.getRetryAfter()));
        }
        send(ctx, "application/json", problems.detail(problem.getMessage()));
    }

    /** Request headers become message headers, and the allowed ones would be echoed: see ResponseHeaders. */
    private static void dropResponseHeadersFromRequest(RoutingContext ctx) {
        ResponseHeaders.NOT_FROM_REQUESTS.forEach(ctx.request().headers()::remove);
        ctx.next();
    }

    /**
     * Refuses a path with a "." or ".." segment (also percent-encoded) before any routing: Vert.x
     * resolves them in the normalised path only, so "/api/videos/x/%2e%2e" would be routed as
     * "/api/videos/" while the raw path stays the same, and the trailing-slash reroute would repeat for
     * ever. No recording, log or file name is "." or "..", so nothing legitimate is refused.
     */
    private void refuseDotSegments(RoutingContext ctx) {
        String path = ctx.request().path();
        boolean dots = path == null || !path.startsWith("/");
        for (int from = 1; !dots && from <= path.length(); ) {
            int to = path.indexOf('/', from);
            if (to < 0) {
                to = path.length();
            }
            String segment = path.substring(from, to).replace("%2e", ".").replace("%2E", ".");
            dots = segment.equals(".") || segment.equals("..");
            from = to + 1;
        }
        if (dots) {
            // no browser sends these (it resolves them itself): a scanner's, answered a moment later like junk
            // credentials, so one that asks again at once sends a few a second per connection, not thousands
            answerLater(ctx, new ApiProblem(400, "The path may not contain '.' or '..' segments."));
        } else if (!percentEncodingIsValid(path)) {
            // one clear answer before any route tries to decode it (the outer router has its own, see mountOuter)
            ctx.response().setStatusCode(400);
            send(ctx, "application/json", problems.detail("The path's percent-encoding is malformed: '%' must be followed by two hex digits."));
        } else {
            ctx.next();
        }
    }

    private static boolean percentEncodingIsValid(String path) {
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** "/api/videos/" is "/api/videos": rerouted once, to the same path without its trailing slashes. */
    private static void dropTrailingSlash(RoutingContext ctx) {
        String path = ctx.request().path();
        String trimmed = path.replaceAll("/+$", "");
        if (trimmed.isEmpty() || trimmed.equals(path)) {
            ctx.next(); // nothing to drop: never reroute to the same path
            return;
        }
        String query = ctx.request().query();
        ctx.reroute(ctx.request().method(), query == null ? trimmed : trimmed + "?" + query);
    }

    private void refuse(RoutingContext ctx, int failed) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        // Vert.x fails a path it cannot decode ("%zz") with an IllegalArgumentException: the client's fault
        int status = failed == 500 && ctx.failure() instanceof IllegalArgumentException ? 400 : failed;
        if (status == 500) {
            org.slf4j.LoggerFactory.getLogger(WebFront.class).error("{} {} failed", ctx.request().method(),
                    ctx.request().path(), ctx.failure());
        }
        String detail = switch (status) {
            case 400 -> "The request is malformed (e.g. its path's percent-encoding).";
            case 404 -> "Nothing here; the API is described at /api/openapi.yaml.";
            case 405 -> "This method is not allowed here.";
            case 413 -> "The request body is over the limit of " + maxBodySize + " bytes.";
            case 414, 431 -> "The request's path or headers are too long.";
            default -> "Internal error; the log has the details.";
        };
        ctx.response().setStatusCode(status);
        if (status == 413) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        send(ctx, "application/json", problems.detail(detail));
        if (status == 413) {
            ctx.response().close(); // see refuseOversizedBody: the rest of the upload is not read
        }
    }

    private static void send(RoutingContext ctx, String type, String body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type + "; charset=utf-8").end(body);
    }

    /** The webjar's version from its Maven metadata, so upgrading the dependency needs no other edit. */
    private static String webjarVersion(String artifact) {
        java.util.Properties pom = new java.util.Properties();
        try {
            pom.load(new java.io.StringReader(load("META-INF/maven/org.webjars/" + artifact + "/pom.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static String load(String resource) {
        try (InputStream in = WebFront.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
