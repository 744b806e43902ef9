package de.scheincam.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;

/**
 * Who may do what. Admin actions need the admin token; viewer actions (list, frames, exports, downloads)
 * are open unless a viewer password is set, in which case that password or the admin token is needed.
 * <p>
 * Scripts send the secret as a Bearer credential. Browsers log in once ({@code POST /api/session}) and
 * get a session cookie (HttpOnly, SameSite=Strict) plus a CSRF token that every state-changing request
 * made with the cookie must echo in {@code X-CSRF-Token}. Secrets are compared in constant time.
 * <p>
 * Every way of trying a secret (the login form, a Bearer header, a session cookie) counts its wrong
 * tries in one {@link GuessLimiter}; a client over it is refused (429) before anything is checked.
 * Junk costs next to nothing: an over-long value is wrong without a look, a secret in clear or the
 * value that matched last is compared directly, and only a new value for a hashed secret is derived,
 * in one of the few {@link HashChecks} slots.
 */
public class AccessGuard implements CredentialChecks {

    public static final String COOKIE = "scheincam_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String ADMIN = "admin";
    static final String VIEWER = "viewer";
    private static final String BEARER = "Bearer ";
    private static final int MAX_SESSIONS = 1000;
    /** Longer than any token or password anyone types or generates: wrong without a derivation. */
    static final int MAX_SECRET_CHARS = 512;
    private static final String REMOTE = "CamelVertxPlatformHttpRemoteAddress";

    private final Secret adminToken;
    private final Secret viewerPassword;
    private final Clock clock;
    private final Duration sessionAge;
    private final GuessLimiter limiter;
    private final HashChecks hashChecks;
    private final ClientAddress clients;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private record Session(String role, String csrf, Instant expires) {
    }

