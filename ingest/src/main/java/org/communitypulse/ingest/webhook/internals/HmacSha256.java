package org.communitypulse.ingest.webhook.internals;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over a sequence of byte arrays, as the webhook signing schemes define it. */
public final class HmacSha256 {

    /** Length of an HMAC-SHA256 tag in bytes. */
    public static final int LENGTH = 32;

    private HmacSha256() {
    }

    /** HMAC of the concatenation of {@code parts} under {@code key}. */
    public static byte[] compute(SecretKeySpec key, byte[]... parts) {
        try {
            // Mac instances are not thread-safe; one per call is cheap next to an HTTP request.
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java SE runtime, so this is a broken JVM, not bad input.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
