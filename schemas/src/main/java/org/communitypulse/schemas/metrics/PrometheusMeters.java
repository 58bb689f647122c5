package org.communitypulse.schemas.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * A service's own Prometheus registry with the project's meter conventions, shared by the webhook receiver and the
 * alert delivery service so their {@code /metrics} read alike: every meter has a description, counters are
 * registered on first use, latency timers publish a histogram from 1 ms up to a given maximum (quantiles with
 * {@code histogram_quantile} across instances).
 * Names follow Micrometer's dotted style; the registry renders them as {@code pulse_..._total} and
 * {@code pulse_..._seconds}.
 */
public final class PrometheusMeters implements AutoCloseable {

    private static final Duration SHORTEST_EXPECTED = Duration.ofMillis(1);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The registry, for scraping ({@code scrape()}), gauges and tests. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Adds one to counter {@code name} with {@code tags} (key, value, ...), registering it on first use. */
    public void increment(String name, String description, String... tags) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment();
    }

    /**
     * The latency timer {@code name} with {@code tags}: a histogram from 1 ms to {@code longest} (and p50, p99 for
     * registries that publish client-side percentiles).
     */
    public Timer latency(String name, String description, Duration longest, String... tags) {
        return Timer.builder(name).description(description).tags(tags)
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(SHORTEST_EXPECTED).maximumExpectedValue(longest)
                .register(registry);
    }

    /** Sum of counter {@code name} over all its series, or those matching {@code tags} (key, value, ...). */
    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Sum of the counts of timer {@code name} over all its series, or those matching {@code tags}. */
    public long timed(String name, String... tags) {
        return registry.find(name).tags(tags).timers().stream().mapToLong(Timer::count).sum();
    }

    @Override
    public void close() {
        registry.close();
    }
}
