package org.communitypulse.alerting.internals;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the wait after failed attempt n (1-based) is
 * {@code min(max, initial * multiplier^(n-1))}, of which a share {@code jitter} is random, i.e. a uniform
 * value in {@code [w * (1 - jitter), w]}. A receiver's own {@code Retry-After} is honoured when it asks for
 * longer, up to {@code max}. There is no attempt limit: a transient failure is retried until it succeeds.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final double multiplier;
    private final double jitter;
    private final DoubleSupplier random;

    /**
     * @param random uniform values in [0, 1) (tests pass fixed ones)
     */
    public Backoff(Duration initial, Duration max, double multiplier, double jitter, DoubleSupplier random) {
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.random = Objects.requireNonNull(random, "random");
        if (initialMs < 1 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff needs 1 ms <= initial <= max");
        }
        if (multiplier < 1 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff needs multiplier >= 1 and 0 <= jitter <= 1");
        }
    }

    /** The wait before attempt {@code failedAttempts + 1}, without jitter (the upper bound). */
    public Duration ceiling(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1");
        }
        // Doubles overflow to infinity, never wrap: min() then caps it.
        double ms = initialMs * Math.pow(multiplier, failedAttempts - 1);
        return Duration.ofMillis((long) Math.min(maxMs, ms));
    }

    /** The wait after {@code failedAttempts} failures, jittered, at least what the receiver asked (capped). */
    public Duration delay(int failedAttempts, Duration retryAfter) {
        long ceiling = ceiling(failedAttempts).toMillis();
        long wait = Math.max(1, Math.round(ceiling * (1 - jitter * random.getAsDouble())));
        if (retryAfter != null && retryAfter.toMillis() > wait) {
            wait = Math.min(maxMs, retryAfter.toMillis());
        }
        return Duration.ofMillis(wait);
    }
}
