package org.communitypulse.ingest.http.internals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The receiver's meters. Tag values come from fixed sets (platforms, outcomes, reject reasons, event types),
 * except the unmapped {@code kind}, which includes the event-name header. Platforms do not sign that header, so
 * kinds are limited to a plain alphabet and a fixed number of distinct values; the rest count as {@code other}.
 * Requests are counted by the latency timer alone: its {@code pulse_webhook_latency_seconds_count} is the request
 * count by platform and outcome.
 */
public final class WebhookMetrics {

    public static final String LATENCY = "pulse.webhook.latency";
    public static final String REJECTS = "pulse.webhook.rejects";
    public static final String PUBLISHED = "pulse.webhook.events.published";
    public static final String UNMAPPED = "pulse.webhook.unmapped";

    /** Distinct unmapped kinds tracked before further ones are counted as {@link #OTHER_KIND}. */
    static final int MAX_UNMAPPED_KINDS = 200;
    static final String OTHER_KIND = "other";
    private static final Pattern KIND = Pattern.compile("[a-z]{1,12}:[A-Za-z0-9_.()]{1,80}");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> unmappedKinds = ConcurrentHashMap.newKeySet();

    /** The registry, for scraping and tests. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void request(String platform, Outcome outcome, long nanos) {
        Timer.builder(LATENCY).description("Webhook requests by platform and outcome: time from request to answer, "
                        + "Kafka acknowledgement included")
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
        String tag = OTHER_KIND;
        if (KIND.matcher(kind).matches()
                && (unmappedKinds.contains(kind) || unmappedKinds.size() < MAX_UNMAPPED_KINDS && unmappedKinds.add(kind))) {
            tag = kind;
        }
        Counter.builder(UNMAPPED).description("Signed deliveries of event kinds the pipeline does not count")
                .tag("platform", platform).tag("kind", tag).register(registry).increment();
    }

    /** Sum of a counter over all its tag values, or of those matching {@code tags} (key, value, ...). */
    public double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    public void close() {
        registry.close();
    }
}
