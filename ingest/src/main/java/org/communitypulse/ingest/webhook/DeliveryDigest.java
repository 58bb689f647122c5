package org.communitypulse.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * The replay key of a webhook request: {@code <PLATFORM>:<base64url SHA-256 of the exact bytes the platform
 * signed>} ({@link SignatureVerifier#signedContent}). Headers the platforms do not sign (GitHub's
 * {@code X-GitHub-Delivery}, Discourse's {@code X-Discourse-Event-Id}, the event-name headers) and the URL's
 * community are left out on purpose: changing them must not turn a captured delivery into a new one. A genuine
 * redelivery of the same body has the same key; two different signed contents never share one (SHA-256).
 */
public final class DeliveryDigest {

    private DeliveryDigest() {
    }

    /** The key of a request {@code verifier} has accepted. */
    public static String key(SignatureVerifier verifier, Map<String, String> headers, byte[] body) {
        byte[] signed = verifier.signedContent(headers, body);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 not available", e);
        }
        sha256.update(verifier.source().name().getBytes(StandardCharsets.US_ASCII));
        sha256.update((byte) 0);
        byte[] digest = sha256.digest(signed);
        return verifier.source().name() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
