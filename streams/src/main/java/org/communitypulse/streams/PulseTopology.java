package org.communitypulse.streams;

import java.util.List;
import org.apache.kafka.streams.Topology;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.serde.AvroSerdes;

/**
 * The whole pipeline: one intake feeding the engagement family ({@link EngagementTopology}), the roles family
 * ({@link RolesTopology}) and the maturity family ({@link MaturityTopology}).
 */
public final class PulseTopology {

    private PulseTopology() {
    }

    /** With the default role alert thresholds and the shipped maturity rules. */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles) {
        return build(topics, serdes, intake, engagement, alerting, roles, RoleAlertSettings.defaults(),
                MaturityConfig.defaults());
    }

    /** As above, with the thresholds of the roles family's alerts (judged on the engagement alerts' clock). */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles, RoleAlertSettings roleAlerts) {
        return build(topics, serdes, intake, engagement, alerting, roles, roleAlerts, MaturityConfig.defaults());
    }

    /** As the six-argument build, with the maturity rules ({@code maturity.yaml}). */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles, MaturityConfig maturity) {
        return build(topics, serdes, intake, engagement, alerting, roles, RoleAlertSettings.defaults(), maturity);
    }

    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles, RoleAlertSettings roleAlerts,
                                 MaturityConfig maturity) {
        return build(topics, serdes, intake, engagement, alerting, roles, roleAlerts, maturity,
                PulseStreamsConfig.DEFAULT_ALERT_HEALTH_RESOLVE_AFTER_WEEKS);
    }

    /** As above, HEALTH_AT_RISK resolving after {@code healthResolveAfterWeeks} healthy weeks. */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles, RoleAlertSettings roleAlerts,
                                 MaturityConfig maturity, int healthResolveAfterWeeks) {
        Topology topology = EngagementTopology.build(topics, serdes, intake, engagement, alerting,
                List.of(RolesTopology.ROLES, MaturityTopology.MATURITY));
        RolesTopology.addTo(topology, EngagementTopology.INTAKE, topics, roles, alerting, roleAlerts,
                engagement.emitInterval(), engagement.stateCacheEntries());
        return MaturityTopology.addTo(topology, EngagementTopology.INTAKE, topics, maturity, roles,
                engagement.emitInterval(), intake.clock(), alerting, healthResolveAfterWeeks,
                engagement.stateCacheEntries());
    }
}
