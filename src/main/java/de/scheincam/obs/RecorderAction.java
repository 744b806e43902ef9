package de.scheincam.obs;

/**
 * The answer to a start or stop: the file (null when OBS's file is not known yet, e.g. an adopted
 * recording the library has not found).
 */
public record RecorderAction(boolean success, String message, String filename) {

    static RecorderAction done(String message, String filename) {
        return new RecorderAction(true, message, filename);
    }
}
