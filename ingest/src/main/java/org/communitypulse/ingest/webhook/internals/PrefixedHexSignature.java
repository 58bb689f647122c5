package org.communitypulse.ingest.webhook.internals;

import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Supplier;
import org.communitypulse.ingest.webhook.RejectReason;
import org.communitypulse.ingest.webhook.Verification;

/**
 * Checks a header of the form {@code <prefix><hex HMAC-SHA256>} (GitHub and Discourse use {@code sha256=},
 * Slack uses {@code v0=}) against an expected tag.
 *
 * <p>Messages name the header only; they never echo its value (attacker-controlled) or the expected tag.
 */
public final class PrefixedHexSignature {

    private final String header;
    private final String prefix;

    public PrefixedHexSignature(String header, String prefix) {
        this.header = header;
        this.prefix = prefix;
    }

    /** The header name this check reads. */
    public String header() {
        return header;
    }

    /**
     * Verifies the header; {@code expected} is only computed once the header is known to be well formed.
     */
    public Verification verify(Map<String, String> headers, Supplier<byte[]> expected) {
        String raw;
        try {
            raw = HeaderLookup.find(headers, header);
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            return Verification.reject(RejectReason.DUPLICATE_HEADER, e.getMessage());
        }
        String value = raw == null ? "" : HeaderLookup.stripOws(raw);
        if (value.isEmpty()) {
            return Verification.reject(RejectReason.MISSING_SIGNATURE, "missing " + header + " header");
        }
        return verifyValue(value, expected);
    }

    private Verification verifyValue(String value, Supplier<byte[]> expected) {
        if (!value.startsWith(prefix)) {
            return Verification.reject(RejectReason.MALFORMED_SIGNATURE,
                    header + " must start with '" + prefix + "'");
        }
        byte[] given = SignatureHex.decode(value.substring(prefix.length()), HmacSha256.LENGTH);
        if (given == null) {
            return Verification.reject(RejectReason.MALFORMED_SIGNATURE,
                    header + " must be '" + prefix + "' followed by " + 2 * HmacSha256.LENGTH + " hex digits");
        }
        if (!MessageDigest.isEqual(expected.get(), given)) {
            return Verification.reject(RejectReason.BAD_SIGNATURE, header + " does not match the request");
        }
        return Verification.accept();
    }
}
