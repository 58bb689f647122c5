package org.communitypulse.ingest.http.internals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The receiver's meters. Tag values come from fixed sets (platforms, outcomes, reject reasons) or from signed
 * payloads (unmapped kinds), never from unauthenticated input, so an attacker cannot inflate cardinality.
 */
public final class WebhookMetrics {

    public static final String REQUESTS = "pulse.webhook.requests";
    public static final String LATENCY = "pulse.webhook.latency";
    public static final String REJECTS = "pulse.webhook.rejects";
    public static final String PUBLISHED = "pulse.webhook.events.published";
    public static final String UNMAPPED = "pulse.webhook.unmapped";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The registry, for scraping and tests. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void request(String platform, Outcome outcome, long nanos) {
        Counter.builder(REQUESTS).description("Webhook requests by platform and outcome")
                .tag("platform", platform).tag("outcome", outcome.label()).register(registry).increment();
        Timer.builder(LATENCY).description("Time from request to answer, Kafka acknowledgement included")
                .tag("platform", platform).tag("outcome", outcome.label())
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    public void reject(String platform, String reason) {
        Counter.builder(REJECTS).description("Refused webhook requests by reason")
                .tag("platform", platform).tag("reason", reason).register(registry).increment();
    }

    public void published(String platform, String eventType) {
        Counter.builder(PUBLISHED).description("Events acknowledged by Kafka")
                .tag("platform", platform).tag("type", eventType).register(registry).increment();
    }

    public void unmapped(String platform, String kind) {
        Counter.builder(UNMAPPED).description("Signed deliveries of event kinds the pipeline does not count")
                .tag("platform", platform).tag("kind", kind).register(registry).increment();
    }

    /** Sum of a counter over all its tag values, or of those matching {@code tags} (key, value, ...). */
    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    public void close() {
        registry.close();
    }
}
