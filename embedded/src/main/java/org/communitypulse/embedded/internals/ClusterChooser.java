package org.communitypulse.embedded.internals;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.communitypulse.embedded.KafkaMode;

/**
 * Decides between the in-process broker and Testcontainers. The checks are injected so that the
 * decision can be tested without Docker or Testcontainers.
 */
public final class ClusterChooser {

    /** The kind of broker to start. */
    public enum Choice { EMBEDDED, TESTCONTAINERS }

    private final BooleanSupplier testcontainersOnClasspath;
    private final BooleanSupplier dockerAvailable;

    /**
     * @param testcontainersOnClasspath whether the optional Testcontainers Kafka module is present
     * @param dockerAvailable a time-limited Docker check (see {@link DockerProbe#dockerAvailable})
     */
    public ClusterChooser(BooleanSupplier testcontainersOnClasspath, BooleanSupplier dockerAvailable) {
        this.testcontainersOnClasspath = Objects.requireNonNull(testcontainersOnClasspath);
        this.dockerAvailable = Objects.requireNonNull(dockerAvailable);
    }

    /**
     * Applies {@code mode}. Explicit {@code embedded} never probes Docker (the probe is the slow part);
     * explicit {@code testcontainers} fails loudly instead of silently falling back.
     */
    public Choice choose(KafkaMode mode) {
        switch (mode) {
            case EMBEDDED:
                return Choice.EMBEDDED;
            case TESTCONTAINERS:
                if (!testcontainersOnClasspath.getAsBoolean()) {
                    throw new IllegalStateException("pulse.kafka.mode=testcontainers but "
                            + "org.testcontainers:kafka is not on the classpath");
                }
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException("pulse.kafka.mode=testcontainers but Docker did not answer");
                }
                return Choice.TESTCONTAINERS;
            case AUTO:
            default:
                return testcontainersOnClasspath.getAsBoolean() && dockerAvailable.getAsBoolean()
                        ? Choice.TESTCONTAINERS : Choice.EMBEDDED;
        }
    }
}
