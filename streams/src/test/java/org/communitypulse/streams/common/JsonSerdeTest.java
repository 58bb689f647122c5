package org.communitypulse.streams.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.communitypulse.streams.roles.RolesState;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    /** What the roles processor wrote before the store was typed. */
    private static final ObjectMapper BEFORE = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static RolesState state() {
        RolesState state = new RolesState();
        state.changes.add(new RolesState.Change("g1", "ann", "role", "sponsor", null, true, 1_000L));
        state.acknowledgements.computeIfAbsent("bob", m -> new LinkedHashMap<>()).put("z-policy", 5L);
        state.acknowledgements.get("bob").put("a-policy", 6L);
        state.openViolations.put("rule\u0000ann", 7L);
        state.firstEventAt = 1L;
        return state;
    }

    @Test
    void shouldWriteTheBytesWrittenBeforeWhenAStateIsSerialised() throws Exception {
        RolesState state = state();
        JsonSerde<RolesState> serde = JsonSerde.of(RolesState.class);

        byte[] bytes = serde.serializer().serialize("t", state);

        assertThat(bytes).isEqualTo(BEFORE.writeValueAsBytes(state));
        RolesState back = serde.deserializer().deserialize("t", BEFORE.writeValueAsBytes(state));
        assertThat(serde.serializer().serialize("t", back)).isEqualTo(bytes);
    }

    @Test
    void shouldKeepInsertionOrderWhenAStateIsReadBack() {
        JsonSerde<RolesState> serde = JsonSerde.of(RolesState.class);
        RolesState state = state();

        RolesState back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));

        // A cached object and one read back after an eviction must iterate alike.
        assertThat(back.acknowledgements.get("bob").keySet()).containsExactly("z-policy", "a-policy");
        assertThat(back.firstEventAt).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldFailNamingTheTypeWhenTheStoredBytesAreNotJson() {
        JsonSerde<RolesState> serde = JsonSerde.of(RolesState.class);
        byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", garbage))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("RolesState");
    }
}
