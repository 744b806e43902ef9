package de.scheincam;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import de.scheincam.testing.Media;
import de.scheincam.testing.RawHttp;
import de.scheincam.testing.TestApp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static de.scheincam.testing.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exports are bounded: a disk floor (507), a share per client (429), the venue-wide queue (429), at
 * most max-running ffmpeg at once under a burst, and a disk that really fills up mid-export leaves no
 * partial file and an intact library.
 */
class ResourceGuardsIT {

    private static final String REC = "25-01-24_19-50-00";

    private static Path homeWithRecording(int seconds) {
        Path home = TestApp.newHome();
        try {
            Files.copy(Media.cached("a.mkv", seconds), home.resolve("videos/" + REC + ".mkv"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return home;
    }

    private static void awaitProbed(TestApp app) {
        await().atMost(Duration.ofSeconds(30)).until(() -> json(app.get("/api/videos/" + REC)).path("duration").isNumber());
    }

    private static String clip(String from, String to, String mode) {
        return "{\"filename\":\"" + REC + "\",\"start_time\":\"" + from + "\",\"end_time\":\"" + to + "\",\"mode\":\"" + mode + "\"}";
    }

    @Test
    void belowTheDiskFloorExportsAreRefusedWith507BeforeAnythingRuns() throws IOException {
        Path home = homeWithRecording(20);
        try (TestApp app = TestApp.start(home, Map.of("scheincam.export.min-free-mb", String.valueOf(Long.MAX_VALUE >> 21)))) {
            awaitProbed(app);
            int runs = app.programRuns();
            HttpResponse<String> r = app.post("/api/videos/export", clip("19:50:01", "19:50:05", "copy"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(507);
            assertThat(json(r).path("detail").asText()).contains("Not enough free disk space").contains("MB free");
            assertThat(app.programRuns()).as("no ffmpeg started").isEqualTo(runs);
            try (Stream<Path> files = Files.list(app.videos.resolve("exports"))) {
                assertThat(files).as("nothing written").isEmpty();
            }
            // frames still work: the floor guards exports only
            assertThat(app.post("/api/videos/frame", "{\"filename\":\"" + REC + "\",\"timestamp\":\"19:50:03\"}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void oneClientGetsItsShareAndOtherClientsStillGetIn() {
        try (TestApp app = TestApp.start(homeWithRecording(40), Map.of("scheincam.export.max-per-client", "2",
                "scheincam.export.max-running", "1", "scheincam.export.max-queued", "8", "scheincam.export.wait-millis", "0"))) {
            awaitProbed(app);
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RawHttp.Answer a = RawHttp.postJson("127.0.0.2", app.port, "/api/videos/export", clip("19:50:00", "19:50:30", "reencode"));
                assertThat(a.status()).as(a.body()).isEqualTo(202);
                mine.add(a.json().path("job_id").asText());
            }
            RawHttp.Answer third = RawHttp.postJson("127.0.0.2", app.port, "/api/videos/export", clip("19:50:00", "19:50:05", "copy"));
            assertThat(third.status()).as(third.body()).isEqualTo(429);
            assertThat(third.json().path("detail").asText()).contains("You already have 2 exports").contains("at most 2");
            RawHttp.Answer other = RawHttp.postJson("127.0.0.3", app.port, "/api/videos/export", clip("19:50:00", "19:50:05", "copy"));
            assertThat(other.status()).as("another client is not held up: " + other.body()).isEqualTo(202);
            for (String id : mine) {
                await().atMost(Duration.ofSeconds(120)).until(() -> json(app.get("/api/exports/" + id)).path("state").asText().equals("done"));
            }
            RawHttp.Answer again = RawHttp.postJson("127.0.0.2", app.port, "/api/videos/export", clip("19:50:00", "19:50:05", "copy"));
            assertThat(again.status()).as("its exports done, the client may export again: " + again.body()).isIn(200, 202);
        }
    }

    @Test
    void twentyExportsAtOnceNeverRunMoreThanTheLimitAndLeaveNoPartialFiles() throws Exception {
        int maxRunning = 2;
        try (TestApp app = TestApp.start(homeWithRecording(40), Map.of("scheincam.export.max-running", String.valueOf(maxRunning),
                "scheincam.export.max-queued", "8", "scheincam.export.max-per-client", "3", "scheincam.export.wait-millis", "0"))) {
            awaitProbed(app);
            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicInteger peakFfmpeg = new AtomicInteger();
            Path recording = app.videos.resolve(REC + ".mkv").toRealPath();
            AtomicInteger recordingOpenings = new AtomicInteger();
            List<String> writableOpenings = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    List<ProcessHandle> ffmpegs = ProcessHandle.current().descendants()
                            .filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false)).toList();
                    peakFfmpeg.accumulateAndGet(ffmpegs.size(), Math::max);
                    // the recording is opened read-only: by ffmpeg, and by the app itself
                    for (ProcessHandle p : ffmpegs) {
                        checkOpenings(p.pid(), recording, recordingOpenings, writableOpenings);
                    }
                    checkOpenings(ProcessHandle.current().pid(), recording, recordingOpenings, writableOpenings);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<CompletableFuture<RawHttp.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // five clients (127.0.0.11 … 15), four requests each, all at once
                String from = "127.0.0." + (11 + i % 5);
                String body = clip("19:50:" + String.format("%02d", i), "19:50:" + String.format("%02d", i + 12), "reencode");
                calls.add(CompletableFuture.supplyAsync(() -> RawHttp.postJson(from, app.port, "/api/videos/export", body), pool));
            }
            List<RawHttp.Answer> answers = calls.stream().map(CompletableFuture::join).toList();
            pool.shutdown();
            List<String> accepted = answers.stream().filter(a -> a.status() == 202).map(a -> a.json().path("job_id").asText()).toList();
            List<RawHttp.Answer> refused = answers.stream().filter(a -> a.status() == 429 || a.status() == 503).toList();
            assertThat(accepted.size() + refused.size()).as("every request accepted or refused: " + answers).isEqualTo(20);
            assertThat(accepted).as("venue-wide bound: running + queued").hasSizeBetween(1, maxRunning + 8);
            assertThat(refused).allSatisfy(a -> assertThat(a.json().path("detail").asText())
                    .containsAnyOf("Too many exports", "You already have"));
            for (String id : accepted) {
                await().atMost(Duration.ofSeconds(180)).until(() -> json(app.get("/api/exports/" + id)).path("state").asText().equals("done"));
            }
            sampling.set(false);
            sampler.join();
            System.out.printf("burst of 20: %d accepted, %d refused; peak ffmpeg processes %d (camel-exec programs at once %d)%n",
                    accepted.size(), refused.size(), peakFfmpeg.get(), app.mostProgramsAtOnce());
            assertThat(peakFfmpeg.get()).as("ffmpeg processes at once").isBetween(1, maxRunning);
            System.out.printf("recording seen open %d times, never for writing: %s%n", recordingOpenings.get(), writableOpenings);
            assertThat(recordingOpenings.get()).as("the sampler saw ffmpeg reading the recording").isPositive();
            assertThat(writableOpenings).as("the recording opened for writing").isEmpty();
            assertThat(app.mostProgramsAtOnce()).as("programs camel-exec ran at once").isLessThanOrEqualTo(maxRunning);
            try (Stream<Path> files = Files.list(app.videos.resolve("exports"))) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertThat(names).noneMatch(n -> n.contains(".part") || n.endsWith(".progress") || n.endsWith(".tmp"));
                assertThat(names.stream().filter(n -> n.endsWith(".mp4"))).hasSize(accepted.size());
            }
            for (String id : accepted) {
                assertThat(Media.duration(app.videos.resolve("exports/" + id + ".mp4"))).isCloseTo(12.0, org.assertj.core.data.Offset.offset(0.5));
            }
            assertThat(ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().map(c -> c.contains("ffmpeg")).orElse(false))).as("no orphan ffmpeg").isEmpty();
        }
    }

    /** Issue 13, item 6: one client's clips are bounded however patiently it exports one after another. */
    @Test
    void sequentialExportsOfOneClientStopAtItsClipBudgetAndWriteNothing() throws IOException {
        try (TestApp app = TestApp.start(homeWithRecording(20), Map.of("scheincam.export.client-budget-count", "3",
                "scheincam.export.wait-millis", "30000"))) {
            awaitProbed(app);
            for (int i = 0; i < 3; i++) {
                RawHttp.Answer a = RawHttp.postJson("127.0.0.2", app.port, "/api/videos/export",
                        clip("19:50:0" + i, "19:50:0" + (i + 4), "copy"));
                assertThat(a.status()).as(a.body()).isEqualTo(200);
            }
            List<String> before = names(app.videos.resolve("exports"));
            int runs = app.programRuns();
            RawHttp.Answer fourth = RawHttp.postJson("127.0.0.2", app.port, "/api/videos/export", clip("19:50:05", "19:50:09", "copy"));
            assertThat(fourth.status()).as(fourth.body()).isEqualTo(429);
            assertThat(fourth.contentType()).startsWith("application/json");
            assertThat(fourth.json().path("detail").asText()).contains("Your clips already take").contains("at most").contains("3 per client");
            assertThat(names(app.videos.resolve("exports"))).as("nothing written").containsExactlyInAnyOrderElementsOf(before);
            assertThat(app.programRuns()).isEqualTo(runs);
            RawHttp.Answer other = RawHttp.postJson("127.0.0.3", app.port, "/api/videos/export", clip("19:50:05", "19:50:09", "copy"));
            assertThat(other.status()).as("another client still exports: " + other.body()).isEqualTo(200);
        }
    }

    /** Issue 13, item 6: all clips together stay within the budget; the oldest make room for a new one. */
    @Test
    void theClipBudgetDeletesTheOldestClipsFirst() throws IOException {
        try (TestApp app = TestApp.start(homeWithRecording(20), Map.of("scheincam.export.budget-count", "2",
                "scheincam.export.wait-millis", "30000"))) {
            awaitProbed(app);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RawHttp.Answer a = RawHttp.postJson("127.0.0.1" + i, app.port, "/api/videos/export",
                        clip("19:50:0" + i, "19:50:0" + (i + 4), "copy"));
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                ids.add(a.json().path("job_id").asText());
            }
            assertThat(names(app.videos.resolve("exports"))).as("the two newest, with their JSON")
                    .containsExactlyInAnyOrder(ids.get(2) + ".mp4", ids.get(2) + ".json", ids.get(3) + ".mp4", ids.get(3) + ".json");
            assertThat(app.get("/api/exports/" + ids.get(0)).statusCode()).isEqualTo(404);
            assertThat(json(app.get("/api/exports/" + ids.get(3))).path("state").asText()).isEqualTo("done");
        }
    }

    /**
     * A real full disk: videos/exports is a tmpfs half the size of the recording (mounting needs root,
     * as CI has; skipped elsewhere). Clips are exported into it until it is full, so ffmpeg, the move and
     * the job's JSON each meet ENOSPC at some point. Every failure is a clean 507 that leaves only the
     * finished clips behind.
     */
    @Test
    void exportsIntoADiskThatFillsUpFailCleanlyAndLeaveTheLibraryIntact() throws Exception {
        Path home = homeWithRecording(40);
        Path exports = Files.createDirectories(home.resolve("videos/exports"));
        long tmpfsKb = Math.max(64, Files.size(home.resolve("videos/" + REC + ".mkv")) / 2 / 1024);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + tmpfsKb + "k", "tmpfs", exports.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root): " + new String(mount.getInputStream().readAllBytes()));
        try (TestApp app = TestApp.start(home, Map.of("scheincam.export.wait-millis", "30000",
                "scheincam.export.max-per-client", "20"))) {
            awaitProbed(app);
            Path recording = app.videos.resolve(REC + ".mkv");
            String hashBefore = sha256(recording);
            String metaBefore = Files.readString(app.videos.resolve(REC + ".json"));

            // too big from the start: fails inside ffmpeg
            HttpResponse<String> whole = app.post("/api/videos/export", clip("19:50:00", "19:50:39", "copy"));
            assertThat(whole.statusCode()).as(whole.body()).isEqualTo(507);
            assertThat(json(whole).path("detail").asText()).contains("The disk is full");
            assertThat(names(exports)).as("the partial clip and its progress file removed").isEmpty();

            // then small clips until the disk is full
            List<String> done = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < 14; i++) {
                String from = "19:50:" + String.format("%02d", 2 + 2 * i);
                String to = "19:50:" + String.format("%02d", 6 + 2 * i);
                HttpResponse<String> r = app.post("/api/videos/export", clip(from, to, "copy"));
                assertThat(r.statusCode()).as(r.body()).isIn(200, 507);
                if (r.statusCode() == 200) {
                    done.add(json(r).path("job_id").asText());
                } else {
                    failed++;
                    assertThat(json(r).path("detail").asText()).contains("The disk is full");
                }
                List<String> expected = new ArrayList<>();
                done.forEach(id -> expected.addAll(List.of(id + ".mp4", id + ".json")));
                assertThat(names(exports)).as("only finished clips after export %d", i).containsExactlyInAnyOrderElementsOf(expected);
            }
            System.out.printf("disk full (%d KB tmpfs): %d small clips done, %d refused cleanly, 1 large failed%n", tmpfsKb, done.size(), failed);
            assertThat(done).as("some fit").isNotEmpty();
            assertThat(failed).as("the disk filled up").isPositive();
            for (String id : done) {
                assertThat(Media.decodeErrors(exports.resolve(id + ".mp4"))).as("a finished clip is whole").isEmpty();
            }
            assertThat(sha256(recording)).as("the recording untouched").isEqualTo(hashBefore);
            assertThat(Files.readString(app.videos.resolve(REC + ".json"))).isEqualTo(metaBefore);
            assertThat(json(app.get("/api/videos")).path("total").asInt()).isEqualTo(1);
            assertThat(app.get("/api/ping").statusCode()).isEqualTo(200);
        } finally {
            new ProcessBuilder("umount", exports.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The floor held while clips are written, not only when they are admitted: videos/ is a tmpfs (root
     * only, as above) with the recording, the floor and a little room above it. A clip bigger than that
     * room, admitted (the disk is above its floor), is refused with 507 before it is written; small clips
     * fit until the room is used up; the free space never drops below the floor.
     */
    @Test
    void theFloorHoldsWhileClipsAreWritten() throws Exception {
        Path home = TestApp.newHome();
        Path videos = home.resolve("videos");
        Path source = Media.cached("a.mkv", 40);
        long recording = Files.size(source);
        long floor = 8L << 20;
        long room = recording / 2;
        long tmpfsKb = (recording + floor + room) / 1024;
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + tmpfsKb + "k", "tmpfs", videos.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root): " + new String(mount.getInputStream().readAllBytes()));
        try {
            Files.copy(source, videos.resolve(REC + ".mkv"));
            try (TestApp app = TestApp.start(home, Map.of("scheincam.export.min-free-mb", "8",
                    "scheincam.export.wait-millis", "30000"))) {
                awaitProbed(app);
                java.nio.file.FileStore disk = Files.getFileStore(videos);
                assertThat(disk.getUsableSpace()).as("above the floor at the start").isGreaterThan(floor);

                int programs = app.programRuns();
                HttpResponse<String> whole = app.post("/api/videos/export", clip("19:50:00", "19:50:39", "copy"));
                assertThat(whole.statusCode()).as(whole.body()).isEqualTo(507);
                assertThat(json(whole).path("detail").asText()).contains("kept free", "8 MB stay free");
                HttpResponse<String> encoded = app.post("/api/videos/export", clip("19:50:00", "19:50:39", "reencode"));
                assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(507);
                assertThat(json(encoded).path("detail").asText()).contains("kept free");
                assertThat(names(videos.resolve("exports"))).as("nothing written for the refused clips").isEmpty();
                assertThat(app.programRuns()).as("no ffmpeg started for a clip that cannot fit").isEqualTo(programs);

                int done = 0;
                int refused = 0;
                for (int i = 0; i < 12 && refused == 0; i++) {
                    String from = "19:50:" + String.format("%02d", 2 + 3 * i);
                    String to = "19:50:" + String.format("%02d", 5 + 3 * i);
                    HttpResponse<String> r = app.post("/api/videos/export", clip(from, to, "copy"));
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 507);
                    if (r.statusCode() == 200) {
                        done++;
                    } else {
                        refused++;
                        assertThat(json(r).path("detail").asText()).contains("kept free");
                    }
                    assertThat(disk.getUsableSpace()).as("free space after export %d", i).isGreaterThanOrEqualTo(floor);
                }
                System.out.printf("floor while writing (%d KB tmpfs, %d KB recording, 8 MB floor): %d small clips done, then refused%n",
                        tmpfsKb, recording / 1024, done);
                assertThat(done).as("small clips fit").isPositive();
                assertThat(refused).as("until the room above the floor is used up").isEqualTo(1);
                assertThat(app.get("/api/ping").statusCode()).isEqualTo(200);
            }
        } finally {
            new ProcessBuilder("umount", videos.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** Every descriptor of {@code pid} on {@code file}: counted, and noted when its access mode is not O_RDONLY. */
    private static void checkOpenings(long pid, Path file, AtomicInteger seen, List<String> writable) {
        Path fds = Path.of("/proc", String.valueOf(pid), "fd");
        try (Stream<Path> all = Files.list(fds)) {
            for (Path fd : all.toList()) {
                try {
                    if (!Files.readSymbolicLink(fd).equals(file)) {
                        continue;
                    }
                    String flags = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "fdinfo", fd.getFileName().toString()))
                            .stream().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
                    seen.incrementAndGet();
                    if ((Integer.parseInt(flags.substring(6).trim(), 8) & 3) != 0) {
                        writable.add(pid + ":" + flags);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the descriptor or the process ended between listing and reading
                }
            }
        } catch (IOException gone) {
            // the process ended
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
