package de.scheincam.clips;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

import de.scheincam.core.Refusal;
import de.scheincam.library.DiskSpace;

/**
 * Who may start an export now, and the queue's bound: nothing while the disk is nearly full (the next
 * show's recording needs the room), at most {@code perClient} exports running or waiting for one client
 * (so one phone cannot take every slot of the venue's queue), within the clip budget, a request checked
 * completely ({@link StretchCheck}), and at most {@code maxRunning + maxQueued} exports running or waiting
 * in all; then the job is queued in {@link ExportJobs}. The client is who {@code clientOf} says, given the
 * connection's address and X-Forwarded-For (the web adapter's ClientAddress: the connection's address,
 * or the one a trusted proxy names). All of it happens under one lock, so simultaneous requests cannot
 * slip past a limit together. Only clients with an export or a clip alive are remembered: the maps shrink
 * as jobs finish and clips expire, instead of keeping every address ever seen.
 */
public class ExportAdmission {

    private final ExportJobs exports;
    private final StretchCheck stretches;
    private final DiskSpace disk;
    private final Limits limits;
    private final BinaryOperator<String> clientOf;
    /** The unfinished exports of each client; finished ones are dropped when next looked at. */
    private final Map<String, Set<String>> unfinished = new HashMap<>();

    /** Clips (done, on disk) of each client, until they expire: what the per-client budget counts. */
    private final Map<String, Set<String>> kept = new HashMap<>();
    private final Budget budget;

    /** Exports at once: {@code maxRunning} cut (the slots of export-run), {@code maxQueued} more waiting, {@code perClient} of one client. */
    public record Limits(int maxRunning, int maxQueued, int perClient) {
    }

    /**
     * Room for clips in videos/exports: all clips together ({@code totalBytes}, {@code totalCount}; the
     * oldest are deleted to make room) and one client's ({@code clientBytes}, {@code clientCount}; beyond
     * it refused). Recordings share that disk: clips must never crowd out the next show.
     */
    public record Budget(long totalBytes, int totalCount, long clientBytes, int clientCount) {
        public static final Budget NONE = new Budget(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    public ExportAdmission(ExportJobs exports, StretchCheck stretches, DiskSpace disk, Limits limits,
                           BinaryOperator<String> clientOf, Budget budget) {
        this.exports = exports;
        this.stretches = stretches;
        this.disk = disk;
        this.limits = limits;
        this.clientOf = clientOf;
        this.budget = budget;
    }

    /**
     * Admits the request of the client at {@code remote} (the connection's address; {@code forwardedFor}:
     * the X-Forwarded-For header or null) and queues it, or refuses it.
     */
    public synchronized ExportJob submit(ClipRequest request, String remote, String forwardedFor) {
        long free = disk.freeBytes();
        if (free < disk.minFreeBytes()) {
            throw Refusal.diskFull("Not enough free disk space for an export: " + DiskSpace.megabytes(free)
                    + " free, " + DiskSpace.megabytes(disk.minFreeBytes())
                    + " must stay free for the recordings. Please tell the venue's operator.");
        }
        String who = clientOf.apply(remote, forwardedFor);
        // what every client has going or kept, without the finished and expired: only clients with
        // something alive stay (at most the clip budget's count of them), however many came and went
        unfinished.values().removeIf(ids -> {
            ids.removeIf(this::finished);
            return ids.isEmpty();
        });
        kept.values().removeIf(ids -> {
            ids.removeIf(id -> exports.find(id).isEmpty());
            return ids.isEmpty();
        });
        Set<String> mine = unfinished.getOrDefault(who, Set.of());
        if (mine.size() >= limits.perClient()) {
            throw Refusal.tooMany("You already have " + mine.size() + " exports running or waiting (at most "
                    + limits.perClient() + " at once); please wait until one is done.");
        }
        // the client's own clips first: one phone must not churn everyone else's out of the shared budget
        Set<String> clips = kept.getOrDefault(who, Set.of());
        long bytes = clips.stream().mapToLong(exports::clipBytes).sum();
        if (clips.size() >= budget.clientCount() || bytes >= budget.clientBytes()) {
            throw Refusal.tooMany("Your clips already take " + DiskSpace.megabytes(bytes) + " in " + clips.size()
                    + " files (at most " + DiskSpace.megabytes(budget.clientBytes()) + " or " + budget.clientCount()
                    + " per client); download them, older ones expire, then export again.");
        }
        exports.makeRoom(budget.totalBytes(), budget.totalCount());
        StretchCheck.Stretch stretch = stretches.check(request);
        int active = exports.unfinishedCount();
        if (active >= limits.maxRunning() + limits.maxQueued()) {
            throw Refusal.tooMany("Too many exports at once (" + active + " running or waiting); try again in a minute.");
        }
        ExportJob job = exports.queue(stretch);
        unfinished.computeIfAbsent(who, c -> new HashSet<>()).add(job.jobId());
        kept.computeIfAbsent(who, c -> new HashSet<>()).add(job.jobId());
        return job;
    }

    /** Exports not finished yet, by state (queued, running): the scheincam_exports gauge. */
    public Map<ExportState, Integer> unfinishedByState() {
        return exports.unfinishedByState();
    }

    /** Clients remembered now, with an export unfinished or a clip kept (for tests: memory stays bounded). */
    public synchronized int clientsRemembered() {
        Set<String> all = new HashSet<>(unfinished.keySet());
        all.addAll(kept.keySet());
        return all.size();
    }

    /** Finished, or gone (expired, removed for room). */
    private boolean finished(String jobId) {
        return exports.find(jobId).map(ExportJob::finished).orElse(true);
    }
}
