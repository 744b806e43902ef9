package de.scheincam.monitoring;

import java.util.Map;

import de.scheincam.library.DiskSpace;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: DOWN while free disk is below scheincam.export.min-free-mb (exports are refused then). */
public class DiskHealthCheck extends AbstractHealthCheck {

    private final DiskSpace disk;

    public DiskHealthCheck(DiskSpace disk) {
        super("scheincam", "disk");
        this.disk = disk;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long free = disk.freeBytes();
        builder.detail("free_bytes", free);
        builder.detail("min_free_bytes", disk.minFreeBytes());
        if (free < disk.minFreeBytes()) {
            builder.message("Only " + DiskSpace.megabytes(free) + " free; exports are refused below "
                    + DiskSpace.megabytes(disk.minFreeBytes())).down();
        } else {
            builder.up();
        }
    }
}
