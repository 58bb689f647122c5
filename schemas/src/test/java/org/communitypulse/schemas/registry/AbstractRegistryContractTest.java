package org.communitypulse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.serde.AvroSerdeConfig;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.schemas.serde.SpecificAvroDeserializer;
import org.communitypulse.schemas.serde.SpecificAvroSerializer;
import org.junit.jupiter.api.Test;

/**
 * The contract between our REST client and serdes and a live Confluent-compatible schema registry:
 * what the unit tests assume about the protocol. Each subclass starts one registry implementation
 * and names its URL, so Apicurio's compatibility layer and Confluent's own server answer the same
 * questions. Abstract, so neither surefire nor failsafe runs it on its own.
 */
abstract class AbstractRegistryContractTest {

    /** Base URL of the Confluent REST API of the registry under test, without a trailing slash. */
    protected abstract String registryUrl();

    @Test
    void shouldGiveTheSameIdWhenTheSameSchemaIsRegisteredTwice() {
        String subject = unique("same-id") + "-value";
        RestSchemaRegistryClient first = newClient();
        RestSchemaRegistryClient second = newClient();

        int id = first.register(subject, ActivityEvent.getClassSchema());

        // A second client has no cache: the server itself answers with the same id.
        assertThat(second.register(subject, ActivityEvent.getClassSchema())).isEqualTo(id);
        assertThat(newClient().getId(subject, ActivityEvent.getClassSchema())).isEqualTo(id);
        assertThat(newClient().getById(id)).isEqualTo(ActivityEvent.getClassSchema());
    }

    @Test
    void shouldRoundTripThroughTheRegistryWhenProducerAndConsumerShareNothingButIt() {
        String topic = unique("roundtrip");
        ActivityEvent event = ActivityEvent.newBuilder()
                .setEventId("it-1").setCommunityId("bikes").setSource(SourcePlatform.STACK_EXCHANGE)
                .setType(EventType.THREAD_CREATED).setOccurredAt(java.time.Instant.ofEpochMilli(1_714_564_800_000L))
                .setAttributes(Map.of("kind", "question")).build();
        Map<String, Object> configs = Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl(),
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, ActivityEvent.class.getName());

        byte[] bytes;
        try (Serializer<ActivityEvent> producerSide = new SpecificAvroSerializer<>()) {
            producerSide.configure(configs, false);
            bytes = producerSide.serialize(topic, event);
        }
        ActivityEvent read;
        try (Deserializer<ActivityEvent> consumerSide = new SpecificAvroDeserializer<>()) {
            consumerSide.configure(configs, false);
            read = consumerSide.deserialize(topic, bytes);
        }

        assertThat(read).isEqualTo(event);
        int id = newClient().getId(topic + "-value", ActivityEvent.getClassSchema());
        assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0, id >>> 24, id >>> 16, id >>> 8, id & 0xff);
    }

    @Test
    void shouldRefuseAnIncompatibleChangeWith409WhenSubjectIsBackward() {
        String subject = unique("incompatible") + "-value";
        RestSchemaRegistryClient client = newClient();
        client.setCompatibility(subject, "BACKWARD");
        client.register(subject, ActivityEvent.getClassSchema());
        Schema requiredField = withField("{\"name\":\"score\",\"type\":\"int\"}");
        Schema optionalField = withField("{\"name\":\"score\",\"type\":[\"null\",\"int\"],\"default\":null}");

        assertThat(client.isCompatible(subject, requiredField)).isFalse();
        assertThat(client.isCompatible(subject, optionalField)).isTrue();
        assertThatThrownBy(() -> client.register(subject, requiredField))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).startsWith("Schema registry at " + registryUrl()
                            + " rejected schema for subject " + subject + ": 409");
                });
        assertThat(client.register(subject, optionalField)).isPositive();
    }

    @Test
    void shouldAnswer404WithConfluentCodesWhenIdOrSubjectIsUnknown() {
        RestSchemaRegistryClient client = newClient();

        assertThatThrownBy(() -> client.getById(987_654)).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                });
        assertThatThrownBy(() -> client.getId(unique("nobody") + "-value", ActivityEvent.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        Deserializer<ActivityEvent> deserializer = new AvroSerdes(client, false)
                .forValue(ActivityEvent.class).deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("unknown-id", new byte[] {0, 0, 0x0f, 0x12, 0x06, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 987654 in value on topic unknown-id");
    }

    private RestSchemaRegistryClient newClient() {
        return new RestSchemaRegistryClient(registryUrl());
    }

    private static String unique(String name) {
        return "it." + name + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Schema withField(String fieldJson) {
        String current = ActivityEvent.getClassSchema().toString();
        // Append the field to the record's field list: the schema text ends with "]}".
        String edited = current.substring(0, current.length() - 2) + "," + fieldJson + "]}";
        return new Schema.Parser().parse(edited);
    }
}
