package de.scheincam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import de.scheincam.testing.KeepAliveHttp;
import de.scheincam.testing.RawHttp;
import de.scheincam.testing.TestApp;
import de.scheincam.web.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Junk credentials cost nothing, and guessing is limited on every way a secret can be tried (Bearer,
 * cookie, login), per client address and overall, while the right credential keeps working. Each
 * client is its own loopback source address (127.0.x.y); traffic stays on this machine.
 */
class CredentialLimitsIT {

    private static final String VIEWER = "the-viewer-password-of-the-venue";

    @Test
    void junkBearerFromTwentyFourConnectionsLeavesPingFast() throws Exception {
        // the viewer password stored as PBKDF2: each new value presented costs a derivation (~0.2 s of a core)
        try (TestApp app = TestApp.start(Map.of("scheincam.viewer.password", Secret.hash(VIEWER)))) {
            try (KeepAliveHttp warm = new KeepAliveHttp(app.port)) {
                for (int i = 0; i < 20; i++) {
                    warm.get("/api/ping");
                }
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            ExecutorService crowd = Executors.newFixedThreadPool(24);
            for (int c = 0; c < 24; c++) {
                String from = "127.0.1." + (c + 1); // 24 clients, as a crowd of phones would be
                int client = c;
                crowd.submit(() -> {
                    KeepAliveHttp http = null;
                    while (System.nanoTime() < until) {
                        try {
                            if (http == null) {
                                http = new KeepAliveHttp(from, app.port);
                            }
                            RawHttp.Answer a = http.get("/api/videos", "Authorization: Bearer junk-" + client + "-" + sent.incrementAndGet());
                            statuses.computeIfAbsent(a.status(), s -> new AtomicInteger()).incrementAndGet();
                        } catch (RuntimeException closed) {
                            http = null;
                        }
                    }
                    if (http != null) {
                        http.close();
                    }
                });
            }
            List<Long> pings = Collections.synchronizedList(new ArrayList<>());
            try (KeepAliveHttp ping = new KeepAliveHttp(app.port)) {
                while (System.nanoTime() < until) {
                    long start = System.nanoTime();
                    RawHttp.Answer a = ping.get("/api/ping");
                    pings.add((System.nanoTime() - start) / 1_000_000);
                    assertThat(a.status()).isEqualTo(200);
                    Thread.sleep(20);
                }
            }
            crowd.shutdown();
            assertThat(crowd.awaitTermination(30, TimeUnit.SECONDS)).as("the crowd's last requests answered").isTrue();
            List<Long> sorted = new ArrayList<>(pings);
            Collections.sort(sorted);
            long p50 = sorted.get(sorted.size() / 2);
            long p99 = sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100));
            System.out.printf("junk Bearer: %d requests from 24 clients in 10 s, statuses %s; /api/ping n=%d p50 %d ms p99 %d ms%n",
                    sent.get(), statuses, sorted.size(), p50, p99);
            assertThat(p50).as("ping p50 (ms) under the junk").isLessThan(50);
            assertThat(statuses.keySet()).as("junk is refused: wrong, guessing, or busy").isSubsetOf(401, 429, 503);
            // one derivation at a time (~0.2 s each): the rest refused at once, busy; before, 24 at a time took both cores
            assertThat(statuses.getOrDefault(401, new AtomicInteger()).get()).as("junk derived").isLessThan(120);
            assertThat(statuses.getOrDefault(503, new AtomicInteger()).get()).as("junk refused busy").isPositive();
            // the right password from a client that guessed nothing still opens the recordings, first
            // derived (the crowd is limited by now), then remembered
            try (KeepAliveHttp venue = new KeepAliveHttp("127.0.0.1", app.port)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(venue.get("/api/videos", "Authorization: Bearer " + VIEWER).status()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void guessingIsLimitedOnEveryPathWhileTheRightCredentialWorks() {
        try (TestApp app = TestApp.start(Map.of("scheincam.viewer.password", Secret.hash(VIEWER),
                "scheincam.access.failures-per-client-per-minute", "5",
                "scheincam.access.failures-per-minute", "16"))) {
            // the venue's own browser: logged in before the guessing starts
            String cookie;
            try (KeepAliveHttp venue = new KeepAliveHttp("127.0.0.1", app.port)) {
                assertThat(venue.postJson("/api/session", "{\"password\":\"" + VIEWER + "\"}").status()).isEqualTo(200);
                cookie = venue.lastHeaders().lines().filter(l -> l.startsWith("set-cookie:") || l.startsWith("Set-Cookie:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim().split(";")[0]).findFirst().orElseThrow();
            }
            // Bearer, cookie and login guesses, each path from its own client: 5 wrong ones answered 401, then 429
            String[] paths = {"bearer", "cookie", "login"};
            for (int p = 0; p < paths.length; p++) {
                try (KeepAliveHttp guesser = new KeepAliveHttp("127.0.2." + (p + 1), app.port)) {
                    for (int i = 0; i <= 5; i++) {
                        RawHttp.Answer a = guess(guesser, paths[p], "guess-" + i);
                        if (i < 5) {
                            assertThat(a.status()).as(paths[p] + " guess " + i + ": " + a.body()).isEqualTo(401);
                        } else {
                            assertThat(a.status()).as(paths[p] + " guess after the limit: " + a.body()).isEqualTo(429);
                            assertThat(a.json().path("detail").asText()).contains("Too many wrong credentials");
                            assertThat(guesser.lastHeaders().toLowerCase()).contains("retry-after:");
                        }
                    }
                    // a limited client is not heard at all, or a right answer would tell it when it is right
                    assertThat(guess(guesser, paths[p], VIEWER).status()).as(paths[p] + " right after the limit").isEqualTo(429);
                }
            }
            // 15 failures so far; the 16th from a new client is still heard, and fills the overall limit
            try (KeepAliveHttp another = new KeepAliveHttp("127.0.2.9", app.port)) {
                assertThat(guess(another, "bearer", "guess-x").status()).isEqualTo(401);
                assertThat(guess(another, "bearer", "guess-y").status()).as("over the overall limit").isEqualTo(429);
            }
            // the right credential on every path still works for clients that did not guess
            try (KeepAliveHttp venue = new KeepAliveHttp("127.0.0.1", app.port)) {
                assertThat(venue.get("/api/videos", "Authorization: Bearer " + VIEWER).status()).isEqualTo(200);
                assertThat(venue.get("/api/videos", "Cookie: " + cookie).status()).isEqualTo(200);
                for (int i = 0; i < 10; i++) { // right ones are never counted
                    assertThat(venue.get("/api/settings", "Authorization: Bearer " + TestApp.ADMIN_TOKEN).status()).isEqualTo(200);
                }
            }
            try (KeepAliveHttp fresh = new KeepAliveHttp("127.0.3.1", app.port)) {
                assertThat(fresh.postJson("/api/session", "{\"password\":\"" + VIEWER + "\"}").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void forwardedForCountsOnlyBehindATrustedProxy() {
        // without a trusted proxy the header is anyone's to write: every guess from 127.0.0.1 counts for it
        try (TestApp app = TestApp.start(Map.of("scheincam.access.failures-per-client-per-minute", "3"))) {
            try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", app.port)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(http.get("/api/settings", "Authorization: Bearer wrong", "X-Forwarded-For: 10.0.0." + i).status())
                            .isEqualTo(401);
                }
                assertThat(http.get("/api/settings", "Authorization: Bearer wrong", "X-Forwarded-For: 10.0.0.9").status())
                        .isEqualTo(429);
            }
        }
        // behind a trusted proxy each forwarded client has its own count, and the proxy's other clients are served
        try (TestApp app = TestApp.start(Map.of("scheincam.access.failures-per-client-per-minute", "3",
                "scheincam.access.trusted-proxies", "127.0.0.1"))) {
            try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", app.port)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(http.get("/api/settings", "Authorization: Bearer wrong", "X-Forwarded-For: 10.0.0.1").status())
                            .isEqualTo(401);
                }
                assertThat(http.get("/api/settings", "Authorization: Bearer " + TestApp.ADMIN_TOKEN,
                        "X-Forwarded-For: 10.0.0.1").status()).isEqualTo(429);
                assertThat(http.get("/api/settings", "Authorization: Bearer " + TestApp.ADMIN_TOKEN,
                        "X-Forwarded-For: 10.0.0.2").status()).isEqualTo(200);
                // a client cannot pose as another by adding to the header: the proxy appends what it saw last
                assertThat(http.get("/api/settings", "Authorization: Bearer wrong",
                        "X-Forwarded-For: 10.0.0.2, 10.0.0.1").status()).isEqualTo(429);
            }
        }
    }

    private static RawHttp.Answer guess(KeepAliveHttp http, String path, String secret) {
        return switch (path) {
            case "bearer" -> http.get("/api/videos", "Authorization: Bearer " + secret);
            case "cookie" -> http.get("/api/videos", "Cookie: " + de.scheincam.web.AccessGuard.COOKIE + "=" + secret);
            default -> http.postJson("/api/session", "{\"password\":\"" + secret + "\"}");
        };
    }
}
