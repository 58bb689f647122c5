package org.communitypulse.connect.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOffsetStoreTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveBackSavedOffsetsAfterReopeningAndNothingThatWasOnlyPut() {
        Path file = dir.resolve("state/discourse-forum.offsets.json");
        FileOffsetStore store = new FileOffsetStore(file);
        Map<String, String> forum = Map.of("forum", "https://f.example", "community", "forum");
        Map<String, String> other = Map.of("forum", "https://g.example", "community", "g");
        assertThat(store.offset(forum)).isNull();
        store.put(forum, Map.of("post_id", 41L, "day_counts", "2026-12-07=3"));
        store.put(forum, Map.of("post_id", 42L, "day_counts", "2026-12-07=4"));
        store.save();
        store.put(other, Map.of("post_id", 7L));

        FileOffsetStore reopened = new FileOffsetStore(file);
        assertThat(reopened.offset(forum)).containsEntry("day_counts", "2026-12-07=4")
                .extractingByKey("post_id").satisfies(id -> assertThat(((Number) id).longValue()).isEqualTo(42));
        assertThat(reopened.offset(other)).as("put but never saved, as an unacknowledged record").isNull();
        assertThat(reopened.offsets(List.of(forum, other))).containsOnlyKeys(forum);
        assertThat(Files.exists(file.resolveSibling(file.getFileName() + ".tmp"))).isFalse();
    }

    @Test
    void shouldNameTheFileWhenItIsNotOffsets() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> new FileOffsetStore(file)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("Cannot read the offsets file " + file.toAbsolutePath());
    }
}
