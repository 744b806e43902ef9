package de.scheincam.web;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The slow part of checking a credential (a PBKDF2 derivation, ~0.2 s of one core) runs at most
 * {@code atOnce} at a time, with at most {@code waiting} more waiting for their turn; beyond that the
 * request is refused at once (503, Retry-After). Without it, a crowd of junk credentials from many
 * addresses took every worker thread and both cores, and {@code /api/ping} answered after seconds.
 * Refusing instead of queueing keeps the worker threads free: a waiting check holds one.
 */
public class HashChecks {

    /** Long enough for the ones ahead in a full queue to finish at ~0.2 s each. */
    private static final long WAIT_MILLIS = 2000;

    private final Semaphore slots;
    private final int waiting;
    private final AtomicInteger queued = new AtomicInteger();

    public HashChecks(int atOnce, int waiting) {
        if (atOnce < 1 || waiting < 0) {
            throw new IllegalArgumentException("at least one hash check at once, and no negative queue");
        }
        this.slots = new Semaphore(atOnce, true);
        this.waiting = waiting;
    }

    /** Runs the check in a slot, or refuses with 503 when all slots and places in the queue are taken. */
    public <T> T run(Supplier<T> check) {
        if (!slots.tryAcquire()) {
            if (queued.incrementAndGet() > waiting) {
                queued.decrementAndGet();
                throw busy();
            }
            try {
                if (!slots.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw busy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy();
            } finally {
                queued.decrementAndGet();
            }
        }
        try {
            return check.get();
        } finally {
            slots.release();
        }
    }

    /** Whether a check now would be refused: every slot and every place in the queue taken. */
    public boolean full() {
        return slots.availablePermits() == 0 && queued.get() >= waiting;
    }

    static ApiProblem busy() {
        return ApiProblem.unavailable("Too many credentials are being checked right now; try again in a moment.")
                .retryAfter(1);
    }
}
