package de.scheincam.web;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * How often one client may ask for what costs the venue's machine something: frames (a decode each),
 * filmstrips (a sprite to compute), exports (a clip to cut) and downloads (a file to open). One token
 * bucket per client and kind: {@code burst} requests at once, refilled at {@code perMinute}. A client
 * past it is refused (429 with the seconds until its next token) by the HTTP front before the contract
 * check and before any worker thread, so a script that ignores Retry-After and asks again at once costs
 * the event loop a map lookup per try instead of a thread, a route and a validation (20 such threads
 * hammering frames pushed /api/ping to p50 ~480 ms, p99 1.9 s).
 * <p>
 * The bulkheads bound what all clients together may hold; these rates keep one client from taking a
 * bulkhead's whole share. The client is who {@link ClientAddress} says (trusted proxies honoured).
 * Memory stays bounded: a bucket that has refilled is the same as a new one and is forgotten, and past
 * {@code MAX_CLIENTS} busy clients the unknown ones share one bucket, as in {@link GuessLimiter}.
 */
public class ClientRates {

    private static final int MAX_CLIENTS = 10_000;
    private static final String CROWD = "(too many clients)";
    /** Quiet clients are forgotten this often; at the cap at most this often too (a sweep reads every bucket). */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final Duration SWEEP_AT_CAP_EVERY = Duration.ofSeconds(1);

    /** The calls each kind is: method and path, as the HTTP front sees them (trailing slash dropped). */
    private static final Map<String, Pattern> CALLS = Map.of(
            "frames", Pattern.compile("POST /api/videos/frame"),
            "filmstrips", Pattern.compile("(GET|HEAD) /api/(videos/[^/]+/filmstrip(/sprite)?|shows/[^/]+/filmstrip)"),
            "exports", Pattern.compile("POST /api/videos/export"),
            "downloads", Pattern.compile("(GET|HEAD) /api/(videos|exports)/[^/]+/download"));

    /**
     * What one client gets of one kind of call ({@code frames}, {@code filmstrips}, {@code exports},
     * {@code downloads}): {@code burst} at once, {@code perMinute} refilled evenly. 0 per minute: no limit.
     */
    public record Rate(String kind, long burst, long perMinute, int atOnce) {
        public Rate {
            if (!CALLS.containsKey(kind)) {
                throw new IllegalArgumentException("no such kind of call: " + kind);
            }
            if (perMinute < 0 || perMinute > 0 && burst < 1) {
                throw new IllegalArgumentException("the " + kind + " rate needs a burst of at least 1 and a rate of at least 0");
            }
            if (atOnce < 0) {
                throw new IllegalArgumentException("the " + kind + " calls at once may not be negative");
            }
        }

        /** No bound on how many of the client's calls run at once, only on how often they come. */
        public Rate(String kind, long burst, long perMinute) {
            this(kind, burst, perMinute, 0);
        }
    }

    /** A call let through ({@code refusal} null; {@code release} to run when it is answered) or refused. */
    public record Admission(ApiProblem refusal, Runnable release) {
        static final Runnable NOTHING = () -> { };
    }

    private final Map<String, Limit> limits = new LinkedHashMap<>();
    private final ClientAddress clients;
    private final TimeMeter time;

    public ClientRates(List<Rate> rates, ClientAddress clients, Clock clock) {
        this.clients = clients;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        for (Rate rate : rates) {
            if (rate.perMinute() > 0) {
                limits.put(rate.kind(), new Limit(rate));
            }
        }
    }

    /** The kind of call {@code method} on {@code path} is, when it is one with a rate; else null. */
    public String kindOf(String method, String path) {
        String call = method + " " + path;
        for (Map.Entry<String, Limit> limit : limits.entrySet()) {
            if (CALLS.get(limit.getKey()).matcher(call).matches()) {
                return limit.getKey();
            }
        }
        return null;
    }

