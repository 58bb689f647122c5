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
        return fromKey(direct, directName, file, fileName, null);
    }

    /**
     * As above; {@code requiredBy}, when not null, names the setting that asked for pseudonymisation (e.g.
     * {@code PULSE_PSEUDONYMISE=true}): then a missing key is an error, never a silent fall-back to ids in clear.
     *
     * @throws WebhookSecretException when both are set, the key is unusable, or it is required and missing
     */
    public static MemberPseudonymiser fromKey(String direct, String directName, String file, String fileName,
                                              String requiredBy) {
        if (direct != null && file != null) {
            throw new WebhookSecretException("both " + directName + " and " + fileName + " are set; set only one");
        }
        if (direct == null && file == null) {
            if (requiredBy != null) {
                throw new WebhookSecretException("pseudonymisation is required (" + requiredBy + ") but no key is set: "
                        + "set " + directName + " or " + fileName + " (at least 16 bytes), or stop requiring it");
            }
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

    /**
     * A name (username, display name) as it may travel: without a key as given; with one, a keyed hash of its
     * normalised form ({@code "n-" + base64url(first 16 bytes of HMAC-SHA256(key, "name:" + normalised))}), where
     * normalised is NFKC, trimmed, runs of spaces made one, lower-cased: exactly what identity resolution compares,
     * so two identities with the same name still get their suggestion, and nobody reads the name. {@code null}
     * stays {@code null}.
     */
    public String name(String name) {
        if (name == null || key == null) {
            return name;
        }
        String normalised = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKC).trim()
                .replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
        return "n-" + tag("name:" + normalised);
    }

    /**
     * An explicit mapping's person id ({@code mappingId}) as it may travel: as given without a key, else
     * {@code "p-" + base64url(first 16 bytes of HMAC-SHA256(key, "person:" + id))}. Equal ids stay equal, so the
     * mapping still links; a person id that is a name or an employee number is not published.
     */
    public String person(String id) {
        if (id == null || key == null) {
            return id;
        }
        return "p-" + tag("person:" + id.trim());
    }

    /**
     * The event with every member id pseudonymised for its {@code source} ({@code actorId}, an accepted answer's
     * author) and its names and mapping id hashed (see {@link #name}, {@link #person}): for importers whose input
     * carries raw ids (Stack Exchange dumps, CloudEvents files, registers). Unchanged without a key.
     */
    public org.communitypulse.schemas.avro.ActivityEvent pseudonymise(org.communitypulse.schemas.avro.ActivityEvent event) {
        if (key == null) {
            return event;
        }
        SourcePlatform source = event.getSource();
        java.util.Map<String, String> attributes = new java.util.HashMap<>(event.getAttributes());
        attributes.computeIfPresent(ANSWER_AUTHOR, (k, v) -> apply(source, v));
        attributes.computeIfPresent(org.communitypulse.schemas.IdentityAttributes.USERNAME, (k, v) -> name(v));
        attributes.computeIfPresent(org.communitypulse.schemas.IdentityAttributes.DISPLAY_NAME, (k, v) -> name(v));
        attributes.computeIfPresent(org.communitypulse.schemas.IdentityAttributes.MAPPING_ID, (k, v) -> person(v));
        return org.communitypulse.schemas.avro.ActivityEvent.newBuilder(event)
                .setActorId(apply(source, event.getActorId())).setAttributes(attributes).build();
    }

    /** The attribute naming an accepted answer's author (a member id, so pseudonymised like the actor). */
    public static final String ANSWER_AUTHOR = "answerAuthorId";

    private String tag(String input) {
        byte[] tag = HmacSha256.compute(key, input.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(tag, TAG_BYTES));
    }

    @Override
    public String toString() {
        return key == null ? "MemberPseudonymiser[off]" : "MemberPseudonymiser[keyed, redacted]";
    }
}
