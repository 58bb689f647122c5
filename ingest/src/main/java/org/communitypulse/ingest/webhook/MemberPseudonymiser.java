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

    @Override
    public String toString() {
        return key == null ? "MemberPseudonymiser[off]" : "MemberPseudonymiser[keyed, redacted]";
    }
}
