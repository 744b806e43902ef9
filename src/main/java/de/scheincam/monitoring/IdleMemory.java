package de.scheincam.monitoring;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives memory back after a rush. Under a crowd of frame requests G1 grows the heap it has committed
 * (measured: 300 MB to 620 MB for 30 MB of live objects) and, with no heap flag given, keeps it for the
 * rest of the run, next to OBS on the same box. G1's periodic collection (JDK 12+, a flag the JVM lets
 * a running program set) collects once the app has been quiet for the interval and shrinks the heap to
 * what it holds. Set only when whoever started the JVM did not set it.
 */
public final class IdleMemory {

    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);
    private static final String FLAG = "G1PeriodicGCInterval";

    private IdleMemory() {
    }

    /** Collects after {@code quiet} without a collection; zero leaves the JVM as it is. */
    public static void returnAfter(Duration quiet) {
        if (quiet.isZero() || quiet.isNegative()) {
            return;
        }
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption option;
        try {
            option = vm.getVMOption(FLAG);
        } catch (IllegalArgumentException notG1Jvm) {
            LOG.info("This JVM has no {}: memory after a rush is returned as its collector decides", FLAG);
            return;
        }
        if (option.getOrigin() != VMOption.Origin.DEFAULT) {
            LOG.info("{} set to {} when the JVM was started; left as it is", FLAG, option.getValue());
            return;
        }
        try {
            vm.setVMOption(FLAG, String.valueOf(quiet.toMillis()));
        } catch (IllegalArgumentException | SecurityException refused) {
            LOG.info("Could not set {}: {}", FLAG, refused.getMessage());
        }
    }
}
