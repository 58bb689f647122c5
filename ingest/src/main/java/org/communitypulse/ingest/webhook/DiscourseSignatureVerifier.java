package org.communitypulse.ingest.webhook;

/**
 * Discourse webhooks: {@code X-Discourse-Event-Signature: sha256=<hex HMAC-SHA256(secret, body)>}.
 *
 * <p>Discourse signs no timestamp, so replays are only stopped by {@link DeliveryReplayGuard} on
 * {@code X-Discourse-Event-Id}.
 */
public final class DiscourseSignatureVerifier extends BodyHmacSignatureVerifier {

    /** Header carrying the signature. */
    public static final String SIGNATURE_HEADER = "X-Discourse-Event-Signature";

    public DiscourseSignatureVerifier(WebhookSecret secret) {
        super(WebhookSource.DISCOURSE, SIGNATURE_HEADER, secret);
    }
}
