package de.scheincam.ffmpeg;

/** An external program ended with a non-zero exit code; carries the end of what it printed to stderr. */
public class ProgramFailed extends RuntimeException {

    public ProgramFailed(String message) {
        super(message);
    }

    /** Called by the run-program route after camel-exec: exit code 0 passes, anything else throws. */
    public static void requireSuccess(int exitValue, String stderr) {
        if (exitValue != 0) {
            String tail = stderr == null ? "" : stderr.strip();
            if (tail.length() > 600) {
                tail = "…" + tail.substring(tail.length() - 600);
            }
            throw new ProgramFailed("exit code " + exitValue + (tail.isEmpty() ? "" : ": " + tail));
        }
    }
}
