package org.communitypulse.streams;

import java.util.List;
import org.apache.kafka.streams.Topology;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.serde.AvroSerdes;

/** The whole pipeline: one intake feeding the engagement family ({@link EngagementTopology}) and the roles family ({@link RolesTopology}). */
public final class PulseTopology {

    private PulseTopology() {
    }

    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles) {
        return build(topics, serdes, intake, engagement, alerting, roles, RoleAlertSettings.defaults());
    }

    /** As above, with the thresholds of the roles family's alerts (judged on the engagement alerts' clock). */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles, RoleAlertSettings roleAlerts) {
        Topology topology = EngagementTopology.build(topics, serdes, intake, engagement, alerting,
                List.of(RolesTopology.ROLES));
        return RolesTopology.addTo(topology, EngagementTopology.INTAKE, topics, roles, alerting, roleAlerts,
                engagement.emitInterval());
    }
}
