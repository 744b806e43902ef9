package de.scheincam.ffmpeg;

import java.util.List;

/**
 * One run of an external program, as routes hand it to camel-exec (direct:run-program): the
 * executable, its arguments as a list (never a shell string) and a time limit.
 */
public record ProgramCall(String executable, List<String> args, long timeoutMillis) {

    public ProgramCall {
        args = List.copyOf(args);
    }
}
