package org.communitypulse.streams.query;

import java.util.Collection;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.HealthStatus;

/**
 * A community's health as the dashboard shows it: the worse of what its firing alerts say
 * ({@link #STALLED} while NO_ACTIVITY fires, {@link #AT_RISK} while any other alert but DATA_GAP fires,
 * {@link #HEALTHY} otherwise) and the state of its latest health record ({@code community.health}), when there is one.
 * Alerts judge silence against the wall clock, which a record scored in event time cannot see. Declared
 * best to worst.
 */
public enum HealthState {
    THRIVING("thriving"),
    HEALTHY("healthy"),
    AT_RISK("at_risk"),
    STALLED("stalled");

    private final String label;

    HealthState(String label) {
        this.label = label;
    }

    /** The JSON value: {@code thriving}, {@code healthy}, {@code at_risk}, {@code stalled}. */
    public String label() {
        return label;
    }

    /**
     * The health record's state ({@code null}: none) unless a firing alert says worse: no alert firing is
     * no evidence of thriving, so it does not cap the record.
     */
    public static HealthState of(Collection<AlertCondition> firing, HealthStatus record) {
        firing = aboutTheCommunity(firing);
        HealthState alerts = of(firing);
        HealthState scored = record == null ? null : switch (record) {
            case THRIVING -> THRIVING;
            case HEALTHY -> HEALTHY;
            case AT_RISK -> AT_RISK;
            case STALLED -> STALLED;
            default -> null;
        };
        if (scored == null) {
            return alerts;
        }
        return firing.isEmpty() || scored.ordinal() >= alerts.ordinal() ? scored : alerts;
    }

    public static HealthState of(Collection<AlertCondition> firing) {
        firing = aboutTheCommunity(firing);
        if (firing.contains(AlertCondition.NO_ACTIVITY)) {
            return STALLED;
        }
        return firing.isEmpty() ? HEALTHY : AT_RISK;
    }

    /** DATA_GAP says the pipeline misses items, not that the community is doing badly: it does not count here. */
    private static Collection<AlertCondition> aboutTheCommunity(Collection<AlertCondition> firing) {
        return firing.contains(AlertCondition.DATA_GAP)
                ? firing.stream().filter(c -> c != AlertCondition.DATA_GAP).toList() : firing;
    }
}
