package de.scheincam.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One limit for every way a secret can be tried (the login form, a Bearer header, a session cookie):
 * wrong credentials are counted per client address and overall, in any 60 s. A client with
 * {@code perClient} failures in the window is not heard at all until they age out, whatever it sends
 * (a right credential answered 200 would tell a guesser when it is right). Past {@code overall}
 * failures from everyone, only clients without a failure of their own in the window are still
 * heard: many addresses cannot guess together beyond it, and the operator's phone keeps working.
 * Right credentials are never counted, so a script sending its token with every request is never
 * limited. Memory stays bounded: quiet clients are forgotten, and past {@code MAX_CLIENTS} the
 * unknown ones count as one.
 */
public class GuessLimiter {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_CLIENTS = 10_000;
    private static final String CROWD = "(too many clients)";

    private final int perClient;
    private final int overall;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Deque<Instant> everyone = new ArrayDeque<>();

    public GuessLimiter(int perClient, int overall, Clock clock) {
        if (perClient < 1 || overall < 1) {
            throw new IllegalArgumentException("the failure limits must be at least 1");
        }
        this.perClient = perClient;
        this.overall = overall;
        this.clock = clock;
    }

    /** 0 when {@code client} may try a credential now, else the seconds until it may. */
    public long refusal(String client) {
        Instant cutoff = clock.instant().minus(WINDOW);
        Deque<Instant> own = failures.get(key(client));
        long ownWait = 0;
        boolean failedLately = false;
        if (own != null) {
            synchronized (own) {
                drop(own, cutoff);
                failedLately = !own.isEmpty();
                if (own.size() >= perClient) {
                    ownWait = secondsUntil(own.peekFirst(), cutoff);
                }
            }
        }
        if (ownWait > 0 || !failedLately) {
            return ownWait;
        }
        synchronized (everyone) {
            drop(everyone, cutoff);
            return everyone.size() >= overall ? secondsUntil(everyone.peekFirst(), cutoff) : 0;
        }
    }

    /** Counts a wrong credential from {@code client}. */
    public void failed(String client) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(WINDOW);
        if (failures.size() >= MAX_CLIENTS) {
            failures.values().removeIf(d -> {
                synchronized (d) {
                    drop(d, cutoff);
                    return d.isEmpty();
                }
            });
        }
        String key = failures.size() >= MAX_CLIENTS && !failures.containsKey(key(client)) ? CROWD : key(client);
        Deque<Instant> own = failures.computeIfAbsent(key, c -> new ArrayDeque<>());
        synchronized (own) {
            drop(own, cutoff);
            // a client already refused is not heard; its count need not grow past the limit
            if (own.size() < perClient) {
                own.addLast(now);
            }
        }
        synchronized (everyone) {
            drop(everyone, cutoff);
            if (everyone.size() < overall) {
                everyone.addLast(now);
            }
        }
    }

    private String key(String client) {
        return client == null || client.isBlank() ? "unknown" : client;
    }

    private static void drop(Deque<Instant> times, Instant cutoff) {
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.pollFirst();
        }
    }

    private static long secondsUntil(Instant oldest, Instant cutoff) {
        return Math.max(1, Duration.between(cutoff, oldest).toSeconds() + 1);
    }
}
