package org.communitypulse.streams.common;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * One family's per-thread counters, registered as Kafka Streams custom metrics: group {@code stream-pulse-metrics},
 * tag {@code pulse-id} = the family's entity, or {@code <entity>.<REASON>} for dead letters.
 */
public final class PulseSensors {

    /** Streams' scope of the pipeline's custom metrics; its entity travels in the tag {@code <SCOPE>-id}. */
    public static final String SCOPE = "pulse";

    private final StreamsMetrics metrics;
    private final String entity;

    public PulseSensors(StreamsMetrics metrics, String entity) {
        this.metrics = metrics;
        this.entity = entity;
    }

    /** A rate and total of {@code operation}. */
    public Sensor count(String operation) {
        return metrics.addRateTotalSensor(SCOPE, entity, operation, Sensor.RecordingLevel.INFO);
    }

    /** One dead-letter counter per reason. */
    public <R extends Enum<R>> Map<R, Sensor> deadLettered(Class<R> reasons) {
        Map<R, Sensor> sensors = new EnumMap<>(reasons);
        for (R reason : reasons.getEnumConstants()) {
            // Streams names a custom sensor by thread, entity and operation only, not tags: one entity per
            // reason keeps the sensors apart (one shared sensor would count every reason once per reason).
            sensors.put(reason, metrics.addRateTotalSensor(SCOPE, entity + "." + reason.name(), "dead-lettered",
                    Sensor.RecordingLevel.INFO, "reason", reason.name()));
        }
        return sensors;
    }
}
