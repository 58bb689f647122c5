package org.communitypulse.alerting.internals;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.communitypulse.schemas.metrics.PrometheusMeters;

/**
 * The delivery service's meters (Prometheus names in brackets). Tag values come from fixed sets: receiver names
 * from the configuration, reasons from {@link Attempt} and the dead-letter reasons, community and condition from
 * the alert records (one series per community and condition, like the alerts themselves).
 */
public final class DeliveryMetrics {

    /** [pulse_alerts_retried_total] failed attempts that will be retried, by receiver and reason. */
    public static final String RETRIED = "pulse.alerts.retried";
    /** [pulse_alerts_failed_total] records given up (dead-lettered), by receiver and reason. */
    public static final String FAILED = "pulse.alerts.failed";
    /**
     * [pulse_alerts_delivery_latency_seconds] first attempt to 2xx, retries included, by receiver and state; its
     * {@code _count} is the number of alerts delivered (there is no separate counter of them).
     */
    public static final String LATENCY = "pulse.alerts.delivery.latency";
    /** [pulse_alerts_delivery_age_seconds] record timestamp (written by Streams) to 2xx, by receiver. */
    public static final String AGE = "pulse.alerts.delivery.age";
    /** [pulse_alerts_receiver_retrying] 1 while a receiver's queue is blocked retrying one alert. */
    public static final String RETRYING = "pulse.alerts.receiver.retrying";
    /** [pulse_alerts_commit_failures_total] offsets not committed after a 2xx (that alert is sent again). */
    public static final String COMMIT_FAILURES = "pulse.alerts.commit.failures";
    /** [pulse_alerts_firing] 1 while an alert of the community and condition is FIRING, 0 once RESOLVED. */
    public static final String FIRING = "pulse.alerts.firing";
    /** [pulse_alerts_unreadable_total] alert records the firing gauge could not read. */
    public static final String UNREADABLE = "pulse.alerts.unreadable";

    /**
     * [pulse_alerts_unowned_total] alerts routed to the default receiver because no owner role had a holder with a
     * channel, by community and reason ({@code vacant}, {@code no_channel}).
     */
    public static final String UNOWNED = "pulse.alerts.unowned";
    /** [pulse_alerts_roles_unreadable_total] records of the roles topic the router could not read. */
    public static final String ROLES_UNREADABLE = "pulse.alerts.roles.unreadable";

    private static final Duration LONGEST_DELIVERY = Duration.ofHours(1);

    private final PrometheusMeters meters = new PrometheusMeters();
    private final PrometheusMeterRegistry registry = meters.registry();
    private final Map<String, AtomicInteger> retrying = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> firing = new ConcurrentHashMap<>();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Registers a receiver's series at zero, so rates and "never delivered" are visible from the start. */
    public void receiver(String receiver) {
        retrying(receiver);
        latency(receiver, "FIRING");
        latency(receiver, "RESOLVED");
        age(receiver);
    }

    public void delivered(String receiver, String state, Duration latency, Duration age) {
        latency(receiver, state).record(latency);
        age(receiver).record(age.isNegative() ? Duration.ZERO : age);
    }

    /** Alerts acknowledged with 2xx (the latency timer's count), over every series or those matching {@code tags}. */
    public long delivered(String... tags) {
        return meters.timed(LATENCY, tags);
    }

    private Timer latency(String receiver, String state) {
        return meters.latency(LATENCY, "Alerts acknowledged with 2xx: first attempt to acknowledgement, retries "
                + "included", LONGEST_DELIVERY, "receiver", receiver, "state", state);
    }

    private Timer age(String receiver) {
        return meters.latency(AGE, "From the alert record's timestamp to its acknowledgement", LONGEST_DELIVERY,
                "receiver", receiver);
    }

    public void retried(String receiver, String reason) {
        meters.increment(RETRIED, "Failed delivery attempts that are retried", "receiver", receiver,
                "reason", reason);
    }

    public void failed(String receiver, String reason) {
        meters.increment(FAILED, "Alerts given up and written to the dead-letter topic", "receiver", receiver,
                "reason", reason);
    }

    public void commitFailed(String receiver) {
        meters.increment(COMMIT_FAILURES, "Offsets not committed after a delivery (it is sent again)",
                "receiver", receiver);
    }

    public void retrying(String receiver, boolean blocked) {
        retrying(receiver).set(blocked ? 1 : 0);
    }

    private AtomicInteger retrying(String receiver) {
        return retrying.computeIfAbsent(receiver, r -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(RETRYING, value, AtomicInteger::get)
                    .description("1 while the receiver's queue is blocked retrying an alert")
                    .tag("receiver", r).register(registry);
            return value;
        });
    }

    /** Sets the firing gauge of one community and condition. */
    public void firing(String community, String condition, boolean isFiring) {
        firing.computeIfAbsent(community + '\u0000' + condition, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(FIRING, value, AtomicInteger::get)
                    .description("1 while an alert of this community and condition is FIRING")
                    .tag("community", community).tag("condition", condition).register(registry);
            return value;
        }).set(isFiring ? 1 : 0);
    }

    public void unowned(String community, String reason) {
        meters.increment(UNOWNED, "Alerts sent to the default receiver: no owner role holder with a channel",
                "community", community, "reason", reason);
    }

    public void rolesUnreadable() {
        meters.increment(ROLES_UNREADABLE, "Records of the roles topic the alert router could not read");
    }

    public void unreadable(String reason) {
        meters.increment(UNREADABLE, "Alert records the firing gauge could not read", "reason", reason);
    }

    /** Sum of a counter over all its series, or those matching {@code tags} (key, value, ...). */
    public double count(String name, String... tags) {
        return meters.count(name, tags);
    }

    /** Value of the firing gauge, or -1 when the community and condition have never been seen. */
    public int firingValue(String community, String condition) {
        AtomicInteger value = firing.get(community + '\u0000' + condition);
        return value == null ? -1 : value.get();
    }

    public void close() {
        meters.close();
    }
}
