package org.communitypulse.streams.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.streams.maturity.internals.MaturityProcessor;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    /** What the roles and maturity processors wrote before the stores were typed. */
    private static final ObjectMapper BEFORE = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A document of the shape the JSON states had: public fields, insertion-ordered maps, an unstored clock. */
    public static final class Doc {
        public record Change(String eventId, String member, String kind, String id, String account, boolean granted,
                             long at) {
        }

        @JsonIgnore
        public long firstEventAt = Long.MAX_VALUE;
        public List<Change> changes = new ArrayList<>();
        public Map<String, Map<String, Long>> acknowledgements = new LinkedHashMap<>();
        public Map<String, Long> openViolations = new LinkedHashMap<>();
    }

    private static Doc state() {
        Doc state = new Doc();
        state.changes.add(new Doc.Change("g1", "ann", "role", "sponsor", null, true, 1_000L));
        state.acknowledgements.computeIfAbsent("bob", m -> new LinkedHashMap<>()).put("z-policy", 5L);
        state.acknowledgements.get("bob").put("a-policy", 6L);
        state.openViolations.put("rule\u0000ann", 7L);
        state.firstEventAt = 1L;
        return state;
    }

    @Test
    void shouldWriteTheBytesWrittenBeforeWhenAStateIsSerialised() throws Exception {
        Doc state = state();
        JsonSerde<Doc> serde = JsonSerde.of(Doc.class);

        byte[] bytes = serde.serializer().serialize("t", state);

        assertThat(bytes).isEqualTo(BEFORE.writeValueAsBytes(state));
        Doc back = serde.deserializer().deserialize("t", BEFORE.writeValueAsBytes(state));
        assertThat(serde.serializer().serialize("t", back)).isEqualTo(bytes);
    }

    @Test
    void shouldKeepInsertionOrderWhenAStateIsReadBack() {
        JsonSerde<Doc> serde = JsonSerde.of(Doc.class);
        Doc state = state();

        Doc back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));

        // A cached object and one read back after an eviction must iterate alike.
        assertThat(back.acknowledgements.get("bob").keySet()).containsExactly("z-policy", "a-policy");
        assertThat(back.firstEventAt).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldStoreBytesAsTheyAreAndObjectsAsJsonWhenMixed() throws Exception {
        JsonSerde<Object> serde = JsonSerde.mixed();
        MaturityProcessor.Span span = new MaturityProcessor.Span();
        span.firstAt = 3;
        span.latestAt = 4;
        byte[] mark = new byte[0];

        assertThat(serde.serializer().serialize("t", mark)).isSameAs(mark);
        byte[] json = serde.serializer().serialize("t", span);
        assertThat(json).isEqualTo(BEFORE.writeValueAsBytes(span));
        Object raw = serde.deserializer().deserialize("t", json);
        assertThat(raw).isInstanceOf(byte[].class);
        MaturityProcessor.Span read = JsonSerde.read(raw, MaturityProcessor.Span.class, MaturityProcessor.Span::new);
        assertThat(read.firstAt).isEqualTo(3);
        assertThat(read.latestAt).isEqualTo(4);
    }

    @Test
    void shouldReturnTheCachedObjectOrTheEmptyOneWhenReadingAValueThatIsNotBytes() {
        MaturityProcessor.Week week = new MaturityProcessor.Week();

        assertThat(JsonSerde.read(week, MaturityProcessor.Week.class, MaturityProcessor.Week::new)).isSameAs(week);
        assertThat(JsonSerde.read(null, MaturityProcessor.Week.class, MaturityProcessor.Week::new).events).isZero();
    }

    @Test
    void shouldFailNamingTheTypeWhenTheStoredBytesAreNotJson() {
        JsonSerde<Doc> serde = JsonSerde.of(Doc.class);
        byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", garbage))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("Doc");
    }
}
