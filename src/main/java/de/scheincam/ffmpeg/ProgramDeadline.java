package de.scheincam.ffmpeg;

import java.time.Duration;
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
 * to ignore it and hold its export or frame slot for ten minutes. Used as
 * {@code exec:…?commandExecutor=#programDeadline}.
 */
public class ProgramDeadline extends DefaultExecCommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ProgramDeadline.class);

    private final Duration grace;

    public ProgramDeadline(Duration grace) {
        this.grace = grace;
    }

    @Override
    protected DefaultExecutor prepareDefaultExecutor(ExecCommand command) {
        DefaultExecutor executor = super.prepareDefaultExecutor(command);
        if (command.getTimeout() > 0 && command.getTimeout() != ExecuteWatchdog.INFINITE_TIMEOUT) {
            executor.setWatchdog(new Escalating(command.getTimeout(), grace, command.getExecutable()));
        }
        return executor;
    }

    /** SIGTERM at the limit (the watchdog's own), SIGKILL after the grace when the program is still there. */
    static final class Escalating extends ExecuteWatchdog {
        private final Duration grace;
        private final String name;
        private volatile Process process;

        @SuppressWarnings("deprecation") // the builder cannot be subclassed; this constructor is the way in
        Escalating(long timeoutMillis, Duration grace, String name) {
            super(timeoutMillis);
            this.grace = grace;
            this.name = name;
        }

        @Override
        public synchronized void start(Process p) {
            this.process = p;
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
            Thread killer = new Thread(() -> {
                try {
                    if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                        LOG.warn("{} (pid {}) ignored SIGTERM for {} ms: killed", name, p.pid(), grace.toMillis());
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }, "program-deadline");
            killer.setDaemon(true);
            killer.start();
        }
    }
}
