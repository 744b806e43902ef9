package de.scheincam;

import java.util.function.Supplier;

import de.scheincam.events.LiveEvents;
import de.scheincam.obs.ObsClient;
import de.scheincam.watchdog.Alerts;
import org.apache.camel.ProducerTemplate;

/**
 * Where what happens outside Camel enters the flows: each {@code direct:} endpoint a bean's callback
 * pushes into, named beside the callback. The route that consumes each one names this class in a
 * comment, so from either end the other is one grep away. Hooked up once Camel has fully started, so
 * nothing is pushed into a route that is not running yet.
 */
final class FlowInlets {

    /** OBS's events (recording state, scene, audio levels): route obs-events, routes/recording.camel.yaml. */
    static final String OBS_EVENTS = "direct:obs-events";
    /** OBS connected or lost (the state's name): route obs-connection, routes/recording.camel.yaml. */
    static final String OBS_CONNECTION = "direct:obs-connection";
    /** An alert raised by a bean: route alert-deliver, routes/watchdog.camel.yaml. */
    static final String ALERT = "direct:alert";
    /** A live event for the browsers: route events-push, routes/events.camel.yaml. */
    static final String EVENTS = "direct:events";
    /** The programme calendar's location changed (settings): route schedule-calendar-read, routes/schedule.camel.yaml. */
    static final String CALENDAR_READ = "direct:schedule-calendar-read";
    /** A recording listed but not probed yet, needed now: route library-probe, routes/library.camel.yaml. */
    static final String LIBRARY_PROBE = "direct:library-probe";

    /** Made on first use: a probe may be needed while Camel is still starting. */
    private final Supplier<ProducerTemplate> templates;

    FlowInlets(Supplier<ProducerTemplate> templates) {
        this.templates = org.apache.camel.util.function.Suppliers.memorize(templates);
    }

    /** OBS's session calls back on its own thread, one event after the other: sent in order, waited for. */
    void obs(ObsClient obs) {
        obs.onEvent(event -> templates.get().sendBody(OBS_EVENTS, event));
        obs.onStateChange(state -> templates.get().sendBody(OBS_CONNECTION, state.name()));
    }

    /** Alerts are raised inside other work (a watchdog check, a failed start): sent without waiting. */
    void alerts(Alerts alerts) {
        alerts.sendTo(alert -> templates.get().asyncSendBody(ALERT, alert));
    }

    /** Live events come from many threads, some of them Vert.x's: sent without waiting. */
    void live(LiveEvents live) {
        live.sendTo(event -> templates.get().asyncSendBody(EVENTS, event));
    }

    /** Reads the programme calendar now, without holding up the settings request that changed it. */
    void readCalendar() {
        templates.get().asyncSendBody(CALENDAR_READ, null);
    }

    /** Probes one recording through its route and waits for it. */
    void probe(String recording) {
        templates.get().requestBody(LIBRARY_PROBE, recording);
    }
}
