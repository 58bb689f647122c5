package org.communitypulse.streams;

import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * What the engagement stage tells the outside world as it works, for operational metrics (see
 * {@code MicrometerPipelineObserver}): events counted by type and source, and how long an event took
 * from its own time to the emission of the metric records it changed.
 *
 * <p>Called on the stream thread: implementations must be fast and must not throw. Counts are
 * in-memory observations, so an aborted and retried transaction can count an event twice here; the
 * metric topics themselves are exactly-once.
 */
public interface PipelineObserver {

    /** Does nothing: tests, replays and benchmarks that do not watch. */
    PipelineObserver NONE = new PipelineObserver() {
    };

    /** One accepted, deduplicated event reached the engagement metrics. */
    default void accepted(EventType type, SourcePlatform source) {
    }

    /**
     * The records changed by an event were emitted {@code millis} after the event's {@code occurredAt}
     * (a replayed history gives its age; live, the end-to-end latency).
     */
    default void emitted(long millis) {
    }
}
