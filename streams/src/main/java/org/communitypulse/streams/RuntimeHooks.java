package org.communitypulse.streams;

import java.time.Clock;
import java.util.Objects;

/**
 * What a running pipeline plugs into its families beside their settings (which are values read from
 * configuration): the wall clock, the observer of operational metrics and the gate that holds alert evaluation
 * back while a backfill is incomplete.
 *
 * @param clock    wall clock for the intake's future check, {@code updatedAt} stamps and wall-clock alerts
 * @param observer told of counted events and emission latency
 * @param gate     closed while alerts must wait ({@link AlertGate})
 */
public record RuntimeHooks(Clock clock, PipelineObserver observer, AlertGate gate) {

    public RuntimeHooks {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(gate, "gate");
    }

    /** The system clock, no observer, alerts judged at once. */
    public static RuntimeHooks defaults() {
        return new RuntimeHooks(Clock.systemUTC(), PipelineObserver.NONE, AlertGate.opened());
    }

    public RuntimeHooks withClock(Clock other) {
        return new RuntimeHooks(other, observer, gate);
    }

    public RuntimeHooks withObserver(PipelineObserver other) {
        return new RuntimeHooks(clock, other, gate);
    }

    public RuntimeHooks withGate(AlertGate other) {
        return new RuntimeHooks(clock, observer, other);
    }
}
