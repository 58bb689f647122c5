package org.communitypulse.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.communitypulse.ingest.webhook.internals.HmacSha256;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Replaces platform member ids with a keyed hash before they reach Kafka, so the pipeline can count distinct
 * members without learning who they are.
 *
 * <p>Recipe: {@code "m-" + base64url(first 16 bytes of HMAC-SHA256(key, source.name() + ":" + memberId))},
 * without padding (24 characters). The community is deliberately not part of the input: the same person keeps
 * one pseudonym across communities of one platform. Anyone holding the key can recompute a pseudonym from a
 * known id (needed for erasure requests); without it the mapping cannot be reversed or brute-forced cheaply.
 */
public final class MemberPseudonymiser {

    private static final MemberPseudonymiser NONE = new MemberPseudonymiser(null);
    private static final int TAG_BYTES = 16;

    private final SecretKeySpec key;

    private MemberPseudonymiser(SecretKeySpec key) {
        this.key = key;
    }

    /** Keeps member ids as they are. */
    public static MemberPseudonymiser none() {
        return NONE;
    }

    /** Hashes member ids with {@code secret} (at least 16 bytes of UTF-8, which is the HMAC key). */
    public static MemberPseudonymiser keyed(WebhookSecret secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] bytes = secret.hmacKey().getEncoded();
        try {
            if (bytes.length < TAG_BYTES) {
                throw new IllegalArgumentException("pseudonymisation key must be at least " + TAG_BYTES + " bytes");
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return new MemberPseudonymiser(secret.hmacKey());
    }

    /**
     * The pseudonymiser for a key given either directly or as the path of a file holding it (at most one
     * of the two); neither keeps ids as they are. The key is read like a webhook secret (strict UTF-8,
     * trimmed file, errors that never contain it).
     *
     * @param direct     the key itself, or null
     * @param directName where {@code direct} came from, for error messages (e.g. an environment variable)
     * @param file       path of a file holding the key, or null
     * @param fileName   where {@code file} came from, for error messages
     * @throws WebhookSecretException when both are set or the key is unusable
     */
    public static MemberPseudonymiser fromKey(String direct, String directName, String file, String fileName) {
        if (direct != null && file != null) {
            throw new WebhookSecretException("both " + directName + " and " + fileName + " are set; set only one");
        }
        if (direct == null && file == null) {
            return none();
        }
        // The secret loader under a borrowed variable name: one way to read a key, for secrets and this.
        java.util.Map<String, String> keyEnv = new java.util.HashMap<>();
        if (direct != null) {
            keyEnv.put(WebhookSource.GITHUB.secretVariable(), direct);
        } else {
            keyEnv.put(WebhookSource.GITHUB.secretFileVariable(), file);
        }
        WebhookSecret key;
        try {
            key = WebhookSecrets.fromEnvironment(keyEnv).require(WebhookSource.GITHUB);
        } catch (WebhookSecretException e) {
            throw new WebhookSecretException("pseudonymisation key is unusable (blank or unreadable file)");
        }
        try {
            return keyed(key);
        } catch (IllegalArgumentException e) {
            throw new WebhookSecretException(e.getMessage());
        }
    }

    /** Whether ids are hashed. */
    public boolean enabled() {
        return key != null;
    }

    /** The id to publish for {@code memberId} of {@code source}; {@code null} stays {@code null}. */
    public String apply(SourcePlatform source, String memberId) {
        if (memberId == null || key == null) {
            return memberId;
        }
        byte[] tag = HmacSha256.compute(key, (source.name() + ":" + memberId).getBytes(StandardCharsets.UTF_8));
        return "m-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(tag, TAG_BYTES));
    }

    /**
     * The keyed hash under which an email travels (never the email itself): {@code "e-" + base64url(first 16 bytes
     * of HMAC-SHA256(key, "email:" + email trimmed and lower-cased))}. The same address gives the same hash on
     * every platform, which is what links a person's identities; without the key it cannot be recomputed from a
     * guessed address.
     *
     * @throws IllegalStateException when no key is configured: an unkeyed hash of an email is as good as the email
     */
    public String emailHash(String email) {
        if (key == null) {
            throw new IllegalStateException("emails need the pseudonymisation key (PULSE_PSEUDONYM_KEY): "
                    + "they are never published in clear or with an unkeyed hash");
        }
        String normalised = email.trim().toLowerCase(java.util.Locale.ROOT);
        byte[] tag = HmacSha256.compute(key, ("email:" + normalised).getBytes(StandardCharsets.UTF_8));
        return "e-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(tag, TAG_BYTES));
    }

    @Override
    public String toString() {
        return key == null ? "MemberPseudonymiser[off]" : "MemberPseudonymiser[keyed, redacted]";
    }
}
