package org.communitypulse.ingest.discourse;

import org.communitypulse.ingest.ImportException;

/**
 * A Discourse API request that failed for good: the message names the method, the URL (never the key, which
 * travels in a header) and what to check; {@link #status()} is the HTTP status, or 0 when no answer came.
 */
public final class DiscourseApiException extends ImportException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public DiscourseApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public DiscourseApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, 0 when the forum did not answer. */
    public int status() {
        return status;
    }
}
