package org.communitypulse.streams.identity.internals;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.communitypulse.streams.intake.internals.IntakeMetrics;

/**
 * Counters of identity resolution (group {@code stream-pulse-metrics}, entity {@code identities} or
 * {@code identities.<REASON>}), beside the intake's.
 */
final class IdentityMetrics {

    static final String ENTITY = "identities";

    private final Sensor links;
    private final Sensor splits;
    private final Sensor suggestions;
    private final Sensor erasures;
    private final Sensor forgotten;
    private final Sensor tooCommon;
    private final Map<IdentityRejectReason, Sensor> deadLettered = new EnumMap<>(IdentityRejectReason.class);

    IdentityMetrics(StreamsMetrics metrics) {
        links = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "links", Sensor.RecordingLevel.INFO);
        splits = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "splits", Sensor.RecordingLevel.INFO);
        suggestions = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "suggestions", Sensor.RecordingLevel.INFO);
        erasures = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "erasures", Sensor.RecordingLevel.INFO);
        forgotten = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "observations-of-erased",
                Sensor.RecordingLevel.INFO);
        tooCommon = metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY, "evidence-too-common",
                Sensor.RecordingLevel.INFO);
        for (IdentityRejectReason reason : IdentityRejectReason.values()) {
            deadLettered.put(reason, metrics.addRateTotalSensor(IntakeMetrics.SCOPE, ENTITY + "." + reason.name(),
                    "dead-lettered", Sensor.RecordingLevel.INFO, "reason", reason.name()));
        }
    }

    void linked() {
        links.record();
    }

    void split() {
        splits.record();
    }

    void suggested() {
        suggestions.record();
    }

    void erased() {
        erasures.record();
    }

    /** An observation of an erased identity, not kept. */
    void observedErased() {
        forgotten.record();
    }

    /** Evidence already shared by too many identities to say anything about a person. */
    void tooCommon() {
        tooCommon.record();
    }

    void deadLettered(IdentityRejectReason reason) {
        deadLettered.get(reason).record();
    }
}
