package org.communitypulse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private static final Schema V1 = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("name").endRecord();
    private static final Schema V2_OPTIONAL = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("name").name("size").type().intType().intDefault(0).endRecord();
    private static final Schema V2_REQUIRED = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("name").requiredInt("size").endRecord();

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldHandOutSequentialIdsAndReuseThemWhenTheSameSchemaComesAgain() {
        assertThat(registry.register("a-value", V1)).isEqualTo(1);
        assertThat(registry.register("a-value", V1)).isEqualTo(1);
        assertThat(registry.register("b-value", V1)).isEqualTo(1);
        assertThat(registry.register("a-value", V2_OPTIONAL)).isEqualTo(2);
        assertThat(registry.register("c-value", ActivityEvent.getClassSchema())).isEqualTo(3);

        assertThat(registry.versions("a-value")).containsExactly(1, 2);
        assertThat(registry.getById(2)).isEqualTo(V2_OPTIONAL);
        assertThat(registry.getId("b-value", V1)).isEqualTo(1);
    }

    @Test
    void shouldRefuseABackwardIncompatibleSchemaWith409WhenLevelIsTheDefault() {
        registry.register("s-value", V1);

        assertThat(registry.isCompatible("s-value", V2_REQUIRED)).isFalse();
        assertThat(registry.isCompatible("s-value", V2_OPTIONAL)).isTrue();
        assertThatThrownBy(() -> registry.register("s-value", V2_REQUIRED))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("rejected schema for subject s-value: 409")
                            .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
                });
        assertThat(registry.versions("s-value")).containsExactly(1);
    }

    @Test
    void shouldAcceptAnySchemaWhenSubjectLevelIsNone() {
        registry.register("free-value", V1);
        registry.setCompatibility("free-value", "none");

        assertThat(registry.register("free-value", V2_REQUIRED)).isEqualTo(2);
        assertThat(registry.compatibility("free-value")).isEqualTo("NONE");
        assertThat(registry.compatibility("other")).isEqualTo("BACKWARD");
    }

    @Test
    void shouldCheckEveryEarlierVersionWhenLevelIsTransitive() {
        Schema v2 = SchemaBuilder.record("Thing").namespace("t").fields()
                .name("name").type().stringType().stringDefault("").requiredInt("size").endRecord();
        Schema v3 = SchemaBuilder.record("Thing").namespace("t").fields().requiredInt("size").endRecord();
        registry.setCompatibility(null, "FORWARD_TRANSITIVE");
        registry.register("tr-value", V1);
        registry.register("tr-value", v2);
        // v2 readers can read v3 (name has a default), so plain FORWARD would accept it ...
        registry.setCompatibility("plain-value", "FORWARD");
        registry.register("plain-value", V1);
        registry.register("plain-value", v2);
        assertThat(registry.register("plain-value", v3)).isEqualTo(3);

        // ... but v1 readers need "name": FORWARD_TRANSITIVE refuses it.
        assertThatThrownBy(() -> registry.register("tr-value", v3))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("FORWARD_TRANSITIVE check against id 1");
    }

    @Test
    void shouldAnswer404WithConfluentCodesWhenSubjectOrSchemaIsUnknown() {
        registry.register("known-value", V1);

        assertThatThrownBy(() -> registry.getById(42)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        assertThatThrownBy(() -> registry.getId("nobody-value", V1)).isInstanceOfSatisfying(
                SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> registry.getId("known-value", V2_OPTIONAL)).isInstanceOfSatisfying(
                SchemaRegistryException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                });
        assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(422));
    }
}
