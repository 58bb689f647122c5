package org.communitypulse.streams.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;
import org.communitypulse.streams.common.PulseSensors;
import org.communitypulse.streams.http.internals.KafkaMetricsBridge;
import org.communitypulse.streams.intake.IntakeTopology;

/**
 * The Prometheus registry of one Streams instance: JVM and process meters, and every numeric Kafka Streams
 * and client metric, named as Micrometer's Kafka Streams binder names them ({@link KafkaMetricsBridge}), which
 * includes the pipeline's custom Streams metrics (group {@code stream-pulse-metrics}) except the intake's: those
 * are per-thread copies of {@code pulse_intake_events_total} ({@link MicrometerPipelineObserver}) and would
 * show the same counts twice.
 */
public final class StreamsMeters implements AutoCloseable {

    /** Common tag naming the Streams application id on every meter. */
    public static final String APPLICATION_TAG = "application";
    /**
     * How often new and removed Kafka metrics are looked for. Task-level and custom metrics only exist once
     * partitions are assigned, after the meters are first bound; Micrometer's binder default (60 s) would hide
     * them for a minute after each rebalance.
     */
    public static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(5);

    /** The binder's name prefix of group {@code stream-pulse-metrics}, and its tag key of the entity. */
    private static final String CUSTOM_PREFIX = "kafka.stream." + PulseSensors.SCOPE + ".";
    private static final String ENTITY_TAG = PulseSensors.SCOPE + ".id";

    private final PrometheusMeterRegistry registry;
    private final KafkaMetricsBridge kafkaMetrics;
    private final JvmGcMetrics gcMetrics;
    private final ScheduledExecutorService refresher;

    public StreamsMeters(KafkaStreams streams, String applicationId) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(APPLICATION_TAG, applicationId)
                .meterFilter(MeterFilter.deny(StreamsMeters::isIntakeSensor));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pulse-kafka-metrics-refresh");
            thread.setDaemon(true);
            return thread;
        });
        kafkaMetrics = new KafkaMetricsBridge(streams::metrics, registry);
        kafkaMetrics.refresh();
        refresher.scheduleWithFixedDelay(kafkaMetrics::refresh, KAFKA_METRICS_REFRESH.toMillis(),
                KAFKA_METRICS_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A meter the binder made of one of the intake's Streams sensors ({@link IntakeMetrics}). */
    static boolean isIntakeSensor(Meter.Id id) {
        String entity = id.getTag(ENTITY_TAG);
        return id.getName().startsWith(CUSTOM_PREFIX) && entity != null
                && (entity.equals(IntakeTopology.METRICS_ENTITY) || entity.startsWith(IntakeTopology.METRICS_ENTITY + "."));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Unbinds the Kafka metrics and waits for a refresh under way to end. Call it before closing Kafka Streams:
     * a refresh reads metric values (and a scrape reads the gauges), and a RocksDB
     * property gauge read while Streams closes its store reaches freed native memory (a JVM crash in
     * {@code RocksDB.getLongProperty}). Idempotent.
     */
    public void stopKafkaMetrics() {
        refresher.shutdownNow();
        kafkaMetrics.close();
        try {
            refresher.awaitTermination(KAFKA_METRICS_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopKafkaMetrics();
        gcMetrics.close();
        registry.close();
    }
}
