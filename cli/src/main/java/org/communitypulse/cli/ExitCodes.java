package org.communitypulse.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every pulse command, listed in each command's --help. A usage error has its own code
 * (64, EX_USAGE of sysexits.h): picocli's default, 2, would read as "could not run".
 */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int REJECTED_ROWS = 1;
    public static final int FAILED = 2;
    public static final int USAGE = 64;
    /** The JVM's own codes (128 + signal) after its shutdown hooks ran. */
    static final String STOPPED_BY_SIGNAL = "130, 143";

    private ExitCodes() {
    }

    /** Code to description, in the order the help lists them. */
    static Map<String, String> descriptions() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(String.valueOf(OK), "Done.");
        codes.put(String.valueOf(REJECTED_ROWS), "Done, but some input was rejected (import, replay, "
                + "declare --file: the rows are listed in the summary) or not found (identity show).");
        codes.put(String.valueOf(FAILED), "Could not run: Kafka or the registry unreachable, a missing file, or "
                + "another failure (one line on stderr; the stack trace with PULSE_DEBUG=1).");
        codes.put(String.valueOf(USAGE), "Usage error: unknown option or subcommand, missing or invalid "
                + "argument, a refused declaration (declare).");
        codes.put(STOPPED_BY_SIGNAL, "Stopped by Ctrl-C (SIGINT) or SIGTERM; run, streams, webhooks, poll and "
                + "alerts deliver stop cleanly first.");
        return codes;
    }
}
