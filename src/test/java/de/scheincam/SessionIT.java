package de.scheincam;

import java.net.http.HttpResponse;
import java.util.Map;

import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Browser sessions: the cookie's flags, CSRF, roles, the login limit, and the security headers. */
class SessionIT {

    private static final String VIEWER = "viewer-pass-42";

    @Test
    void adminSessionCookieIsHttpOnlyStrictAndChangesNeedTheCsrfToken() {
        try (TestApp app = TestApp.start(Map.of())) {
            HttpResponse<String> login = app.post("/api/session", "{\"password\":\"" + TestApp.ADMIN_TOKEN + "\"}");
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie).startsWith("scheincam_session=").contains("HttpOnly").contains("SameSite=Strict")
                    .contains("Path=/");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            String csrf = json(login).path("csrf_token").asText();
            assertThat(json(login).path("role").asText()).isEqualTo("admin");
            assertThat(csrf).hasSizeGreaterThan(20);

            // reading works with the cookie alone
            assertThat(app.get("/api/settings", "Cookie", cookie).statusCode()).isEqualTo(200);
            assertThat(json(app.get("/api/session", "Cookie", cookie)).path("csrf_token").asText()).isEqualTo(csrf);
            // a change without the token is refused and changes nothing; with it, it goes through
            HttpResponse<String> forged = app.send("PUT", "/api/settings", "{\"delete_age_days\":3}",
                    "Cookie", cookie, "Content-Type", "application/json");
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(json(forged).path("detail").asText()).contains("X-CSRF-Token");
            assertThat(json(app.get("/api/settings", TestApp.admin())).path("delete_age_days").asInt()).isNotEqualTo(3);
            HttpResponse<String> wrongToken = app.send("PUT", "/api/settings", "{\"delete_age_days\":3}",
                    "Cookie", cookie, "Content-Type", "application/json", "X-CSRF-Token", csrf + "x");
            assertThat(wrongToken.statusCode()).isEqualTo(403);
            HttpResponse<String> real = app.send("PUT", "/api/settings", "{\"delete_age_days\":3}",
                    "Cookie", cookie, "Content-Type", "application/json", "X-CSRF-Token", csrf);
            assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
            assertThat(json(real).path("delete_age_days").asInt()).isEqualTo(3);

            // logging out ends the session
            HttpResponse<String> logout = app.send("DELETE", "/api/session", null, "Cookie", cookie, "X-CSRF-Token", csrf);
            assertThat(logout.statusCode()).isEqualTo(200);
            assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
            assertThat(app.get("/api/settings", "Cookie", cookie).statusCode()).isEqualTo(401);
            assertThat(app.get("/api/settings", "Cookie", "scheincam_session=made-up").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void viewerSessionOpensRecordingsButNotAdminActions() {
        try (TestApp app = TestApp.start(Map.of("scheincam.viewer.password", VIEWER))) {
            assertThat(json(app.get("/api/session")).path("role").asText()).isEqualTo("none");
            assertThat(json(app.get("/api/session")).path("viewer_password_required").asBoolean()).isTrue();
            assertThat(app.get("/api/videos").statusCode()).isEqualTo(401);
            HttpResponse<String> login = app.post("/api/session", "{\"password\":\"" + VIEWER + "\"}");
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(json(login).path("role").asText()).isEqualTo("viewer");
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertThat(app.get("/api/videos", "Cookie", cookie).statusCode()).isEqualTo(200);
            HttpResponse<String> admin = app.get("/api/settings", "Cookie", cookie);
            assertThat(admin.statusCode()).isEqualTo(403);
            assertThat(json(admin).path("detail").asText()).contains("viewer");
        }
    }

    @Test
    void corsOnlyForConfiguredOriginsAndNeverWithCredentials() {
        try (TestApp app = TestApp.start(Map.of("scheincam.cors.origins", "https://venue.example"))) {
            HttpResponse<String> allowed = app.get("/api/ping", "Origin", "https://venue.example");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://venue.example");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
            HttpResponse<String> preflight = app.send("OPTIONS", "/api/videos/export", null,
                    "Origin", "https://venue.example", "Access-Control-Request-Method", "POST");
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
            HttpResponse<String> other = app.get("/api/ping", "Origin", "https://evil.example");
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void adminTokenStoredAsHashWorksForLoginAndBearer() {
        String token = "a-long-admin-token-for-hashing";
        try (TestApp app = TestApp.start(Map.of("scheincam.admin.token", de.scheincam.web.Secret.hash(token)))) {
            assertThat(app.get("/api/settings", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(app.get("/api/settings", "Authorization", "Bearer " + token + "x").statusCode()).isEqualTo(401);
            HttpResponse<String> login = app.post("/api/session", "{\"password\":\"" + token + "\"}");
            assertThat(json(login).path("role").asText()).isEqualTo("admin");
        }
    }

    @Test
    void loginAttemptsAreLimitedPerClientAndNeverEchoed() {
        try (TestApp app = TestApp.start(Map.of("scheincam.access.failures-per-client-per-minute", "5"))) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> wrong = app.post("/api/session", "{\"password\":\"guess-" + i + "\"}");
                assertThat(wrong.statusCode()).isEqualTo(401);
                assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
            }
            // the sixth within the minute is refused even with the right password
            HttpResponse<String> limited = app.post("/api/session", "{\"password\":\"" + TestApp.ADMIN_TOKEN + "\"}");
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(json(limited).path("detail").asText()).contains("Too many wrong credentials");
            assertThat(limited.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            // a client's own Set-Cookie header is not echoed back
            HttpResponse<String> echo = app.send("GET", "/api/session", null, "Set-Cookie", "scheincam_session=evil");
            assertThat(echo.headers().firstValue("Set-Cookie")).isEmpty();
            // nor any other header the API may answer with, on any route
            HttpResponse<String> injected = app.send("GET", "/api/ping", null, "Location", "http://evil.example/",
                    "Content-Disposition", "attachment; filename=x.exe", "Retry-After", "1", "Cache-Control", "no-cache");
            assertThat(injected.statusCode()).isEqualTo(200);
            assertThat(injected.headers().firstValue("Location")).isEmpty();
            assertThat(injected.headers().firstValue("Content-Disposition")).isEmpty();
            assertThat(injected.headers().firstValue("Retry-After")).isEmpty();
            assertThat(injected.headers().firstValue("Cache-Control")).isEmpty();
            // one limit for every way of trying a secret: this client's Bearer token is not heard either
            // (a 200 would tell a guesser it is right); scripts on other addresses are not affected
            assertThat(app.get("/api/settings", TestApp.admin()).statusCode()).isEqualTo(429);
            try (de.scheincam.testing.KeepAliveHttp script = new de.scheincam.testing.KeepAliveHttp("127.0.0.2", app.port)) {
                assertThat(script.get("/api/settings", "Authorization: Bearer " + TestApp.ADMIN_TOKEN).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void pagesAndAnswersCarrySecurityHeaders() {
        try (TestApp app = TestApp.start(Map.of())) {
            for (String path : new String[] {"/", "/js/app.js", "/api/ping"}) {
                HttpResponse<String> r = app.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
                assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
                assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).as(path)
                        .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'");
            }
            assertThat(app.get("/").body()).contains("<script type=\"module\" src=\"/js/app.js\">");
            assertThat(app.get("/js/app.js").headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
            // no cross-origin access unless configured
            HttpResponse<String> cors = app.get("/api/ping", "Origin", "http://evil.example");
            assertThat(cors.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }
}
