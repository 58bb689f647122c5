package org.communitypulse.streams.intake;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.communitypulse.streams.PulseStreamsConfig;

/**
 * What the intake needs to decide whether an event counts.
 *
 * @param latenessHorizon how far behind the partition's newest event an event may be; empty = any
 * @param maxFutureSkew   how far in the future an event may be stamped
 */
public record IntakeSettings(Optional<Duration> latenessHorizon, Duration maxFutureSkew) {

    public IntakeSettings {
        Objects.requireNonNull(latenessHorizon, "latenessHorizon");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    }

    /** Replay-friendly defaults: any lateness, one day of clock skew. */
    public static IntakeSettings defaults() {
        return new IntakeSettings(Optional.empty(), Duration.ofDays(1));
    }

    public static IntakeSettings from(PulseStreamsConfig config) {
        return new IntakeSettings(config.latenessHorizon(), config.maxFutureSkew());
    }
}
