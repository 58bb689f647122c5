package org.communitypulse.streams.roles.internals;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.communitypulse.streams.intake.internals.IntakeMetrics;

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
    private final Map<RolesRejectReason, Sensor> deadLettered = new EnumMap<>(RolesRejectReason.class);

    RolesMetrics(StreamsMetrics metrics) {
        applied = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "applied", Sensor.RecordingLevel.INFO);
        ignored = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "ignored", Sensor.RecordingLevel.INFO);
        erasures = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "erasures", Sensor.RecordingLevel.INFO);
        erasedIgnored = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "events-of-erased",
                Sensor.RecordingLevel.INFO);
        for (RolesRejectReason reason : RolesRejectReason.values()) {
            deadLettered.put(reason, metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY + "." + reason.name(),
                    "dead-lettered", Sensor.RecordingLevel.INFO, "reason", reason.name()));
        }
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
