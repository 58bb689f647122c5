package org.communitypulse.ingest.webhook;

/**
 * GitHub webhooks: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>}.
 *
 * <p>GitHub signs no timestamp, so replays are only stopped by {@link DeliveryReplayGuard} on
 * {@code X-GitHub-Delivery}.
 */
public final class GitHubSignatureVerifier extends BodyHmacSignatureVerifier {

    /** Header carrying the signature. */
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    public GitHubSignatureVerifier(WebhookSecret secret) {
        super(WebhookSource.GITHUB, SIGNATURE_HEADER, secret);
    }
}
