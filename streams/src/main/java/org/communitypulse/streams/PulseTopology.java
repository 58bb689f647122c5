package org.communitypulse.streams;

import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.maturity.MaturityConfig;
import org.communitypulse.streams.maturity.MaturityTopology;
import org.communitypulse.streams.reconciliation.ReconciliationSettings;
import org.communitypulse.streams.reconciliation.ReconciliationTopology;
import org.communitypulse.streams.roles.RoleAlertSettings;
import org.communitypulse.streams.roles.RolesConfig;
import org.communitypulse.streams.roles.RolesTopology;

/**
 * The whole pipeline: one intake feeding the engagement family ({@link EngagementTopology}), the roles family
 * ({@link RolesTopology}), the maturity family ({@link MaturityTopology}) and the reconciliation with the
 * platforms' own counts ({@link ReconciliationTopology}).
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
        StreamsBuilder builder = new StreamsBuilder();
        EngagementTopology.addSource(builder, topics);
        ReconciliationTopology.addPlatformCounts(builder, topics);
        Topology topology = EngagementTopology.addTo(builder.build(), topics, serdes, intake, engagement, alerting,
                List.of(RolesTopology.ROLES, MaturityTopology.MATURITY, ReconciliationTopology.RECONCILIATION));
        RolesTopology.addTo(topology, EngagementTopology.INTAKE, topics, roles, alerting, roleAlerts,
                engagement.emitInterval(), engagement.stateCacheEntries());
        MaturityTopology.addTo(topology, EngagementTopology.INTAKE, topics, maturity, roles,
                engagement.emitInterval(), intake.clock(), alerting, healthResolveAfterWeeks,
                engagement.stateCacheEntries());
        return ReconciliationTopology.addTo(topology, EngagementTopology.INTAKE, topics,
                new ReconciliationSettings(engagement.emitInterval(), alerting.gate()),
                EngagementTopology.ALERTS_VIEW_STORE);
    }
}
