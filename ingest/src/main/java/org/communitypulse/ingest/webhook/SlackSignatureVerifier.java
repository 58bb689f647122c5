package org.communitypulse.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.webhook.internals.HeaderLookup;
import org.communitypulse.ingest.webhook.internals.HmacSha256;
import org.communitypulse.ingest.webhook.internals.PrefixedHexSignature;

/**
 * Slack request signing: {@code X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)>}
 * with {@code X-Slack-Request-Timestamp} in epoch seconds.
 *
 * <p>The timestamp is checked before the signature, as Slack recommends: a request further than the tolerance
 * from {@code now} (either direction, to cover clock skew) is rejected as {@link RejectReason#STALE_TIMESTAMP}.
 */
public final class SlackSignatureVerifier implements SignatureVerifier {

    /** Header carrying the signature. */
    public static final String SIGNATURE_HEADER = "X-Slack-Signature";
    /** Header carrying the signed timestamp (epoch seconds). */
    public static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
    /** Slack's recommended maximum age of a request. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION = "v0";
    /** Longer values cannot be epoch seconds of a real request and could overflow a long. */
    private static final int MAX_TIMESTAMP_DIGITS = 12;

    private final WebhookSecret secret;
    private final long toleranceSeconds;
    private final PrefixedHexSignature signature = new PrefixedHexSignature(SIGNATURE_HEADER, VERSION + "=");

    /** A verifier with the {@link #DEFAULT_TOLERANCE}. */
    public SlackSignatureVerifier(WebhookSecret secret) {
        this(secret, DEFAULT_TOLERANCE);
    }

    /** A verifier accepting timestamps at most {@code tolerance} (whole seconds, not negative) away from now. */
    public SlackSignatureVerifier(WebhookSecret secret, Duration tolerance) {
        this.secret = Objects.requireNonNull(secret, "secret");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
        }
        this.toleranceSeconds = tolerance.getSeconds();
    }

    @Override
    public WebhookSource source() {
        return WebhookSource.SLACK;
    }

    @Override
    public Verification verify(Map<String, String> headers, byte[] body, Instant now) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(now, "now");
        String timestamp;
        try {
            timestamp = HeaderLookup.find(headers, TIMESTAMP_HEADER);
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            return Verification.reject(RejectReason.DUPLICATE_HEADER, e.getMessage());
        }
        // The signed text uses the header exactly as sent; only surrounding whitespace is HTTP framing.
        String signedTimestamp = timestamp == null ? "" : HeaderLookup.stripOws(timestamp);
        if (signedTimestamp.isEmpty()) {
            return Verification.reject(RejectReason.MISSING_TIMESTAMP, "missing " + TIMESTAMP_HEADER + " header");
        }
        if (!isEpochSeconds(signedTimestamp)) {
            return Verification.reject(RejectReason.MALFORMED_TIMESTAMP,
                    TIMESTAMP_HEADER + " must be epoch seconds");
        }
        long age = now.getEpochSecond() - Long.parseLong(signedTimestamp);
        if (Math.abs(age) > toleranceSeconds) {
            return Verification.reject(RejectReason.STALE_TIMESTAMP,
                    TIMESTAMP_HEADER + " is more than " + toleranceSeconds + " s away from now");
        }
        byte[] prefix = (VERSION + ":" + signedTimestamp + ":").getBytes(StandardCharsets.US_ASCII);
        return signature.verify(headers, () -> HmacSha256.compute(secret.hmacKey(), prefix, body));
    }

    /** {@code v0:<timestamp>:<body>}, as signed; the timestamp is bounded by the tolerance, so is the key's use. */
    @Override
    public byte[] signedContent(Map<String, String> headers, byte[] body) {
        String timestamp;
        try {
            timestamp = HeaderLookup.find(headers, TIMESTAMP_HEADER);
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            throw new IllegalStateException("signedContent of a request verify refused", e);
        }
        byte[] prefix = (VERSION + ":" + (timestamp == null ? "" : HeaderLookup.stripOws(timestamp)) + ":")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] signed = java.util.Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return signed;
    }

    private static boolean isEpochSeconds(String value) {
        if (value.isEmpty() || value.length() > MAX_TIMESTAMP_DIGITS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SlackSignatureVerifier[" + secret + ", tolerance=" + toleranceSeconds + "s]";
    }
}
