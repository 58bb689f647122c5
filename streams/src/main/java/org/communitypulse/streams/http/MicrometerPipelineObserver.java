package org.communitypulse.streams.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.PipelineObserver;
import org.communitypulse.streams.intake.RejectReason;

/**
 * The pipeline's own meters: {@code pulse_intake_events_total{outcome,reason}} (every record the intake
 * decided on, process-wide), {@code pulse_events_total{type,source}} and the histogram
 * {@code pulse_event_to_metric_seconds} (event time to the emission of the metric records it changed),
 * with Prometheus buckets so quantiles can be computed across instances.
 */
public final class MicrometerPipelineObserver implements PipelineObserver {

    public static final String EVENTS = "pulse.events";
    public static final String EVENT_TO_METRIC = "pulse.event.to.metric";
    /** [pulse_intake_events_total] records by intake outcome and, for dead letters, reason. */
    public static final String INTAKE_EVENTS = "pulse.intake.events";
    /** The {@code reason} of every outcome but {@code dead_lettered}. */
    public static final String NO_REASON = "none";

    private final MeterRegistry registry;
    /** Several stream threads report at once. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Map<IntakeOutcome, Counter> intake = new EnumMap<>(IntakeOutcome.class);
    private final Map<RejectReason, Counter> deadLettered = new EnumMap<>(RejectReason.class);

    public MicrometerPipelineObserver(MeterRegistry registry) {
        this.registry = registry;
        // Every series exists at zero from the start: increase() and ratios see the first record of each kind,
        // and the label set is fixed (three outcomes, plus one series per reject reason).
        for (IntakeOutcome outcome : IntakeOutcome.values()) {
            if (outcome != IntakeOutcome.DEAD_LETTERED) {
                intake.put(outcome, intakeCounter(outcome, NO_REASON));
            }
        }
        for (RejectReason reason : RejectReason.values()) {
            deadLettered.put(reason, intakeCounter(IntakeOutcome.DEAD_LETTERED, reason.name()));
        }
        this.latency = Timer.builder(EVENT_TO_METRIC)
                .description("Time from an event's occurredAt to the emission of the metric records it changed")
                .publishPercentileHistogram()
                // Live latency is sub-second to seconds; a replayed history's age lands in the top buckets.
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    @Override
    public void accepted(EventType type, SourcePlatform source) {
        counters.computeIfAbsent(type.name() + '/' + source.name(), k -> Counter.builder(EVENTS)
                        .description("Accepted, deduplicated events counted by the engagement metrics")
                        .tag("type", type.name()).tag("source", source.name()).register(registry))
                .increment();
    }

    @Override
    public void intake(IntakeOutcome outcome, RejectReason reason) {
        (outcome == IntakeOutcome.DEAD_LETTERED ? deadLettered.get(reason) : intake.get(outcome)).increment();
    }

    private Counter intakeCounter(IntakeOutcome outcome, String reason) {
        return Counter.builder(INTAKE_EVENTS)
                .description("Records the intake decided on, by outcome and (for dead letters) reason")
                .tag("outcome", outcome.label()).tag("reason", reason).register(registry);
    }

    @Override
    public void emitted(long millis) {
        latency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }
}
