package org.communitypulse.streams.intake.internals;

import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.communitypulse.streams.common.PulseSensors;
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
    public static final String SCOPE = PulseSensors.SCOPE;
    public static final String ENTITY = "intake";

    private final Sensor accepted;
    private final Sensor duplicates;
    private final Sensor late;
    private final Map<RejectReason, Sensor> deadLettered;

    IntakeMetrics(StreamsMetrics metrics) {
        PulseSensors sensors = new PulseSensors(metrics, ENTITY);
        accepted = sensors.count("accepted");
        duplicates = sensors.count("duplicates");
        late = sensors.count("late");
        deadLettered = sensors.deadLettered(RejectReason.class);
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
