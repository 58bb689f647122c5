package org.communitypulse.ingest.webhook;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.webhook.internals.HmacSha256;
import org.communitypulse.ingest.webhook.internals.PrefixedHexSignature;

/**
 * GitHub webhooks: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>}.
 *
 * <p>GitHub signs no timestamp, so replays are only stopped by {@link DeliveryReplayGuard} on
 * {@code X-GitHub-Delivery}.
 */
public final class GitHubSignatureVerifier implements SignatureVerifier {

    /** Header carrying the signature. */
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private final WebhookSecret secret;
    private final PrefixedHexSignature signature = new PrefixedHexSignature(SIGNATURE_HEADER, "sha256=");

    public GitHubSignatureVerifier(WebhookSecret secret) {
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    @Override
    public WebhookSource source() {
        return WebhookSource.GITHUB;
    }

    @Override
    public Verification verify(Map<String, String> headers, byte[] body, Instant now) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        return signature.verify(headers, () -> HmacSha256.compute(secret.hmacKey(), body));
    }

    @Override
    public String toString() {
        return "GitHubSignatureVerifier[" + secret + "]";
    }
}
