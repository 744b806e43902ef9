package de.scheincam.clips;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.scheincam.monitoring.DiskSpace;
import de.scheincam.web.ApiProblem;

/**
 * Who may start an export now, before {@link ExportJobs} checks the request itself: nothing while the
 * disk is nearly full (507: the next show's recording needs the room), and at most {@code perClient}
 * exports running or waiting for one client (429), so one phone cannot take every slot of the venue's
 * queue. The client is the remote address of the HTTP connection. Admission and submission happen
 * under one lock, so simultaneous requests of one client cannot slip past the limit together.
 */
public class ExportAdmission {

    private final ExportJobs exports;
    private final DiskSpace disk;
    private final int perClient;
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

    public ExportAdmission(ExportJobs exports, DiskSpace disk, int perClient) {
        this(exports, disk, perClient, Budget.NONE);
    }

    public ExportAdmission(ExportJobs exports, DiskSpace disk, int perClient, Budget budget) {
        this.exports = exports;
        this.disk = disk;
        this.perClient = perClient;
        this.budget = budget;
    }

    /** Admits the request for {@code client} or refuses it; an admitted request goes to {@link ExportJobs#submit}. */
    public synchronized ExportJob submit(ClipRequest request, String client) {
        long free = disk.freeBytes();
        if (free < disk.minFreeBytes()) {
            throw new ApiProblem(507, "Not enough free disk space for an export: " + DiskSpace.megabytes(free)
                    + " free, " + DiskSpace.megabytes(disk.minFreeBytes())
                    + " must stay free for the recordings. Please tell the venue's operator.");
        }
        String who = client == null || client.isBlank() ? "unknown" : client;
        Set<String> mine = unfinished.computeIfAbsent(who, c -> new HashSet<>());
        mine.removeIf(this::finished);
        if (mine.size() >= perClient) {
            throw ApiProblem.tooManyRequests("You already have " + mine.size() + " exports running or waiting (at most "
                    + perClient + " at once); please wait until one is done.");
        }
        // the client's own clips first: one phone must not churn everyone else's out of the shared budget
        Set<String> clips = kept.computeIfAbsent(who, c -> new HashSet<>());
        clips.removeIf(id -> state(id) == null);
        long bytes = clips.stream().mapToLong(exports::clipBytes).sum();
        if (clips.size() >= budget.clientCount() || bytes >= budget.clientBytes()) {
            throw ApiProblem.tooManyRequests("Your clips already take " + DiskSpace.megabytes(bytes) + " in " + clips.size()
                    + " files (at most " + DiskSpace.megabytes(budget.clientBytes()) + " or " + budget.clientCount()
                    + " per client); download them, older ones expire, then export again.");
        }
        exports.makeRoom(budget.totalBytes(), budget.totalCount());
        ExportJob job = exports.submit(request);
        mine.add(job.jobId());
        clips.add(job.jobId());
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

    private boolean finished(String jobId) {
        String state = state(jobId);
        return ExportJob.DONE.equals(state) || ExportJob.FAILED.equals(state) || state == null;
    }

    private String state(String jobId) {
        return exports.state(jobId);
    }
}
