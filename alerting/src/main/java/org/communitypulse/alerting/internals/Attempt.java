package org.communitypulse.alerting.internals;

import java.time.Duration;

/**
 * What one POST came to.
 *
 * @param kind       delivered, retry later, or never
 * @param reason     metric tag: {@code ok}, {@code http_503}, {@code timeout}, {@code connect}, {@code io}, ...
 * @param retryAfter the receiver's Retry-After, or null
 * @param detail     for logs and the dead-letter record: status and the start of the answer, never the URL
 */
public record Attempt(Kind kind, String reason, Duration retryAfter, String detail) {

    public enum Kind { DELIVERED, TRANSIENT, PERMANENT }

    /** 2xx: delivered; 408, 429 and 5xx: try again; any other status: the receiver will never accept it. */
    public static Kind classify(int status) {
        if (status >= 200 && status < 300) {
            return Kind.DELIVERED;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return Kind.TRANSIENT;
        }
        return Kind.PERMANENT;
    }
}
