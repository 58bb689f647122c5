package org.communitypulse.streams.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.communitypulse.schemas.avro.RoleLineChange;
import org.communitypulse.schemas.avro.RolesHistory;
import org.communitypulse.schemas.avro.TrainingCompletion;
import org.communitypulse.schemas.avro.TrainingRequirementDeclaration;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.common.StateFormat;
import org.junit.jupiter.api.Test;

/** The roles store's value format: the Avro {@link RolesHistory}, and what it does with a value of the JSON format before it. */
class RolesHistorySerdeTest {

    private static final String CHANGELOG = "pulse-streams-" + RolesTopology.ROLES_STORE + "-changelog";

    private final Serde<RolesHistory> serde =
            RolesTopology.historySerde(new AvroSerdes(new InMemorySchemaRegistryClient(), true));

    private static RolesHistory everyFieldSet() {
        return RolesHistory.newBuilder()
                .setChanges(List.of(new RoleLineChange("g1", "ann", "role", "sponsor", "@acme", true, 1_000L),
                        new RoleLineChange("r1", "ann", "level", "corporate-user", null, false, 2_000L)))
                .setCompletions(List.of(new TrainingCompletion("t1", "ann", "privacy", 3_000L, 0.75),
                        new TrainingCompletion("t2", "bob", "privacy", 4_000L, null)))
                .setDeclaredRequirements(List.of(
                        new TrainingRequirementDeclaration("d1", "req-1", "privacy", "sponsor", 30, 5_000L, 19_700L, false),
                        new TrainingRequirementDeclaration("d2", "req-1", "privacy", "sponsor", null, 6_000L, null, true)))
                .setAcknowledgements(Map.of("bob", Map.of("z-policy", 5L, "a-policy", 6L), "ann", Map.of("a-policy", 7L)))
                .setEmittedCoverage(Map.of("sponsor", "[ann]|[]|false|null"))
                .setOpenViolations(Map.of("required-role-vacant\u0000sponsor", 8L, "corporate-user-untrained\u0000ann", 9L))
                .setEmittedTraining("1|0|0|0|[]|[]")
                .setErasedHolders(2L)
                .setOpenAlerts(Map.of("REQUIRED_ROLE_VACANT", 19_700))
                .setAlertStreaks(Map.of("VIOLATION_OPEN_TOO_LONG", 2))
                .build();
    }

    @Test
    void shouldReadBackAnEqualHistoryWhenEveryFieldIsSet() {
        RolesHistory history = everyFieldSet();
        for (Schema.Field field : RolesHistory.getClassSchema().getFields()) {
            // A field added later without a value here would go untested.
            Object value = history.get(field.pos());
            assertThat(value).as(field.name()).isNotNull();
            if (value instanceof Collection<?> c) {
                assertThat(c).as(field.name()).isNotEmpty();
            }
            if (value instanceof Map<?, ?> m) {
                assertThat(m).as(field.name()).isNotEmpty();
            }
        }

        RolesHistory back = serde.deserializer().deserialize(CHANGELOG, serde.serializer().serialize(CHANGELOG, history));

        assertThat(back).isEqualTo(history);
        assertThat(back.getChanges()).extracting(RoleLineChange::getEventId).containsExactly("g1", "r1");
        assertThat(back.getCompletions().get(1).getScore()).isNull();
        assertThat(back.getDeclaredRequirements().get(1).getValidUntil()).isNull();
    }

    @Test
    void shouldReadBackAnEmptyHistory() {
        RolesHistory empty = RolesState.emptyHistory();

        assertThat(serde.deserializer().deserialize(CHANGELOG, serde.serializer().serialize(CHANGELOG, empty)))
                .isEqualTo(empty);
    }

    @Test
    void shouldFailNamingTheStoreAndTheCureWhenAValueIsInTheFormerJsonFormat() {
        byte[] json = ("{\"changes\":[{\"eventId\":\"g1\",\"member\":\"ann\",\"kind\":\"role\",\"id\":\"sponsor\","
                + "\"account\":null,\"granted\":true,\"at\":1000}],\"completions\":[],\"declaredRequirements\":[],"
                + "\"acknowledgements\":{},\"emittedCoverage\":{},\"openViolations\":{},\"emittedTraining\":null,"
                + "\"erasedHolders\":0,\"openAlerts\":{},\"alertStreaks\":{}}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserializer().deserialize(CHANGELOG, json))
                .isInstanceOf(StateFormat.StaleStateException.class)
                .hasMessageContaining(RolesTopology.ROLES_STORE)
                .hasMessageContaining("JSON format of an earlier version")
                .hasMessageContaining("Reset the application and reprocess")
                .hasMessageContaining("docs/operations.md");
    }
}
