package de.scheincam.watchdog;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import de.scheincam.events.LiveEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts: kept (the last few, for the status page), logged, and handed to the alert flow
 * (routes/watchdog.camel.yaml), which posts them to the configured webhooks.
 */
public class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final int KEPT = 20;

    private final Clock clock;
    private final ZoneId zone;
    private final String venue;
    private final Deque<Alert> recent = new ArrayDeque<>();
    private volatile Consumer<Alert> sink = a -> { };
    private final LiveEvents events;

    public Alerts(Clock clock, ZoneId zone, String venue, LiveEvents events) {
        this.clock = clock;
        this.zone = zone;
        this.venue = venue;
        this.events = events;
    }

    /** Where raised alerts go besides the log (the alert route). */
    public void sendTo(Consumer<Alert> destination) {
        this.sink = destination;
    }

    public Alert raise(String kind, String message) {
        Alert alert = new Alert(kind, message, LocalDateTime.now(clock.withZone(zone)).withNano(0), venue);
        synchronized (recent) {
            recent.addFirst(alert);
            while (recent.size() > KEPT) {
                recent.removeLast();
            }
        }
        LOG.warn("ALERT {}: {}", kind, message);
        sink.accept(alert);
        events.publish("alert", alert);
        return alert;
    }

    public List<Alert> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
