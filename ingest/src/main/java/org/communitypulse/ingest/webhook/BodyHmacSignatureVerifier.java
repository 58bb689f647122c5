package org.communitypulse.ingest.webhook;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.webhook.internals.HmacSha256;
import org.communitypulse.ingest.webhook.internals.PrefixedHexSignature;

/**
 * The scheme GitHub and Discourse share: {@code <header>: sha256=<hex HMAC-SHA256(secret, body)>},
 * compared in constant time. They differ only in the header and the source.
 */
abstract class BodyHmacSignatureVerifier implements SignatureVerifier {

    private final WebhookSource source;
    private final WebhookSecret secret;
    private final PrefixedHexSignature signature;

    BodyHmacSignatureVerifier(WebhookSource source, String signatureHeader, WebhookSecret secret) {
        this.source = source;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.signature = new PrefixedHexSignature(signatureHeader, "sha256=");
    }

    @Override
    public final WebhookSource source() {
        return source;
    }

    @Override
    public final Verification verify(Map<String, String> headers, byte[] body, Instant now) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        return signature.verify(headers, () -> HmacSha256.compute(secret.hmacKey(), body));
    }

    @Override
    public final String toString() {
        // The secret's own toString is redacted.
        return getClass().getSimpleName() + "[" + secret + "]";
    }
}
