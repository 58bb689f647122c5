package org.communitypulse.ingest.webhook;

import java.time.Instant;
import java.util.Map;

/**
 * Checks that a webhook request was signed by the holder of a shared secret.
 *
 * <p>Implementations are thread-safe, never throw for malformed input (they reject it), compare signatures in
 * constant time, and never put the secret or the expected signature into a {@link Verification} message.
 */
public interface SignatureVerifier {

    /** The platform whose signing scheme this verifier implements. */
    WebhookSource source();

    /**
     * Verifies one request.
     *
     * @param headers request headers; names are looked up case-insensitively, {@code null} values count as absent
     * @param body    the raw request body exactly as received (before any parsing or charset decoding)
     * @param now     the current time, used by schemes that sign a timestamp
     * @return accepted, or rejected with a reason
     */
    Verification verify(Map<String, String> headers, byte[] body, Instant now);

    /**
     * The exact bytes the platform signs for this request (the body, or Slack's {@code v0:<ts>:<body>}); only
     * meaningful for a request {@link #verify} accepted. The replay key is their digest ({@link DeliveryDigest}).
     */
    default byte[] signedContent(Map<String, String> headers, byte[] body) {
        return body;
    }
}
