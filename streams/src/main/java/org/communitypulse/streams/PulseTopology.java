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
import org.communitypulse.streams.maturity.MaturityTopology;
import org.communitypulse.streams.organisation.OrganisationTopology;
import org.communitypulse.streams.reconciliation.ReconciliationSettings;
import org.communitypulse.streams.reconciliation.ReconciliationTopology;
import org.communitypulse.streams.roles.RolesTopology;

/**
 * The whole pipeline: one intake feeding the engagement family ({@link EngagementTopology}), the roles family
 * ({@link RolesTopology}), the maturity family ({@link MaturityTopology}), the reconciliation with the
 * platforms' own counts ({@link ReconciliationTopology}) and the organisation roll-ups of the maturity and roles
 * families' output topics ({@link OrganisationTopology}).
 */
public final class PulseTopology {

    private PulseTopology() {
    }

    /** The whole pipeline with {@code settings} (see {@link PulseSettings#defaults()}). */
    public static Topology build(Topics topics, AvroSerdes serdes, PulseSettings settings) {
        IntakeSettings intake = settings.intake();
        EngagementSettings engagement = settings.engagement();
        AlertSettings alerting = settings.alerts();
        StreamsBuilder builder = new StreamsBuilder();
        EngagementTopology.addSource(builder, topics);
        ReconciliationTopology.addPlatformCounts(builder, topics);
        OrganisationTopology.addTo(builder, topics, serdes);
        RuntimeHooks hooks = settings.hooks();
        Topology topology = EngagementTopology.addTo(builder.build(), topics, serdes, intake, engagement, alerting,
                hooks, List.of(RolesTopology.ROLES, MaturityTopology.MATURITY, ReconciliationTopology.RECONCILIATION));
        RolesTopology.addTo(topology, EngagementTopology.INTAKE, topics, serdes, settings.roles(), alerting,
                hooks.gate(), settings.roleAlerts(), engagement.emitInterval(), engagement.stateCacheEntries());
        MaturityTopology.addTo(topology, EngagementTopology.INTAKE, topics, serdes, settings.maturity(), settings.roles(),
                engagement.emitInterval(), hooks, alerting, settings.healthResolveAfterWeeks(),
                engagement.stateCacheEntries());
        return ReconciliationTopology.addTo(topology, EngagementTopology.INTAKE, topics,
                new ReconciliationSettings(engagement.emitInterval(), hooks.gate()),
                EngagementTopology.ALERTS_VIEW_STORE, engagement.stateCacheEntries());
    }
}
