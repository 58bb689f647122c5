package org.communitypulse.ingest.http.internals;

import java.util.Locale;

/** How a webhook request ended; the {@code outcome} tag of the request metrics. */
public enum Outcome {
    /** Events published and acknowledged. */
    ACCEPTED,
    /** A delivery already accepted: answered 2xx, nothing published. */
    DUPLICATE,
    /** Signed and valid, but of a kind the pipeline does not count: answered 2xx. */
    UNMAPPED,
    /** Slack url_verification answered. */
    CHALLENGE,
    /** Refused (4xx): signature, size, JSON, payload, community. */
    REJECTED,
    /** Kafka did not acknowledge: 503 with Retry-After. */
    UNAVAILABLE,
    /** A bug: 500. Never expected; the fuzz test asserts there are none. */
    ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
