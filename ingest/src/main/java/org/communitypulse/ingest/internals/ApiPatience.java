package org.communitypulse.ingest.internals;

import java.time.Duration;

/**
 * How patient a platform API client is, and the defaults they share; each client's {@code Settings} record is one,
 * so that {@link RetryingSender} reads them alike.
 */
public interface ApiPatience {

    Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    int DEFAULT_MAX_RETRIES = 8;
    Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

    /** How long one request may take, and its connection. */
    Duration requestTimeout();

    /** Attempts after the first one before a failure is final. */
    int maxRetries();

    /** The first wait after a failure without a hint; it doubles each time. */
    Duration initialBackoff();

    /** The longest wait without a hint. */
    Duration maxBackoff();

    /** Throws IllegalArgumentException when {@code maxRetries} is negative. */
    static void checkMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
    }
}
