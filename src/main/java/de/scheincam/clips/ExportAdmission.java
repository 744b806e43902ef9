package de.scheincam.clips;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

import de.scheincam.core.Refusal;
import de.scheincam.library.DiskSpace;

/**
 * Who may start an export now, before {@link ExportJobs} checks the request itself: nothing while the
 * disk is nearly full (the next show's recording needs the room), and at most {@code perClient}
 * exports running or waiting for one client, so one phone cannot take every slot of the venue's
 * queue. The client is who {@code clientOf} says, given the connection's address and X-Forwarded-For
 * (the web adapter's ClientAddress: the connection's address, or the one a trusted proxy names). Admission and submission happen under one lock, so simultaneous requests of one client
 * cannot slip past the limit together. Only clients with an export or a clip alive are remembered: the
 * maps shrink as jobs finish and clips expire, instead of keeping every address ever seen.
 */
public class ExportAdmission {

    private final ExportJobs exports;
    private final DiskSpace disk;
    private final int perClient;
    private final BinaryOperator<String> clientOf;
    /** The unfinished exports of each client; finished ones are dropped when next looked at. */
    private final Map<String, Set<String>> unfinished = new HashMap<>();

    /** Clips (done, on disk) of each client, until they expire: what the per-client budget counts. */
    private final Map<String, Set<String>> kept = new HashMap<>();
    private final Budget budget;

    /**
     * Room for clips in videos/exports: all clips together ({@code totalBytes}, {@code totalCount}; the
     * oldest are deleted to make room) and one client's ({@code clientBytes}, {@code clientCount}; beyond
     * it refused). Recordings share that disk: clips must never crowd out the next show.
     */
    public record Budget(long totalBytes, int totalCount, long clientBytes, int clientCount) {
        public static final Budget NONE = new Budget(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    public ExportAdmission(ExportJobs exports, DiskSpace disk, int perClient, BinaryOperator<String> clientOf) {
        this(exports, disk, perClient, clientOf, Budget.NONE);
    }

    public ExportAdmission(ExportJobs exports, DiskSpace disk, int perClient, BinaryOperator<String> clientOf, Budget budget) {
        this.exports = exports;
        this.disk = disk;
        this.perClient = perClient;
        this.clientOf = clientOf;
        this.budget = budget;
    }

    /**
     * Admits the request of the client at {@code remote} (the connection's address; {@code forwardedFor}:
     * the X-Forwarded-For header or null) or refuses it; an admitted request goes to {@link ExportJobs#submit}.
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
            ids.removeIf(id -> state(id) == null);
            return ids.isEmpty();
        });
        Set<String> mine = unfinished.getOrDefault(who, Set.of());
        if (mine.size() >= perClient) {
            throw Refusal.tooMany("You already have " + mine.size() + " exports running or waiting (at most "
                    + perClient + " at once); please wait until one is done.");
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
        ExportJob job = exports.submit(request);
        unfinished.computeIfAbsent(who, c -> new HashSet<>()).add(job.jobId());
        kept.computeIfAbsent(who, c -> new HashSet<>()).add(job.jobId());
        return job;
    }

    /** Exports admitted here and not finished yet, by state (queued, running). */
    public synchronized Map<String, Integer> unfinishedByState() {
        Map<String, Integer> counts = new HashMap<>(Map.of(ExportJob.QUEUED, 0, ExportJob.RUNNING, 0));
        List<String> idle = new ArrayList<>();
        for (Map.Entry<String, Set<String>> client : unfinished.entrySet()) {
            client.getValue().removeIf(this::finished);
            if (client.getValue().isEmpty()) {
                idle.add(client.getKey());
            }
            for (String id : client.getValue()) {
                counts.merge(state(id), 1, Integer::sum);
            }
        }
        idle.forEach(unfinished::remove);
        return counts;
    }

    /** Clients remembered now, with an export unfinished or a clip kept (for tests: memory stays bounded). */
    public synchronized int clientsRemembered() {
        Set<String> all = new HashSet<>(unfinished.keySet());
        all.addAll(kept.keySet());
        return all.size();
    }

    private boolean finished(String jobId) {
        String state = state(jobId);
        return ExportJob.DONE.equals(state) || ExportJob.FAILED.equals(state) || state == null;
    }

    private String state(String jobId) {
        return exports.state(jobId);
    }
}
