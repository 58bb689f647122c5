package org.communitypulse.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The Streams application's identity and local state, shared by {@code pulse streams} and {@code pulse run}. */
final class StreamsAppOptions {

    static final String DEFAULT_APPLICATION_ID = "community-pulse";

    @Option(names = "--application-id", defaultValue = "${env:PULSE_APPLICATION_ID:-" + DEFAULT_APPLICATION_ID + "}",
            description = "Streams application id (env PULSE_APPLICATION_ID); instances with the same id share the work. "
                    + "Default: ${DEFAULT-VALUE}.")
    String applicationId;

    /** Null when neither the option nor PULSE_STATE_DIR gives one. */
    @Option(names = "--state-dir", defaultValue = "${env:PULSE_STATE_DIR}", paramLabel = "DIR",
            description = "Local state directory of the Streams application (env PULSE_STATE_DIR). "
                    + "Default: .pulse/streams; pulse run: <data-dir>/streams.")
    Path stateDir;

    /** The state directory given by option or environment, else {@code fallback}. */
    Path stateDir(Path fallback) {
        return stateDir != null && !stateDir.toString().isBlank() ? stateDir : fallback;
    }
}