    /**
     * Takes one of the client's tokens for {@code kind}: null when it had one, else the refusal (429,
     * Retry-After). {@code remote}: the connection's address; {@code forwardedFor}: X-Forwarded-For or null.
     */
    public ApiProblem refusal(String kind, String remote, String forwardedFor) {
        Limit limit = limits.get(kind);
        if (limit == null) {
            return null;
        }
        String client = clients.of(remote, forwardedFor);
        ConsumptionProbe probe = limit.bucketOf(client).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return null;
        }
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        Rate rate = limit.rate;
        return ApiProblem.tooManyRequests("Too many " + kind + " asked for by " + client + ": at most " + rate.perMinute()
                + " a minute (" + rate.burst() + " at once); try again in " + wait + " s.").retryAfter(wait);
    }

    /**
     * Lets one call of {@code kind} through when the client has fewer than the kind's {@code atOnce}
     * running (a slot, given back by the admission's release when the call is answered) and a token;
     * otherwise the refusal (429). A rate keeps a client from asking too often; the slots keep it from
     * holding the whole bulkhead with calls that each take long (a crowd of decodes on a loaded box),
     * where every other client's would be refused as busy.
     */
    public Admission admit(String kind, String remote, String forwardedFor) {
        Limit limit = limits.get(kind);
        if (limit == null) {
            return new Admission(null, Admission.NOTHING);
        }
        String client = clients.of(remote, forwardedFor);
        Runnable release = Admission.NOTHING;
        if (limit.rate.atOnce() > 0) {
            if (limit.running.merge(client, 1, Integer::sum) > limit.rate.atOnce()) {
                leave(limit, client);
                return new Admission(ApiProblem.tooManyRequests("Too many " + kind + " at once for " + client + ": at most "
                        + limit.rate.atOnce() + " are made for one client at a time; ask again once one is answered.")
                        .retryAfter(1), null);
            }
            java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();
            release = () -> {
                if (left.compareAndSet(false, true)) {
                    leave(limit, client);
                }
            };
        }
        ApiProblem refusal = refusal(kind, remote, forwardedFor);
        if (refusal != null) {
            release.run();
            return new Admission(refusal, null);
        }
        return new Admission(null, release);
    }

    /** The client's calls of {@code kind} running now (for tests). */
    public int running(String kind, String client) {
        Limit limit = limits.get(kind);
        return limit == null ? 0 : limit.running.getOrDefault(client, 0);
    }

    /** The last one out forgets the client: memory grows with the clients busy now, not with those seen. */
    private static void leave(Limit limit, String client) {
        limit.running.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    }

    /** Clients with a bucket of {@code kind} now (for tests: memory stays bounded). */
    public int tracked(String kind) {
        Limit limit = limits.get(kind);
        return limit == null ? 0 : limit.buckets.size();
    }

    /** One kind's buckets, by client. */
    private final class Limit {
        private final Rate rate;
        private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        private final Map<String, Integer> running = new ConcurrentHashMap<>();
        private final AtomicLong lastSweep;

        Limit(Rate rate) {
            this.rate = rate;
            this.lastSweep = new AtomicLong(time.currentTimeNanos());
        }

        Bucket bucketOf(String client) {
            Bucket bucket = buckets.get(client);
            if (bucket != null) {
                return bucket;
            }
            sweepIfDue();
            String key = buckets.size() >= MAX_CLIENTS ? CROWD : client;
            return buckets.computeIfAbsent(key, c -> Bucket.builder()
                    .addLimit(l -> l.capacity(rate.burst()).refillGreedy(rate.perMinute(), Duration.ofMinutes(1)))
                    .withCustomTimePrecision(time).build());
        }

        /** Forgets every client whose bucket is full again: it would get a new, full one anyway. */
        private void sweepIfDue() {
            long now = time.currentTimeNanos();
            long last = lastSweep.get();
            Duration every = buckets.size() >= MAX_CLIENTS ? SWEEP_AT_CAP_EVERY : SWEEP_EVERY;
            if (now - last < every.toNanos() || !lastSweep.compareAndSet(last, now)) {
                return;
            }
            buckets.values().removeIf(b -> b.getAvailableTokens() >= rate.burst());
        }
    }
}
