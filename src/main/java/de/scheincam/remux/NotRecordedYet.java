package de.scheincam.remux;

/**
 * The requested stretch goes beyond what the file holds: a recording still in progress has not reached
 * it, or a finished one ends before it (cut off, with an index or header that claims more).
 */
public class NotRecordedYet extends RuntimeException {

    public NotRecordedYet(String message) {
        super(message);
    }
}
