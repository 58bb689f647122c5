package org.communitypulse.streams;

import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.intake.RejectReason;

/**
 * What the intake and the engagement stage tell the outside world as they work, for operational metrics (see
 * {@code MicrometerPipelineObserver}): each record's intake outcome, events counted by type and source, and how
 * long an event took from its own time to the emission of the metric records it changed.
 *
 * <p>Called on the stream thread: implementations must be fast and must not throw. Counts are
 * in-memory observations, so an aborted and retried transaction can count an event twice here; the
 * metric topics themselves are exactly-once.
 */
public interface PipelineObserver {

    /** Does nothing: tests, replays and benchmarks that do not watch. */
    PipelineObserver NONE = new PipelineObserver() {
    };

    /** What the intake did with one record. */
    enum IntakeOutcome {
        ACCEPTED, DUPLICATE, LATE, DEAD_LETTERED;

        /** The Prometheus label value: {@code accepted}, {@code duplicate}, {@code late}, {@code dead_lettered}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The intake decided one record's fate. {@code reason} is why a record was dead-lettered, and null for every
     * other outcome.
     */
    default void intake(IntakeOutcome outcome, RejectReason reason) {
    }

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
