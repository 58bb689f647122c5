package org.communitypulse.streams.http.internals;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client metrics as Micrometer meters, named and tagged exactly as Micrometer's {@code KafkaStreamsMetrics}
 * binder names them, but kept in step with the client at a cost per changed metric.
 *
 * <p>Why not the binder itself: on every change of the client's metric set it re-examines every metric against
 * every registered meter of the same name, rebuilding tag lists with regular expressions (micrometer issues 1942
 * and 2801). A Streams instance of this pipeline has about 15,000 metrics, up to 160 under one name (one per
 * store, task or partition), and its set changes with every first write to a topic, every rebalance and every
 * restore: each change then cost seconds of CPU. This class compares the metric names, and binds or unbinds only
 * those that came or went, and the meters of the names they share.
 *
 * <p>Kept from the binder: meter name {@code kafka.<group>.<name>} with "-metrics" dropped and '-' as '.'; tags
 * from the metric's tags ('-' as '.') plus {@code kafka.version}; counters for cumulative sums and counts (and for
 * names ending in "total" when the kind is unknown), gauges otherwise; non-numeric metrics and the {@code app-info}
 * and {@code kafka-metrics-count} groups left out; values read at scrape time from the latest metric map. Where one
 * name comes with different numbers of tags (a client-wide metric and its per-topic variants), only the variants
 * with the most tags are bound, since Prometheus wants one label set per name.
 */
public final class KafkaMetricsBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaMetricsBridge.class);
    static final String APP_INFO_GROUP = "app-info";
    static final String METRICS_COUNT_GROUP = "kafka-metrics-count";
    static final String VERSION_TAG = "kafka.version";

    private final Supplier<Map<MetricName, ? extends Metric>> source;
    private final MeterRegistry registry;
    /** What the gauges and counters read: the latest map, so that a metric re-created under its name is read. */
    private final AtomicReference<Map<MetricName, ? extends Metric>> latest = new AtomicReference<>(Map.of());
    private final Set<MetricName> known = new HashSet<>();
    /** Numeric metrics of the exported groups, by meter name. */
    private final Map<String, Set<MetricName>> byMeterName = new HashMap<>();
    private final Map<MetricName, Meter.Id> bound = new HashMap<>();
    private String kafkaVersion = "unknown";
    private boolean closed;

    public KafkaMetricsBridge(Supplier<Map<MetricName, ? extends Metric>> source, MeterRegistry registry) {
        this.source = source;
        this.registry = registry;
    }

    /**
     * Binds metrics that appeared and unbinds those that went since the last call; cheap when nothing changed.
     * Never throws: a failed refresh is logged and the next one starts from what is bound.
     */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        try {
            update();
        } catch (RuntimeException e) {
            LOG.warn("Kafka metrics not refreshed: {}", e.toString());
        }
    }

    private void update() {
        Map<MetricName, ? extends Metric> now = source.get();
        latest.set(now);
        if (known.size() == now.size() && known.containsAll(now.keySet())) {
            return;
        }
        Set<String> touched = new HashSet<>();
        for (MetricName gone : List.copyOf(known)) {
            if (!now.containsKey(gone)) {
                known.remove(gone);
                String name = meterName(gone);
                Set<MetricName> same = byMeterName.get(name);
                if (same != null && same.remove(gone)) {
                    touched.add(name);
                }
                unbind(gone);
            }
        }
        now.forEach((metricName, metric) -> {
            if (known.add(metricName)) {
                if (APP_INFO_GROUP.equals(metricName.group()) && "version".equals(metricName.name())
                        && metric.metricValue() instanceof String version) {
                    kafkaVersion = version;
                }
                if (exported(metricName, metric)) {
                    String name = meterName(metricName);
                    byMeterName.computeIfAbsent(name, n -> new HashSet<>()).add(metricName);
                    touched.add(name);
                }
            }
        });
        touched.forEach(name -> rebind(name, now));
    }

    /** Binds the widest variants of one meter name and unbinds the narrower ones. */
    private void rebind(String name, Map<MetricName, ? extends Metric> now) {
        Set<MetricName> same = byMeterName.getOrDefault(name, Set.of());
        int widest = same.stream().mapToInt(m -> m.tags().size()).max().orElse(-1);
        for (MetricName metricName : same) {
            if (metricName.tags().size() < widest) {
                unbind(metricName);
            } else if (!bound.containsKey(metricName)) {
                bind(name, metricName, now.get(metricName));
            }
        }
        if (same.isEmpty()) {
            byMeterName.remove(name);
        }
    }

    private void bind(String name, MetricName metricName, Metric metric) {
        List<Tag> tags = new ArrayList<>(metricName.tags().size() + 1);
        metricName.tags().forEach((key, value) -> tags.add(Tag.of(key.replace('-', '.'), value)));
        tags.add(Tag.of(VERSION_TAG, kafkaVersion));
        try {
            Meter meter = isCounter(name, metric)
                    ? FunctionCounter.builder(name, latest, m -> value(m.get().get(metricName))).tags(tags)
                            .description(metricName.description()).register(registry)
                    : Gauge.builder(name, latest, m -> value(m.get().get(metricName))).tags(tags)
                            .description(metricName.description()).register(registry);
            bound.put(metricName, meter.getId());
        } catch (RuntimeException e) {
            // Prometheus refuses a name already taken with other label names; the rest of the metrics still go out.
            LOG.debug("Kafka metric {} {} not exported: {}", name, tags, e.getMessage());
        }
    }

    private void unbind(MetricName metricName) {
        Meter.Id id = bound.remove(metricName);
        if (id != null) {
            registry.remove(id);
        }
    }

    static boolean exported(MetricName name, Metric metric) {
        return metric.metricValue() instanceof Number && !APP_INFO_GROUP.equals(name.group())
                && !METRICS_COUNT_GROUP.equals(name.group());
    }

    static String meterName(MetricName name) {
        return ("kafka." + name.group() + "." + name.name()).replace("-metrics", "").replace('-', '.');
    }

    private static boolean isCounter(String meterName, Metric metric) {
        Class<?> kind = measurableClass(metric);
        return kind == null ? meterName.endsWith("total") : kind == CumulativeSum.class || kind == CumulativeCount.class;
    }

    private static Class<? extends Measurable> measurableClass(Metric metric) {
        if (!(metric instanceof KafkaMetric kafkaMetric)) {
            return null;
        }
        try {
            return kafkaMetric.measurable().getClass();
        } catch (IllegalStateException gauge) {
            return null;
        }
    }

    private static double value(Metric metric) {
        Object value = metric == null ? null : metric.metricValue();
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }

    /** Removes every meter bound here; later refreshes do nothing. */
    @Override
    public synchronized void close() {
        closed = true;
        bound.values().forEach(registry::remove);
        bound.clear();
    }
}
