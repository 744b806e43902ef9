package de.scheincam.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Events the web UI gets pushed over the /events websocket (routes/events.camel.yaml): {@code type}
 * and {@code data}, e.g. the show's health after a watchdog check, an alert, a change of the
 * recording state. Publishing never blocks the publisher.
 */
public class LiveEvents {

    private volatile Consumer<Map<String, Object>> sink = e -> { };

    public void sendTo(Consumer<Map<String, Object>> destination) {
        this.sink = destination;
    }

    public void publish(String type, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("data", data);
        sink.accept(event);
    }
}
