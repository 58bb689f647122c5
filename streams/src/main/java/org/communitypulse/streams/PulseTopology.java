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

    /** With the shipped maturity rules ({@link MaturityConfig#defaults()}). */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles) {
        return build(topics, serdes, intake, engagement, alerting, roles, MaturityConfig.defaults());
    }

    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake, EngagementSettings engagement,
                                 AlertSettings alerting, RolesConfig roles, MaturityConfig maturity) {
        Topology topology = EngagementTopology.build(topics, serdes, intake, engagement, alerting,
                List.of(RolesTopology.ROLES, MaturityTopology.MATURITY));
        RolesTopology.addTo(topology, EngagementTopology.INTAKE, topics, roles);
        return MaturityTopology.addTo(topology, EngagementTopology.INTAKE, topics, maturity, roles,
                engagement.emitInterval(), intake.clock());
    }
}
