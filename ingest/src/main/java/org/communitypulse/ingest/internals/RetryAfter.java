package org.communitypulse.ingest.internals;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long an API asks to be left alone: the {@code Retry-After} header (RFC 9110: delay seconds or an HTTP date),
 * shared by the platform API clients so they read it alike.
 */
public final class RetryAfter {

    /** A hint is obeyed up to ten minutes: longer looks like a misconfigured proxy, not a rate limit. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private RetryAfter() {
    }

    /** The wait the header asks for, capped at {@link #MAX_WAIT}, or empty when absent or unreadable. */
    public static Optional<Duration> parse(Optional<String> header, Clock clock) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(capped(Duration.ofSeconds(Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(capped(until));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** {@code wait} within zero and {@link #MAX_WAIT}. */
    public static Duration capped(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }
}
