package org.communitypulse.streams.intake.internals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the deduplication store. An event id in the canonical form of a UUID (what the importers' {@code EventIds}
 * give) is kept as its 16 bytes, any other id as its UTF-8 text; a leading tag keeps the two forms (and the
 * lateness clock's entry) apart, so two different ids never share a key.
 *
 * <p>Not bucketed by day: an id may come back with another {@code occurredAt} (a Slack profile update repeats
 * the role grant's id at the update's time) and must still be a duplicate.
 */
final class DedupKeys {

    /** The lateness clock's entry: its own tag (NUL), the bytes the text key had. */
    static final Bytes CLOCK = Bytes.wrap("\u0000max-occurred-at".getBytes(StandardCharsets.UTF_8));

    private static final byte UUID_TAG = 1;
    private static final byte TEXT_TAG = 2;
    private static final int UUID_TEXT_LENGTH = 36;

    private DedupKeys() {
    }

    static Bytes of(String eventId) {
        UUID uuid = canonicalUuid(eventId);
        if (uuid != null) {
            return Bytes.wrap(ByteBuffer.allocate(1 + 2 * Long.BYTES).put(UUID_TAG)
                    .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        }
        byte[] text = eventId.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[text.length + 1];
        key[0] = TEXT_TAG;
        System.arraycopy(text, 0, key, 1, text.length);
        return Bytes.wrap(key);
    }

    /** The UUID whose {@code toString()} is exactly {@code id} (lower case, hyphenated), else null. */
    private static UUID canonicalUuid(String id) {
        if (id.length() != UUID_TEXT_LENGTH || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-'
                || id.charAt(23) != '-') {
            return null;
        }
        for (int i = 0; i < UUID_TEXT_LENGTH; i++) {
            char c = id.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!hex && c != '-') {
                return null;
            }
        }
        UUID uuid = UUID.fromString(id);
        // Hyphens elsewhere than the canonical places would parse to a UUID that prints differently.
        return uuid.toString().equals(id) ? uuid : null;
    }
}
