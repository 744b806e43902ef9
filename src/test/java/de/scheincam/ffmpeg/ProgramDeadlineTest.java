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
}
