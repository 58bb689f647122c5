package org.communitypulse.streams.intake.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class DedupKeysTest {

    @Test
    void shouldKeepACanonicalUuidAsItsSixteenBytesBehindATag() {
        UUID uuid = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

        Bytes key = DedupKeys.of(uuid.toString());

        assertThat(key.get()).hasSize(17);
        assertThat(key.get()[0]).isEqualTo((byte) 1);
        assertThat(java.nio.ByteBuffer.wrap(key.get(), 1, 16).getLong()).isEqualTo(uuid.getMostSignificantBits());
    }

    @Test
    void shouldKeepAnyOtherIdAsItsText() {
        Bytes key = DedupKeys.of("C024BE91L/1355517523.000005");

        assertThat(key.get()[0]).isEqualTo((byte) 2);
        assertThat(new String(key.get(), 1, key.get().length - 1, StandardCharsets.UTF_8))
                .isEqualTo("C024BE91L/1355517523.000005");
    }

    @Test
    void shouldNeverGiveTwoDifferentIdsOneKey() {
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        // Capitals, a short group that UUID.fromString pads, 15 text bytes (16 with the tag), the clock's text.
        List<String> ids = List.of(uuid, uuid.toUpperCase(java.util.Locale.ROOT), "f8fad5b-d9cb-469f-a165-70867728950e",
                "0f8fad5b-d9cb-469f-a165-70867728950", "123456789012345", "\u0000max-occurred-at", "é", "e");
        Set<Bytes> keys = new HashSet<>();
        ids.forEach(id -> keys.add(DedupKeys.of(id)));
        keys.add(DedupKeys.CLOCK);

        assertThat(keys).hasSize(ids.size() + 1);
        assertThat(DedupKeys.of(uuid)).isEqualTo(DedupKeys.of(new String(uuid)));
    }
}
