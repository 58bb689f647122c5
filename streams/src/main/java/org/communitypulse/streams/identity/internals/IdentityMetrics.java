package org.communitypulse.streams.identity.internals;

import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.communitypulse.streams.common.PulseSensors;

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
    private final Map<IdentityRejectReason, Sensor> deadLettered;

    IdentityMetrics(StreamsMetrics metrics) {
        PulseSensors sensors = new PulseSensors(metrics, ENTITY);
        links = sensors.count("links");
        splits = sensors.count("splits");
        suggestions = sensors.count("suggestions");
        erasures = sensors.count("erasures");
        forgotten = sensors.count("observations-of-erased");
        tooCommon = sensors.count("evidence-too-common");
        deadLettered = sensors.deadLettered(IdentityRejectReason.class);
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
