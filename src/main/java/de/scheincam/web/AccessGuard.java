package de.scheincam.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;

/**
 * Who may do what. Admin actions need the admin token; viewer actions (list, frames, exports, downloads)
 * are open unless a viewer password is set, in which case that password or the admin token is needed.
 * <p>
 * Scripts send the secret as a Bearer credential. Browsers log in once ({@code POST /api/session}) and
 * get a session cookie (HttpOnly, SameSite=Strict) plus a CSRF token that every state-changing request
 * made with the cookie must echo in {@code X-CSRF-Token}. Login attempts are limited per client address;
 * secrets are compared in constant time.
 */
public class AccessGuard {

    public static final String COOKIE = "scheincam_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String ADMIN = "admin";
    static final String VIEWER = "viewer";
    private static final String BEARER = "Bearer ";
    private static final int MAX_SESSIONS = 1000;

    private final Secret adminToken;
    private final Secret viewerPassword;
    private final Clock clock;
    private final Duration sessionAge;
    private final LoginLimiter limiter;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private record Session(String role, String csrf, Instant expires) {
    }

    public AccessGuard(String adminToken, String viewerPassword, Clock clock, Duration sessionAge,
                       LoginLimiter limiter, ObjectMapper json) {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("an admin token is required");
        }
        this.adminToken = Secret.of(adminToken);
        this.viewerPassword = Secret.of(viewerPassword);
        this.clock = clock;
        this.sessionAge = sessionAge;
        this.limiter = limiter;
        this.json = json;
    }

    public void requireAdmin(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        byte[] presented = bearer(authorization);
        if (presented != null) {
            if (!adminToken.matches(presented)) {
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
            if (!viewerPassword.matches(presented) && !adminToken.matches(presented)) {
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
     * Whether a request with these headers may see what viewers see: the events socket's handshake (a
     * GET, no CSRF), which names recordings and export jobs. Open when no viewer password is set.
     */
    public boolean admitsViewer(String authorization, String cookieHeader) {
        if (viewerPassword == null) {
            return true;
        }
        byte[] presented = bearer(authorization);
        if (presented != null) {
            return viewerPassword.matches(presented) || adminToken.matches(presented);
        }
        return session(cookieValue(cookieHeader)) != null;
    }

    /** {@code POST /api/session}: the password decides the role; the answer sets the cookie. */
    public Map<String, Object> login(Exchange exchange) {
        String client = client(exchange);
        long wait = limiter.attempt(client);
        if (wait > 0) {
            exchange.getMessage().setHeader("Retry-After", wait);
            throw ApiProblem.tooManyRequests("Too many login attempts from " + client + "; try again in " + wait + " s.");
        }
        byte[] presented = password(exchange.getMessage().getBody(String.class));
        String role;
        if (adminToken.matches(presented)) {
            role = ADMIN;
        } else if (viewerPassword != null && viewerPassword.matches(presented)) {
            role = VIEWER;
        } else {
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

    /** {@code GET /api/session}: who the browser is, and whether viewers need a password. */
    public Map<String, Object> current(Exchange exchange) {
        Session session = session(exchange);
        return describe(session);
    }

    /** {@code DELETE /api/session}: forgets the session and clears the cookie. */
    public Map<String, Object> logout(Exchange exchange) {
        String id = cookie(exchange);
        Session session = id == null ? null : sessions.get(id);
        if (session != null) {
            requireCsrf(exchange, session);
            sessions.remove(id);
        }
        exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        return describe(null);
    }

    private Map<String, Object> describe(Session session) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("role", session == null ? (viewerPassword == null ? VIEWER : "none") : session.role());
        reply.put("logged_in", session != null);
        reply.put("viewer_password_required", viewerPassword != null);
        if (session != null) {
            reply.put("csrf_token", session.csrf());
        }
        return reply;
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
        return session(cookie(exchange));
    }

    private Session session(String id) {
        if (id == null) {
            return null;
        }
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
            return password.asText().getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not JSON.");
        }
    }

    /** The client's address as the connection shows it (a proxy in front would make all clients one). */
    private static String client(Exchange exchange) {
        Object remote = exchange.getMessage().getHeader("CamelVertxPlatformHttpRemoteAddress");
        if (remote instanceof SocketAddress address) {
            return address.hostAddress();
        }
        return "unknown";
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
        return value.isEmpty() ? null : value.getBytes(StandardCharsets.UTF_8);
    }
}
