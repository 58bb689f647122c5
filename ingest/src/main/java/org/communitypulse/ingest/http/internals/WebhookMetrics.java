package org.communitypulse.ingest.http.internals;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.communitypulse.schemas.metrics.PrometheusMeters;

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

    private final PrometheusMeters meters = new PrometheusMeters();
    private final Set<String> unmappedKinds = ConcurrentHashMap.newKeySet();

    /** The registry, for scraping and tests. */
    public PrometheusMeterRegistry registry() {
        return meters.registry();
    }

    public void request(String platform, Outcome outcome, long nanos) {
        meters.latency(LATENCY, "Webhook requests by platform and outcome: time from request to answer, Kafka "
                        + "acknowledgement included", Duration.ofSeconds(30), "platform", platform,
                "outcome", outcome.label()).record(Duration.ofNanos(nanos));
    }

    public void reject(String platform, String reason) {
        meters.increment(REJECTS, "Refused webhook requests by reason", "platform", platform, "reason", reason);
    }

    public void published(String platform, String eventType) {
        meters.increment(PUBLISHED, "Events acknowledged by Kafka", "platform", platform, "type", eventType);
    }

    public void unmapped(String platform, String kind) {
        String tag = OTHER_KIND;
        if (KIND.matcher(kind).matches()
                && (unmappedKinds.contains(kind) || unmappedKinds.size() < MAX_UNMAPPED_KINDS && unmappedKinds.add(kind))) {
            tag = kind;
        }
        meters.increment(UNMAPPED, "Signed deliveries of event kinds the pipeline does not count",
                "platform", platform, "kind", tag);
    }

    /** Sum of a counter over all its tag values, or of those matching {@code tags} (key, value, ...). */
    public double count(String name, String... tags) {
        return meters.count(name, tags);
    }

    public void close() {
        meters.close();
    }
}
