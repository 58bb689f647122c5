package org.communitypulse.streams.intake.internals;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.communitypulse.streams.http.MicrometerPipelineObserver;
import org.communitypulse.streams.http.StreamsMeters;
import org.communitypulse.streams.intake.RejectReason;

/**
 * The intake's per-thread counters, registered as Kafka Streams custom metrics (group
 * {@code stream-pulse-metrics}, tag {@code pulse-id} = entity {@code intake}, or {@code intake.<REASON>} for dead
 * letters): JMX and {@code KafkaStreams#metrics()} show them. They restart with each stream thread, so Prometheus
 * gets the process-wide {@code pulse_intake_events_total} instead ({@code MicrometerPipelineObserver}), and
 * {@code StreamsMeters} keeps these out of /metrics.
 */
public final class IntakeMetrics {

    /** Streams' scope of the pipeline's custom metrics; its entity travels in the tag {@code <SCOPE>-id}. */
    public static final String SCOPE = "pulse";
    public static final String ENTITY = "intake";

    private final Sensor accepted;
    private final Sensor duplicates;
    private final Sensor late;
    private final Map<RejectReason, Sensor> deadLettered = new EnumMap<>(RejectReason.class);

    IntakeMetrics(StreamsMetrics metrics) {
        accepted = metrics.addRateTotalSensor(SCOPE, ENTITY, "accepted", Sensor.RecordingLevel.INFO);
        duplicates = metrics.addRateTotalSensor(SCOPE, ENTITY, "duplicates", Sensor.RecordingLevel.INFO);
        late = metrics.addRateTotalSensor(SCOPE, ENTITY, "late", Sensor.RecordingLevel.INFO);
        for (RejectReason reason : RejectReason.values()) {
            // Streams names a custom sensor by thread, entity and operation only, not tags: one entity per
            // reason keeps the six sensors apart (one shared sensor would count every reason six times).
            deadLettered.put(reason, metrics.addRateTotalSensor(SCOPE, ENTITY + "." + reason.name(), "dead-lettered",
                    Sensor.RecordingLevel.INFO, "reason", reason.name()));
        }
    }

    void accepted() {
        accepted.record();
    }

    void duplicate() {
        duplicates.record();
    }

    void late() {
        late.record();
    }

    void deadLettered(RejectReason reason) {
        deadLettered.get(reason).record();
    }
}
