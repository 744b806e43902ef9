package de.scheincam.remux;

/** The requested stretch goes beyond what has been written of a recording still in progress. */
public class NotRecordedYet extends RuntimeException {

    public NotRecordedYet(String message) {
        super(message);
    }
}
