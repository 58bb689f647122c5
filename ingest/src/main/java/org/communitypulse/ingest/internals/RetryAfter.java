package org.communitypulse.ingest.internals;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The waits the API clients share: the {@code Retry-After} header (RFC 9110: seconds or an HTTP date), capped, and
 * the exponential backoff used when a server gives no hint.
 */
public final class RetryAfter {

    /** A hint is obeyed up to ten minutes: longer looks like a misconfigured proxy, not a rate limit. */
    public static final Duration MAX_HINT = Duration.ofMinutes(10);

    private RetryAfter() {
    }

    /** The header's wait, capped at {@link #MAX_HINT}; empty when absent or unreadable. */
    public static Optional<Duration> parse(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(capped(Duration.ofSeconds(Math.max(0, Long.parseLong(value)))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(capped(until.isNegative() ? Duration.ZERO : until));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** {@code wait} or {@link #MAX_HINT}, the shorter. */
    public static Duration capped(Duration wait) {
        return wait.compareTo(MAX_HINT) > 0 ? MAX_HINT : wait;
    }

    /** The backoff after {@code backoff}: doubled, at most {@code max}. */
    public static Duration next(Duration backoff, Duration max) {
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(max) > 0 ? max : next;
    }
}
