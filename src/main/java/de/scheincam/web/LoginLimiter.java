package de.scheincam.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code perMinute} login attempts per client address in any 60 s: guessing the admin token
 * over the venue's network stays hopeless. Memory stays bounded: quiet clients are forgotten.
 */
public class LoginLimiter {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_CLIENTS = 10_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

    public LoginLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts an attempt; 0 when it may go ahead, else the seconds until it may. */
    public long attempt(String client) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(WINDOW);
        if (attempts.size() > MAX_CLIENTS) {
            attempts.values().removeIf(d -> {
                synchronized (d) {
                    return d.isEmpty() || d.peekLast().isBefore(cutoff);
                }
            });
        }
        Deque<Instant> recent = attempts.computeIfAbsent(client, c -> new ArrayDeque<>());
        synchronized (recent) {
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
                recent.pollFirst();
            }
            if (recent.size() >= perMinute) {
                return Math.max(1, Duration.between(cutoff, recent.peekFirst()).toSeconds() + 1);
            }
            recent.addLast(now);
            return 0;
        }
    }
}
