package org.communitypulse.streams.roles.internals;

import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.communitypulse.streams.common.PulseSensors;

/**
 * Counters of the roles family (group {@code stream-pulse-metrics}, entity {@code roles} or
 * {@code roles.<REASON>}), beside the intake's (see {@link IntakeMetrics} for why one entity per reason).
 */
final class RolesMetrics {

    static final String ENTITY = "roles";

    private final Sensor applied;
    private final Sensor ignored;
    private final Sensor erasures;
    private final Sensor erasedIgnored;
    private final Map<RolesRejectReason, Sensor> deadLettered;

    RolesMetrics(StreamsMetrics metrics) {
        PulseSensors sensors = new PulseSensors(metrics, ENTITY);
        applied = sensors.count("applied");
        ignored = sensors.count("ignored");
        erasures = sensors.count("erasures");
        erasedIgnored = sensors.count("events-of-erased");
        deadLettered = sensors.deadLettered(RolesRejectReason.class);
    }

    void applied() {
        applied.record();
    }

    void ignored() {
        ignored.record();
    }

    void erasure() {
        erasures.record();
    }

    /** A role event of an erased identity, not kept (also counted as ignored). */
    void erasedIgnored() {
        erasedIgnored.record();
    }

    void deadLettered(RolesRejectReason reason) {
        deadLettered.get(reason).record();
    }
}
