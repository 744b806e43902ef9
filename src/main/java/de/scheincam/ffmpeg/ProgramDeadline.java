package de.scheincam.ffmpeg;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.Watchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-exec's executor with a deadline that holds: at the time limit the program gets SIGTERM, as
 * camel-exec does, and when it is still running after {@code grace}, SIGKILL (it and anything it
 * started). camel-exec alone only sends the SIGTERM, and ffmpeg stuck on a damaged file has been seen
 * to ignore it and hold its export or frame slot for ten minutes. The same holds when the thread
 * waiting for the program is interrupted (commons-exec then sends SIGTERM and stops watching: an
 * ffmpeg scanning gigabytes of zeros outlived the app's stop that way), and when the app stops
 * ({@link #stopAll}). Used as {@code exec:…?commandExecutor=#programDeadline}.
 */
public class ProgramDeadline extends DefaultExecCommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ProgramDeadline.class);

    private final Duration grace;
    /** Programs started and not yet seen to end. */
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    public ProgramDeadline(Duration grace) {
        this.grace = grace;
    }

    @Override
    protected DefaultExecutor prepareDefaultExecutor(ExecCommand command) {
        DefaultExecutor executor = super.prepareDefaultExecutor(command);
        long timeout = command.getTimeout() > 0 ? command.getTimeout() : ExecuteWatchdog.INFINITE_TIMEOUT;
        // a watchdog even without a time limit: it is how a started program becomes known (to be stopped with the app)
        executor.setWatchdog(new Escalating(timeout, grace, command.getExecutable(), running));
        return executor;
    }

    /**
     * The app stops: every program still running gets SIGTERM, and SIGKILL (with anything it started)
     * when it is still there after the grace. Returns once they are gone or killed.
     */
    public void stopAll() {
        List<Process> left = List.copyOf(running);
        if (left.isEmpty()) {
            return;
        }
        left.forEach(p -> LOG.warn("Stopping: program pid {} still running, terminated", p.pid()));
        left.forEach(Process::destroy);
        long until = System.nanoTime() + grace.toNanos();
        for (Process p : left) {
            try {
                p.waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Process p : left) {
            if (p.isAlive()) {
                LOG.warn("Stopping: program pid {} ignored SIGTERM for {} ms: killed", p.pid(), grace.toMillis());
                kill(p);
            }
            running.remove(p);
        }
    }

    /** Programs started and not yet ended. */
    int running() {
        return (int) running.stream().filter(Process::isAlive).count();
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /**
     * SIGTERM at the limit (the watchdog's own), SIGKILL after the grace when the program is still there;
     * the same when commons-exec stops watching a program that is still running (its caller interrupted).
     */
    static final class Escalating extends ExecuteWatchdog {
        private final Duration grace;
        private final String name;
        private final Set<Process> running;
        private volatile Process process;

        @SuppressWarnings("deprecation") // the builder cannot be subclassed; this constructor is the way in
        Escalating(long timeoutMillis, Duration grace, String name, Set<Process> running) {
            super(timeoutMillis);
            this.grace = grace;
            this.name = name;
            this.running = running;
        }

        @Override
        public synchronized void start(Process p) {
            this.process = p;
            running.add(p);
            super.start(p);
        }

        @Override
        public synchronized void timeoutOccured(Watchdog w) {
            Process p = process;
            super.timeoutOccured(w);
            if (p == null || !p.isAlive()) {
                return;
            }
            LOG.warn("{} (pid {}) ran past its time limit: terminated", name, p.pid());
            killAfterGrace(p);
        }

        /**
         * commons-exec calls this when it stops waiting: normally the program has ended; when its caller
         * was interrupted, it has only been sent SIGTERM, and nothing would watch it any more.
         */
        @Override
        public synchronized void stop() {
            super.stop();
            Process p = process;
            if (p == null) {
                return;
            }
            if (!p.isAlive()) {
                running.remove(p);
                return;
            }
            LOG.warn("{} (pid {}) no longer waited for (its caller was interrupted): terminated", name, p.pid());
            p.destroy();
            killAfterGrace(p);
        }

        private void killAfterGrace(Process p) {
            Thread killer = new Thread(() -> {
                try {
                    if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                        LOG.warn("{} (pid {}) ignored SIGTERM for {} ms: killed", name, p.pid(), grace.toMillis());
                        kill(p);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    kill(p);
                } finally {
                    running.remove(p);
                }
            }, "program-deadline");
            killer.setDaemon(true);
            killer.start();
        }
    }
}
