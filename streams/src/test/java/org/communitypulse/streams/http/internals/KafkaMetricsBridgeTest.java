package org.communitypulse.streams.http.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge exports what Micrometer's Kafka binder exports for the same metrics (the same Prometheus text, names,
 * labels, types and values), and a change binds or unbinds only the meters of what changed.
 */
class KafkaMetricsBridgeTest {

    /** A clock that stands still, so that rates read the same in both registries. */
    private static final Time STILL = new Time() {
        @Override
        public long milliseconds() {
            return 1_800_000_000_000L;
        }

        @Override
        public long nanoseconds() {
            return milliseconds() * 1_000_000L;
        }

        @Override
        public void sleep(long ms) {
        }

        @Override
        public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        }
    };

    private final Metrics kafka = new Metrics(new MetricConfig(), List.of(), STILL);
    private final PrometheusMeterRegistry ours = registry();
    private KafkaMetricsBridge bridge;

    @AfterEach
    void close() {
        if (bridge != null) {
            bridge.close();
        }
        kafka.close();
    }

    private static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("application", "app-1");
        return registry;
    }

    private Map<String, String> tags(String... pairs) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            tags.put(pairs[i], pairs[i + 1]);
        }
        return tags;
    }

    /** A producer's and a Streams thread's kinds of metric: cumulative, windowed, gauges, text, narrow and wide. */
    private void clientMetrics() {
        kafka.addMetric(kafka.metricName("version", "app-info", "", tags("client-id", "p-1")),
                (Gauge<String>) (config, now) -> "4.3.2");
        kafka.addMetric(kafka.metricName("start-time-ms", "app-info", "", tags("client-id", "p-1")),
                (Gauge<Long>) (config, now) -> 17L);
        kafka.addMetric(kafka.metricName("count", "kafka-metrics-count", "", tags("client-id", "p-1")),
                (Gauge<Integer>) (config, now) -> 40);
        Sensor sends = kafka.sensor("sends");
        sends.add(kafka.metricName("record-send-total", "producer-metrics", "records sent", tags("client-id", "p-1")),
                new CumulativeCount());
        sends.add(kafka.metricName("record-send-rate", "producer-metrics", "records per second",
                tags("client-id", "p-1")), new Rate());
        sends.add(kafka.metricName("byte-total", "producer-metrics", "bytes", tags("client-id", "p-1")),
                new CumulativeSum());
        sends.add(kafka.metricName("record-size-avg", "producer-metrics", "average size", tags("client-id", "p-1")),
                new Avg());
        sends.add(kafka.metricName("record-size-max", "producer-metrics", "largest", tags("client-id", "p-1")),
                new Max());
        for (int i = 0; i < 7; i++) {
            sends.record(100 + i, STILL.milliseconds());
        }
        kafka.addMetric(kafka.metricName("client-state", "stream-metrics", "state", tags("client-id", "s-1")),
                (Gauge<Integer>) (config, now) -> 2);
        kafka.addMetric(kafka.metricName("topology-description", "stream-metrics", "text", tags("client-id", "s-1")),
                (Gauge<String>) (config, now) -> "Topologies: ...");
        // One name, client-wide and per partition: only the per-partition variants are exported.
        kafka.addMetric(kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "lag",
                tags("client-id", "c-1")), new Max());
        for (int p = 0; p < 3; p++) {
            wideLag("t", p);
        }
    }

    private MetricName wideLag(String topic, int partition) {
        MetricName name = kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "lag",
                tags("client-id", "c-1", "topic", topic, "partition", Integer.toString(partition)));
        kafka.addMetric(name, new Max());
        return name;
    }

    /** Micrometer's own binder on a fresh registry over the same metrics: the reference scrape. */
    private List<String> binderScrape() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        kafka.metrics().forEach(producer::setMockMetrics);
        PrometheusMeterRegistry reference = registry();
        try (KafkaClientMetrics binder = new KafkaClientMetrics(producer)) {
            binder.bindTo(reference);
            return lines(reference.scrape(), true);
        }
    }

    /**
     * The scrape's lines, sorted. With {@code binderOnly}, without the one series the binder takes from app-info
     * (one client's start time, whichever it meets last): the bridge leaves app-info out altogether.
     */
    private static List<String> lines(String scrape, boolean binderOnly) {
        return Arrays.stream(scrape.split("\n"))
                .filter(l -> !(binderOnly && l.contains("kafka_app_info_start_time_ms")))
                .sorted().toList();
    }

    private List<String> ourScrape() {
        return lines(ours.scrape(), false);
    }

    @Test
    void shouldExportWhatMicrometersBinderExportsWhenBoundToTheSameMetrics() {
        clientMetrics();
        bridge = new KafkaMetricsBridge(kafka::metrics, ours);
        bridge.refresh();

        assertThat(ourScrape()).isEqualTo(binderScrape()).isNotEmpty()
                .contains("# TYPE kafka_producer_record_send_total counter",
                        "# TYPE kafka_producer_byte_total counter",
                        "# TYPE kafka_producer_record_size_avg gauge",
                        "kafka_producer_record_send_total{application=\"app-1\",client_id=\"p-1\","
                                + "kafka_version=\"4.3.2\"} 7.0",
                        "kafka_stream_client_state{application=\"app-1\",client_id=\"s-1\",kafka_version=\"4.3.2\"} 2.0")
                .noneMatch(l -> l.contains("topology_description") || l.contains("kafka_metrics_count")
                        || l.contains("app_info"))
                .filteredOn(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{")).hasSize(3)
                .allMatch(l -> l.contains("partition="));
    }

    @Test
    void shouldFollowMetricsThatComeAndGoAsABinderBoundAfreshWould() {
        clientMetrics();
        bridge = new KafkaMetricsBridge(kafka::metrics, ours);
        bridge.refresh();

        // A new topic's metrics, a removed partition, a new sensor and a name that only has a narrow variant.
        wideLag("u", 0);
        kafka.removeMetric(kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "lag",
                tags("client-id", "c-1", "topic", "t", "partition", "2")));
        kafka.sensor("commits").add(kafka.metricName("commit-total", "stream-thread-metrics", "commits",
                tags("thread-id", "s-1-t-1")), new CumulativeCount());
        kafka.addMetric(kafka.metricName("failed-stream-threads", "stream-metrics", "failed", tags("client-id", "s-1")),
                new CumulativeSum());
        bridge.refresh();
        assertThat(ourScrape()).isEqualTo(binderScrape());

        // Every per-partition variant gone: the client-wide one is the widest left, and is exported.
        for (String[] tp : new String[][] {{"t", "0"}, {"t", "1"}, {"u", "0"}}) {
            kafka.removeMetric(kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "lag",
                    tags("client-id", "c-1", "topic", tp[0], "partition", tp[1])));
        }
        bridge.refresh();
        assertThat(ourScrape()).isEqualTo(binderScrape())
                .contains("kafka_consumer_fetch_manager_records_lag_max{application=\"app-1\",client_id=\"c-1\","
                        + "kafka_version=\"4.3.2\"} NaN");
    }

    @Test
    void shouldBindOnlyTheMeterThatCameWhenOneMetricJoinsThousandsUnderTheSameName() {
        for (int p = 0; p < 2_000; p++) {
            wideLag("t", p);
        }
        AtomicInteger added = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        ours.config().onMeterAdded(m -> added.incrementAndGet()).onMeterRemoved(m -> removed.incrementAndGet());
        bridge = new KafkaMetricsBridge(kafka::metrics, ours);
        bridge.refresh();
        assertThat(added).hasValue(2_000);

        bridge.refresh();
        assertThat(added).as("nothing changed").hasValue(2_000);
        wideLag("u", 0);
        bridge.refresh();
        assertThat(added).hasValue(2_001);
        kafka.removeMetric(kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "lag",
                tags("client-id", "c-1", "topic", "t", "partition", "7")));
        bridge.refresh();
        assertThat(added).hasValue(2_001);
        assertThat(removed).hasValue(1);

        bridge.close();
        assertThat(ours.getMeters()).as("all unbound on close").isEmpty();
        wideLag("v", 0);
        bridge.refresh();
        assertThat(ours.getMeters()).as("nothing bound after close").isEmpty();
    }
}
