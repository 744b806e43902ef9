package de.scheincam.ffmpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A program that outlives its time limit and ignores SIGTERM is killed after the grace. */
class ProgramDeadlineTest {

    @TempDir
    Path dir;

    private long run(ProgramDeadline executor, String script, long timeoutMillis) throws Exception {
        Path pid = dir.resolve("pid");
        ExecCommand command = new ExecCommand("/bin/sh", List.of("-c", "echo $$ > " + pid + "; " + script), null,
                timeoutMillis, java.util.Set.of(), null, null, false, LoggingLevel.OFF);
        long t0 = System.nanoTime();
        try {
            executor.execute(command);
        } catch (RuntimeException e) {
            // camel-exec reports a killed program as it likes; what counts is that it is gone
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        long id = Long.parseLong(Files.readString(pid).strip());
        Optional<ProcessHandle> left = ProcessHandle.of(id);
        left.ifPresent(ProcessHandle::destroyForcibly);
        assertThat(left.map(ProcessHandle::isAlive).orElse(false)).as("pid %d still running", id).isFalse();
        return took;
    }

    @Test
    void aProgramIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        // `exec sleep` keeps the shell's pid, and the ignored TERM is inherited
        long took = run(new ProgramDeadline(Duration.ofMillis(500)), "trap '' TERM; exec sleep 60", 500);
        assertThat(took).as("returned after %d ms", took).isLessThan(20_000);
    }

    @Test
    void aProgramThatStopsOnSigtermIsNotWaitedFor() throws Exception {
        long took = run(new ProgramDeadline(Duration.ofSeconds(30)), "exec sleep 60", 500);
        assertThat(took).as("returned after %d ms, not after the 30 s grace", took).isLessThan(20_000);
    }

    @Test
    void aProgramWithinItsLimitRunsToItsEnd() throws Exception {
        Path done = dir.resolve("done");
        run(new ProgramDeadline(Duration.ofMillis(500)), "sleep 0.2; touch " + done, 10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(done));
    }
    /**
     * Issue 13: an ffmpeg scanning a damaged recording outlived the app's stop. Camel interrupts the thread
     * waiting for the program; commons-exec then sends SIGTERM and stops watching. A program ignoring it
     * must still be killed after the grace, long before its own deadline (60 s here).
     */
    @Test
    void aProgramIgnoringSigtermIsKilledAfterTheGraceWhenItsCallerIsInterrupted() throws Exception {
        ProgramDeadline executor = new ProgramDeadline(Duration.ofMillis(500));
        Path pid = dir.resolve("pid");
        Thread caller = started(executor, pid, 60_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        ProcessHandle program = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow();
        caller.interrupt();
        long t0 = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !program.isAlive());
        } finally {
            program.destroyForcibly();
        }
        System.out.printf("DEADLINE interrupted caller: program gone %d ms after the interrupt%n", (System.nanoTime() - t0) / 1_000_000);
        caller.join(5_000);
    }

    /** The app stops while a program ignoring SIGTERM runs within its limit: TERM, then KILL after the grace. */
    @Test
    void stopAllKillsEveryProgramStillRunning() throws Exception {
        ProgramDeadline executor = new ProgramDeadline(Duration.ofMillis(500));
        Path pid = dir.resolve("pid");
        Thread caller = started(executor, pid, 60_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        ProcessHandle program = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow();
        long t0 = System.nanoTime();
        try {
            executor.stopAll();
            long took = (System.nanoTime() - t0) / 1_000_000;
            await().atMost(Duration.ofSeconds(2)).until(() -> !program.isAlive());
            assertThat(took).as("stopAll returned after %d ms", took).isLessThan(5_000);
            assertThat(executor.running()).isZero();
        } finally {
            program.destroyForcibly();
        }
        caller.join(5_000);
        assertThat(caller.isAlive()).isFalse();
    }

    /** A thread running {@code trap '' TERM; exec sleep 60} (its pid written to {@code pid}) under {@code executor}. */
    private static Thread started(ProgramDeadline executor, Path pid, long timeoutMillis) {
        ExecCommand command = new ExecCommand("/bin/sh", List.of("-c", "echo $$ > " + pid + "; trap '' TERM; exec sleep 60"), null,
                timeoutMillis, java.util.Set.of(), null, null, false, LoggingLevel.OFF);
        Thread caller = new Thread(() -> {
            try {
                executor.execute(command);
            } catch (RuntimeException e) {
                // how camel-exec reports a killed program does not matter here
            }
        }, "program-caller");
        caller.setDaemon(true);
        caller.start();
        return caller;
    }
}
