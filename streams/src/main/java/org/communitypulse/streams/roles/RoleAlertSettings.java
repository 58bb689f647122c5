package org.communitypulse.streams.roles;

import java.time.Duration;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.alerts.AlertSettings;

/**
 * Thresholds of the alert conditions the roles family judges (see {@code docs/alerts.md}); the lifecycle
 * (hysteresis, wall clock, gate) is the one of {@link AlertSettings}.
 *
 * @param vacantGraceDays     REQUIRED_ROLE_VACANT: days a required role may stay without an active holder
 * @param violationOpenDays   VIOLATION_OPEN_TOO_LONG: days a policy violation may stay open
 */
public record RoleAlertSettings(int vacantGraceDays, int violationOpenDays) {

    public static final int DEFAULT_VACANT_GRACE_DAYS = 7;
    public static final int DEFAULT_VIOLATION_OPEN_DAYS = 14;

    public RoleAlertSettings {
        if (vacantGraceDays < 0 || violationOpenDays < 0) {
            throw new IllegalArgumentException("role alert thresholds must be >= 0 days");
        }
    }

    public static RoleAlertSettings defaults() {
        return new RoleAlertSettings(DEFAULT_VACANT_GRACE_DAYS, DEFAULT_VIOLATION_OPEN_DAYS);
    }

    public static RoleAlertSettings from(PulseStreamsConfig config) {
        return new RoleAlertSettings(config.getInt(PulseStreamsConfig.ALERT_ROLE_VACANT_GRACE_DAYS_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_VIOLATION_OPEN_DAYS_CONFIG));
    }

    public Duration vacantGrace() {
        return Duration.ofDays(vacantGraceDays);
    }

    public Duration violationOpen() {
        return Duration.ofDays(violationOpenDays);
    }
}
