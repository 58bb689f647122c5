package org.communitypulse.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shared webhook signing secret. Its value can only leave this object as an HMAC key for the verifiers;
 * {@link #toString()} is redacted so the secret cannot reach a log by accident.
 */
public final class WebhookSecret {

    static final String HMAC_ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private WebhookSecret(byte[] value) {
        this.key = new SecretKeySpec(value, HMAC_ALGORITHM);
    }

    /**
     * Wraps a secret given as text (encoded as UTF-8, as the platforms do).
     *
     * @throws IllegalArgumentException if the value is empty or only whitespace (the message does not echo it)
     */
    public static WebhookSecret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("webhook secret must not be blank");
        }
        return new WebhookSecret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The HMAC-SHA256 key; {@link SecretKeySpec#getEncoded()} returns a copy, so callers cannot alter it. */
    public SecretKeySpec hmacKey() {
        return key;
    }

    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }
}
