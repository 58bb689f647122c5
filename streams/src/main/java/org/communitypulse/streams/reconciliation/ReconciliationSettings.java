package org.communitypulse.streams.reconciliation;

import java.time.Duration;
import java.util.Objects;
import org.communitypulse.streams.AlertGate;

/**
 * How the reconciliation family emits and alerts.
 *
 * @param emitInterval wall-clock interval of the emission: changed days are written once per interval, so an
 *                     observation and the events a poller published with it are usually judged together
 * @param alertGate    DATA_GAP is judged only while this gate is open (the gate of the other alerts)
 */
public record ReconciliationSettings(Duration emitInterval, AlertGate alertGate) {

    public ReconciliationSettings {
        Objects.requireNonNull(emitInterval, "emitInterval");
        Objects.requireNonNull(alertGate, "alertGate");
        if (emitInterval.isNegative() || emitInterval.isZero()) {
            throw new IllegalArgumentException("emitInterval must be positive");
        }
    }
}
