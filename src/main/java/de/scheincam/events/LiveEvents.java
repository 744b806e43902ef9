package de.scheincam.events;

import java.util.function.Consumer;

/**
 * Events the web UI gets pushed over the /events websocket (routes/events.camel.yaml): {@code type}
 * and {@code data}, e.g. the show's health after a watchdog check, an alert, a change of the
 * recording state. Publishing never blocks the publisher.
 */
public class LiveEvents {

    /** One pushed event: its type and its data (any answer the API also gives, or null for a keepalive). */
    public record LiveEvent(String type, Object data) {
    }

    private volatile Consumer<LiveEvent> sink = e -> { };

    public void sendTo(Consumer<LiveEvent> destination) {
        this.sink = destination;
    }

    public void publish(String type, Object data) {
        sink.accept(new LiveEvent(type, data));
    }
}
