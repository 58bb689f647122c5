package org.communitypulse.streams.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.PipelineObserver;

/**
 * The pipeline's own meters: {@code pulse_events_total{type,source}} and the histogram
 * {@code pulse_event_to_metric_seconds} (event time to the emission of the metric records it changed),
 * with Prometheus buckets so quantiles can be computed across instances.
 */
public final class MicrometerPipelineObserver implements PipelineObserver {

    public static final String EVENTS = "pulse.events";
    public static final String EVENT_TO_METRIC = "pulse.event.to.metric";

    private final MeterRegistry registry;
    /** Several stream threads report at once. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer latency;

    public MicrometerPipelineObserver(MeterRegistry registry) {
        this.registry = registry;
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
    public void emitted(long millis) {
        latency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }
}
