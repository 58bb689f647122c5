package org.communitypulse.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Stable event ids: the same source item always yields the same id, whoever publishes it (a dump
 * importer today, a webhook receiver later), so consumers can deduplicate re-imports and redeliveries. Here in
 * {@code schemas} so that every module publishing events (the importers, the HTTP API's declarations) shares it.
 *
 * <p>Recipe (RFC 4122 / RFC 9562 name-based UUID, version 5):
 * <ol>
 *   <li>name = {@code source.name() + ":" + communityId + ":" + itemKind + ":" + itemId}, encoded as
 *       UTF-8, e.g. {@code STACK_EXCHANGE:bicycles.meta:post:1};</li>
 *   <li>namespace = {@value #NAMESPACE_TEXT}, which is itself
 *       {@code uuid5(NAMESPACE_URL, "https://github.com/community-pulse/event-ids")};</li>
 *   <li>id = SHA-1 over the 16 namespace bytes (big-endian) followed by the name bytes; the first 16
 *       bytes of the digest, with the version nibble set to 5 and the variant bits to {@code 10};</li>
 *   <li>rendered as the usual lower-case 36-character UUID string.</li>
 * </ol>
 * Python's {@code uuid.uuid5(uuid.UUID(NAMESPACE_TEXT), name)} gives the same value.
 *
 * <p>Because fields are joined with {@code ':'}, {@code communityId} and {@code itemKind} must not
 * contain one (the item id is last, so it may); otherwise two different items could share a name.
 */
public final class EventIds {

    /** The project's fixed namespace for event ids. Never change it: every stored id depends on it. */
    public static final String NAMESPACE_TEXT = "cf485b32-f2ae-5a87-9ba2-26f90ec9fd82";

    private static final UUID NAMESPACE = UUID.fromString(NAMESPACE_TEXT);

    private EventIds() {
    }

    /**
     * The stable id of one source item.
     *
     * @param source      platform the item comes from
     * @param communityId community id as given by the user (no {@code ':'})
     * @param itemKind    kind of item within the source, e.g. {@code post}, {@code comment} (no {@code ':'})
     * @param itemId      the item's id at the source
     * @return a version-5 UUID string
     */
    public static String of(SourcePlatform source, String communityId, String itemKind, String itemId) {
        Objects.requireNonNull(source, "source");
        requireField(communityId, "communityId");
        requireField(itemKind, "itemKind");
        Objects.requireNonNull(itemId, "itemId");
        if (itemId.isEmpty()) {
            throw new IllegalArgumentException("itemId must not be empty");
        }
        String name = source.name() + ':' + communityId + ':' + itemKind + ':' + itemId;
        return nameBasedSha1(NAMESPACE, name).toString();
    }

    private static void requireField(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty() || value.indexOf(':') >= 0) {
            throw new IllegalArgumentException(field + " must be non-empty and contain no ':' but was '" + value + "'");
        }
    }

    /** A version-5 (SHA-1 name-based) UUID, RFC 9562. */
    public static UUID nameBasedSha1(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-1.
            throw new IllegalStateException("SHA-1 not available", e);
        }
        ByteBuffer ns = ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits());
        sha1.update(ns.array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }
}
