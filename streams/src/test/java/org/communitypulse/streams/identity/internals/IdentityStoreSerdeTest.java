package org.communitypulse.streams.identity.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.communitypulse.schemas.avro.IdentityEntryState;
import org.communitypulse.schemas.avro.IdentityEvidenceState;
import org.communitypulse.schemas.avro.IdentityGroupState;
import org.communitypulse.schemas.avro.IdentityLinkState;
import org.communitypulse.schemas.avro.IdentitySharingState;
import org.communitypulse.schemas.avro.IdentityStateValue;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.common.MixedAvroStateSerde;
import org.communitypulse.streams.common.StateFormat;
import org.junit.jupiter.api.Test;

/** The identity store's values written as the store writes them and read back. */
class IdentityStoreSerdeTest {

    private static final String CHANGELOG = "app-identity-store-changelog";
    private final MixedAvroStateSerde<IdentityStateValue> serde = IdentityStore.serde("identity-store",
            new AvroSerdes(new InMemorySchemaRegistryClient(), true).forValue(IdentityStateValue.class));

    private Object roundTrip(Object value) {
        return serde.deserializer().deserialize(CHANGELOG, serde.serializer().serialize(CHANGELOG, value));
    }

    @Test
    void shouldReadBackEqualWhenAnIdentityEntryIsWritten() {
        IdentityEntryState stored = new IdentityEntryState("GITHUB", "ann", 1_000L, "Ann Example", 2_000L,
                new ArrayList<>(List.of(new IdentityEvidenceState("eabc", 500L), new IdentityEvidenceState("nann", 1_000L))),
                "ann-member", new ArrayList<>(List.of("bob", "carl")), new ArrayList<>(List.of("dora")), true, 3_000L);

        Object back = roundTrip(IdentityStore.IdentityEntry.of(stored));

        assertThat(back).isInstanceOf(IdentityStore.IdentityEntry.class);
        assertThat(((IdentityStore.IdentityEntry) back).toAvro()).isEqualTo(stored);
    }

    @Test
    void shouldReadBackEqualWhenAGroupIsWritten() {
        IdentityGroupState stored = new IdentityGroupState(new ArrayList<>(List.of("a", "b", "c")),
                new ArrayList<>(List.of(new IdentityLinkState("a", "b", "EMAIL", "abc", 10L),
                        new IdentityLinkState("b", "c", "MANUAL", null, 20L))));

        Object back = roundTrip(IdentityStore.Group.of(stored));

        assertThat(back).isInstanceOf(IdentityStore.Group.class);
        assertThat(((IdentityStore.Group) back).toAvro()).isEqualTo(stored);
    }

    @Test
    void shouldReadBackEqualWhenAnIndexEntryIsWritten() {
        IdentitySharingState stored = new IdentitySharingState(new ArrayList<>(List.of("a", "b")));

        assertThat(roundTrip(stored)).isEqualTo(stored);
    }

    @Test
    void shouldKeepPresenceMarksAsEmptyBytesWhenWritten() {
        assertThat((byte[]) roundTrip(new byte[0])).isEmpty();
    }

    @Test
    void shouldIterateInKeyOrderWhenStoredOutOfOrder() {
        IdentityEntryState unordered = IdentityEntryState.newBuilder()
                .setEvidence(new ArrayList<>(List.of(new IdentityEvidenceState("nzed", 1L),
                        new IdentityEvidenceState("eabc", 2L))))
                .setBlocked(new ArrayList<>(List.of("z", "a"))).setSuggested(new ArrayList<>(List.of("y", "b")))
                .build();

        IdentityStore.IdentityEntry entry = IdentityStore.IdentityEntry.of(unordered);

        assertThat(entry.evidence().keySet()).containsExactly("eabc", "nzed");
        assertThat(entry.blocked()).containsExactly("a", "z");
        assertThat(entry.suggested()).containsExactly("b", "y");
    }

    @Test
    void shouldAskForAResetWhenTheStoreHoldsTheOldJson() {
        for (String json : List.of("{\"member\":\"ann\"}", "[\"a\",\"b\"]")) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> serde.deserializer().deserialize(CHANGELOG, bytes))
                    .isInstanceOf(StateFormat.StaleStateException.class)
                    .hasMessageContaining("identity-store").hasMessageContaining("JSON")
                    .hasMessageContaining("Reset the application and reprocess");
        }
    }
}
