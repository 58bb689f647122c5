package org.communitypulse.cli;

import java.nio.file.Path;
import java.util.Optional;
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

    /** Null when neither the option nor PULSE_HTTP_HOST gives one: the configuration's default, 127.0.0.1. */
    @Option(names = "--http-host", defaultValue = "${env:PULSE_HTTP_HOST}", paramLabel = "HOST",
            description = "Interface the dashboard, its API and /metrics listen on (env PULSE_HTTP_HOST). "
                    + "Default: 127.0.0.1, this machine only; 0.0.0.0 for every interface (containers, a proxy).")
    String httpHost;

    /** The HTTP host given by option or environment, if any. */
    Optional<String> httpHost() {
        return httpHost == null || httpHost.isBlank() ? Optional.empty() : Optional.of(httpHost.trim());
    }

    /** The state directory given by option or environment, else {@code fallback}. */
    Path stateDir(Path fallback) {
        return stateDir != null && !stateDir.toString().isBlank() ? stateDir : fallback;
    }
}
