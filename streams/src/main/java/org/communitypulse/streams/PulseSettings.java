package org.communitypulse.streams;

import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.maturity.MaturityRules;
import org.communitypulse.streams.roles.RoleAlertSettings;
import org.communitypulse.streams.roles.RolesModel;

/**
 * Every family's settings for {@link PulseTopology#build}, and the {@link RuntimeHooks} beside them: start from
 * {@link #defaults()}, {@link #from} a configuration or {@link #of} the four every pipeline names, and change the
 * rest with the {@code with} methods.
 *
 * @param healthResolveAfterWeeks healthy weeks after which HEALTH_AT_RISK resolves
 * @param hooks                   what the running pipeline plugs in (clock, observer, alert gate), not configuration
 */
public record PulseSettings(IntakeSettings intake, EngagementSettings engagement, AlertSettings alerts,
                            RolesModel roles, RoleAlertSettings roleAlerts, MaturityRules maturity,
                            int healthResolveAfterWeeks, RuntimeHooks hooks) {

    /** The shipped rules and thresholds: roles.yaml, maturity.yaml, the default alert thresholds. */
    public static PulseSettings defaults() {
        return of(IntakeSettings.defaults(), EngagementSettings.defaults(), AlertSettings.defaults(),
                RolesModel.defaults());
    }

    /** These four, with the default role alert thresholds, the shipped maturity rules and health resolution. */
    public static PulseSettings of(IntakeSettings intake, EngagementSettings engagement, AlertSettings alerts,
                                   RolesModel roles) {
        return new PulseSettings(intake, engagement, alerts, roles, RoleAlertSettings.defaults(),
                MaturityRules.defaults(), PulseStreamsConfig.DEFAULT_ALERT_HEALTH_RESOLVE_AFTER_WEEKS,
                RuntimeHooks.defaults());
    }

    public static PulseSettings from(PulseStreamsConfig config) {
        return new PulseSettings(IntakeSettings.from(config), EngagementSettings.from(config),
                AlertSettings.from(config), config.rolesModel(), RoleAlertSettings.from(config),
                config.maturityRules(), config.getInt(PulseStreamsConfig.ALERT_HEALTH_RESOLVE_AFTER_WEEKS_CONFIG),
                RuntimeHooks.defaults());
    }

    public PulseSettings withIntake(IntakeSettings other) {
        return new PulseSettings(other, engagement, alerts, roles, roleAlerts, maturity, healthResolveAfterWeeks, hooks);
    }

    public PulseSettings withEngagement(EngagementSettings other) {
        return new PulseSettings(intake, other, alerts, roles, roleAlerts, maturity, healthResolveAfterWeeks, hooks);
    }

    public PulseSettings withAlerts(AlertSettings other) {
        return new PulseSettings(intake, engagement, other, roles, roleAlerts, maturity, healthResolveAfterWeeks, hooks);
    }

    public PulseSettings withRoleAlerts(RoleAlertSettings other) {
        return new PulseSettings(intake, engagement, alerts, roles, other, maturity, healthResolveAfterWeeks, hooks);
    }

    public PulseSettings withMaturity(MaturityRules other) {
        return new PulseSettings(intake, engagement, alerts, roles, roleAlerts, other, healthResolveAfterWeeks, hooks);
    }

    public PulseSettings withHooks(RuntimeHooks other) {
        return new PulseSettings(intake, engagement, alerts, roles, roleAlerts, maturity, healthResolveAfterWeeks, other);
    }

    public PulseSettings withHealthResolveAfterWeeks(int weeks) {
        return new PulseSettings(intake, engagement, alerts, roles, roleAlerts, maturity, weeks, hooks);
    }
}
