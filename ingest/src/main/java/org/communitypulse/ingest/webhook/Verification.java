package org.communitypulse.ingest.webhook;

import java.util.Objects;

/**
 * Outcome of checking a webhook request: accepted, or rejected with a {@link RejectReason} and a message.
 *
 * <p>Messages are safe to log and to return to the caller: they never contain the shared secret, the expected
 * signature, or any header value taken from the request.
 *
 * @param accepted whether the request passed
 * @param reason   why it was rejected, {@code null} when accepted
 * @param message  human-readable explanation
 */
public record Verification(boolean accepted, RejectReason reason, String message) {

    private static final Verification ACCEPTED = new Verification(true, null, "accepted");

    public Verification {
        Objects.requireNonNull(message, "message");
        if (accepted != (reason == null)) {
            throw new IllegalArgumentException("a reason is required exactly when the request is rejected");
        }
    }

    /** The shared accepted outcome. */
    public static Verification accept() {
        return ACCEPTED;
    }

    /** A rejection; {@code message} must not contain secrets or request header values. */
    public static Verification reject(RejectReason reason, String message) {
        return new Verification(false, Objects.requireNonNull(reason, "reason"), message);
    }

    /** Whether the request was rejected. */
    public boolean rejected() {
        return !accepted;
    }
}