    public AccessGuard(String adminToken, String viewerPassword, Clock clock, Duration sessionAge,
                       GuessLimiter limiter, HashChecks hashChecks, ClientAddress clients, ObjectMapper json) {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("an admin token is required");
        }
        this.adminToken = Secret.of(adminToken);
        this.viewerPassword = Secret.of(viewerPassword);
        this.clock = clock;
        this.sessionAge = sessionAge;
        this.limiter = limiter;
        this.hashChecks = hashChecks;
        this.clients = clients;
        this.json = json;
    }

    public void requireAdmin(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        byte[] presented = bearer(authorization);
        if (presented != null) {
            if (roleOf(exchange, presented, client(exchange), adminToken) == null) {
                throw ApiProblem.unauthorized("The admin token is wrong.");
            }
            return;
        }
        Session session = session(exchange);
        if (session == null) {
            throw ApiProblem.unauthorized("This action needs the admin token: log in with it, or send 'Authorization: Bearer <token>'.");
        }
        if (!ADMIN.equals(session.role())) {
            throw new ApiProblem(403, "This action needs the admin; you are logged in as a viewer.");
        }
        requireCsrf(exchange, session);
    }

    public void requireViewer(Exchange exchange) {
        if (viewerPassword == null) {
            return;
        }
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        byte[] presented = bearer(authorization);
        if (presented != null) {
            if (roleOf(exchange, presented, client(exchange), viewerPassword, adminToken) == null) {
                throw ApiProblem.unauthorized("The viewer password is wrong.");
            }
            return;
        }
        Session session = session(exchange);
        if (session == null) {
            throw ApiProblem.unauthorized("This venue protects its recordings: log in with the viewer password.");
        }
        requireCsrf(exchange, session);
    }

    /**
     * Refuses a request with these headers that may not see what viewers see: the events socket's
     * handshake (a GET, no CSRF), which names recordings and export jobs. Open when no viewer password
     * is set. {@code remote}: the connection's address. Blocks for a derivation: not on an event loop.
     */
    @Override
    public void requireViewer(String authorization, String cookieHeader, String remote, String forwardedFor) {
        if (viewerPassword == null) {
            return;
        }
        String client = clients.of(remote, forwardedFor);
        byte[] presented = bearer(authorization);
        if (presented != null) {
            if (roleOf(null, presented, client, viewerPassword, adminToken) == null) {
                throw ApiProblem.unauthorized("The viewer password is wrong.");
            }
            return;
        }
        if (session(null, cookieValue(cookieHeader), client) == null) {
            throw ApiProblem.unauthorized("This venue protects its recordings: log in with the viewer password.");
        }
    }

    /**
     * Refused before any route runs, on the event loop, at the cost of a hash at most: a credential from
     * a client over the guess limit (429), or a Bearer value that would need a derivation while every
     * slot and place in the queue for one is taken (503). Junk past the limits then costs no worker
     * thread and no route (refused in the route, 24 junk clients sent ~7,000 a second through it and
     * /api/ping's p50 was 23-60 ms; refused here, 10-14 ms). Null: the route checks as always.
     */
    @Override
    public ApiProblem refusalBeforeRouting(String authorization, String cookieHeader, String remote, String forwardedFor) {
        byte[] presented = bearer(authorization);
        if (presented == null && cookieValue(cookieHeader) == null) {
            return null;
        }
        String client = clients.of(remote, forwardedFor);
        long wait = limiter.refusal(client);
        if (wait > 0) {
            return guessing(client, wait);
        }
        if (presented != null && presented.length <= MAX_SECRET_CHARS * 4 && hashChecks.full()) {
            Secret[] secrets = viewerPassword == null ? new Secret[] {adminToken} : new Secret[] {adminToken, viewerPassword};
            if (cheapRole(presented, secrets) == null && needsDerivation(presented, secrets)) {
                return HashChecks.busy();
            }
        }
        return null;
    }

    /**
     * The per-client rates (ClientRates) do not hold the admin back: the operator is one trusted person
     * whose scripts (say, archiving every recording) and dashboard must not fail on a limit meant for
     * strangers; the bulkheads still bound what the admin holds. Asked on the event loop, so only what is
     * known without a derivation counts; anything else is treated as anyone's request.
     */
    @Override
    public boolean isKnownAdmin(String authorization, String cookieHeader) {
        byte[] presented = bearer(authorization);
        if (presented != null) {
            return presented.length <= MAX_SECRET_CHARS * 4 && Boolean.TRUE.equals(adminToken.knownMatch(presented));
        }
        String id = cookieValue(cookieHeader);
        Session session = id == null ? null : session(id);
        return session != null && ADMIN.equals(session.role());
    }

    /** {@code POST /api/session}: the password decides the role; the answer sets the cookie. */
    public SessionReply login(Exchange exchange) {
        byte[] presented = password(exchange.getMessage().getBody(String.class));
        String role = viewerPassword == null ? roleOf(exchange, presented, client(exchange), adminToken)
                : roleOf(exchange, presented, client(exchange), adminToken, viewerPassword);
        if (role == null) {
            throw ApiProblem.unauthorized("The password is wrong.");
        }
        expireSessions();
        String id = newSecret();
        Session session = new Session(role, newSecret(), clock.instant().plus(sessionAge));
        sessions.put(id, session);
        exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + sessionAge.toSeconds());
        return describe(session);
    }

    /**
     * The role the first of {@code secrets} that {@code presented} matches opens, or null (counted as a
     * wrong try). Refused first when this client has guessed too often (429) or every slot for a slow
     * check is taken (503); {@code exchange}, when there is one, gets the Retry-After header.
     */
    private String roleOf(Exchange exchange, byte[] presented, String client, Secret... secrets) {
        try {
            refuseGuesser(client);
            String role = presented.length > MAX_SECRET_CHARS * 4 ? null : cheapRole(presented, secrets);
            if (role == null && presented.length <= MAX_SECRET_CHARS * 4 && needsDerivation(presented, secrets)) {
                role = hashChecks.run(() -> derivedRole(presented, secrets));
            }
            if (role == null) {
                limiter.failed(client);
            }
            return role;
        } catch (ApiProblem problem) {
            if (exchange != null && problem.getRetryAfter() > 0) {
                exchange.getMessage().setHeader("Retry-After", problem.getRetryAfter());
            }
            throw problem;
        }
    }

    private void refuseGuesser(String client) {
        long wait = limiter.refusal(client);
        if (wait > 0) {
            throw guessing(client, wait);
        }
    }

    private static ApiProblem guessing(String client, long wait) {
        return ApiProblem.tooManyRequests("Too many wrong credentials from " + client + "; try again in " + wait + " s.")
                .retryAfter(wait);
    }

    private String cheapRole(byte[] presented, Secret... secrets) {
        for (Secret secret : secrets) {
            if (Boolean.TRUE.equals(secret.knownMatch(presented))) {
                return roleName(secret);
            }
        }
        return null;
    }

    private static boolean needsDerivation(byte[] presented, Secret... secrets) {
        for (Secret secret : secrets) {
            if (secret.knownMatch(presented) == null) {
                return true;
            }
        }
        return false;
    }

    private String derivedRole(byte[] presented, Secret... secrets) {
        for (Secret secret : secrets) {
            if (secret.knownMatch(presented) == null && secret.derivedMatch(presented)) {
                return roleName(secret);
            }
        }
        return null;
    }

    private String roleName(Secret secret) {
        return secret == adminToken ? ADMIN : VIEWER;
    }

    /** {@code GET /api/session}: who the browser is, and whether viewers need a password. */
    public SessionReply current(Exchange exchange) {
        Session session = session(exchange);
        return describe(session);
    }

    /** {@code DELETE /api/session}: forgets the session and clears the cookie. */
    public SessionReply logout(Exchange exchange) {
        String id = cookie(exchange);
        Session session = session(exchange);
        if (session != null) {
            requireCsrf(exchange, session);
            sessions.remove(id);
        }
        exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        return describe(null);
    }

    /**
     * The session answers (Session): the role (none: a viewer password is needed), and the CSRF token
     * only to the browser that is logged in (left out otherwise).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SessionReply(String role, boolean loggedIn, boolean viewerPasswordRequired,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String csrfToken) {
    }

    private SessionReply describe(Session session) {
        return new SessionReply(session == null ? (viewerPassword == null ? VIEWER : "none") : session.role(),
                session != null, viewerPassword != null, session == null ? null : session.csrf());
    }

    private void requireCsrf(Exchange exchange, Session session) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "GET", String.class).toUpperCase(Locale.ROOT);
        if (method.equals("GET") || method.equals("HEAD")) {
            return;
        }
        String token = exchange.getMessage().getHeader(CSRF_HEADER, String.class);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.csrf().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiProblem(403, "A change made with the session cookie needs the session's " + CSRF_HEADER + " header.");
        }
    }

    private Session session(Exchange exchange) {
        String id = cookie(exchange);
        return id == null ? null : session(exchange, id, client(exchange));
    }

    /**
     * The live session a cookie names, or null. A cookie naming none is a wrong try like a wrong
     * password (counted; refused while the client guesses too often), and the answer clears it: after
     * a restart every browser's cookie names nothing, and it should stop sending it.
     */
    private Session session(Exchange exchange, String id, String client) {
        if (id == null) {
            return null;
        }
        try {
            refuseGuesser(client);
        } catch (ApiProblem problem) {
            if (exchange != null) {
                exchange.getMessage().setHeader("Retry-After", problem.getRetryAfter());
            }
            throw problem;
        }
        Session session = session(id);
        if (session == null) {
            limiter.failed(client);
            if (exchange != null) {
                exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
            }
        }
        return session;
    }

    private Session session(String id) {
        Session session = sessions.get(id);
        if (session == null) {
            return null;
        }
        if (session.expires().isBefore(clock.instant())) {
            sessions.remove(id);
            return null;
        }
        return session;
    }

    private static String cookie(Exchange exchange) {
        return cookieValue(exchange.getMessage().getHeader("Cookie", String.class));
    }

    private static String cookieValue(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                String value = p.substring(COOKIE.length() + 1);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private byte[] password(String body) {
        try {
            JsonNode node = json.readTree(body == null ? "" : body);
            JsonNode password = node == null ? null : node.get("password");
            if (password == null || !password.isTextual()) {
                throw ApiProblem.unprocessable("Field 'password' is required.");
            }
            String text = password.asText();
            return text.length() > MAX_SECRET_CHARS ? new byte[MAX_SECRET_CHARS * 4 + 1] : text.getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not JSON.");
        }
    }

    /** The client's address as the connection shows it, or as a trusted proxy names it (ClientAddress). */
    private String client(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader(REMOTE);
        String address = remote instanceof SocketAddress socket ? socket.hostAddress() : null;
        return clients.of(address, exchange.getMessage().getHeader("X-Forwarded-For", String.class));
    }

    private void expireSessions() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.expires().isBefore(now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(Map.Entry.comparingByValue(java.util.Comparator.comparing(Session::expires)))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String value = authorization.substring(BEARER.length()).trim();
        if (value.length() > MAX_SECRET_CHARS) {
            return new byte[MAX_SECRET_CHARS * 4 + 1]; // wrong, and known to be without reading it
        }
        return value.isEmpty() ? null : value.getBytes(StandardCharsets.UTF_8);
    }
}
