package org.communitypulse.streams.query;

import java.util.Collection;
import org.communitypulse.schemas.avro.AlertCondition;

/**
 * A community's health as the dashboard shows it, derived from its firing alerts only (a richer
 * health score replaces this later): {@link #STALLED} while NO_ACTIVITY fires, {@link #AT_RISK} while
 * any other alert fires, {@link #HEALTHY} otherwise.
 */
public enum HealthState {
    HEALTHY("healthy"),
    AT_RISK("at_risk"),
    STALLED("stalled");

    private final String label;

    HealthState(String label) {
        this.label = label;
    }

    /** The JSON value: {@code healthy}, {@code at_risk}, {@code stalled}. */
    public String label() {
        return label;
    }

    public static HealthState of(Collection<AlertCondition> firing) {
        if (firing.contains(AlertCondition.NO_ACTIVITY)) {
            return STALLED;
        }
        return firing.isEmpty() ? HEALTHY : AT_RISK;
    }
}
