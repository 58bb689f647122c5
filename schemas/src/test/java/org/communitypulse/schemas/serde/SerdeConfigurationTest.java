package org.communitypulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Serdes created by class name, as Kafka clients and Kafka Streams do, and set up from configs. */
class SerdeConfigurationTest {

    private static final String SCOPE = "serde-config-test";

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistryClient.dropScope(SCOPE);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRoundTripWhenCreatedByClassNameWithConfluentKeys() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE);
        configs.put(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, ActivityEvent.class.getName());
        Serializer<ActivityEvent> serializer = Utils.newInstance(SpecificAvroSerializer.class);
        Deserializer<ActivityEvent> deserializer = Utils.newInstance(SpecificAvroDeserializer.class);
        serializer.configure(configs, false);
        deserializer.configure(configs, false);

        byte[] bytes = serializer.serialize("by-name", Fixtures.fullEvent());

        assertThat(deserializer.deserialize("by-name", bytes)).isEqualTo(Fixtures.fullEvent());
        assertThat(InMemorySchemaRegistryClient.forScope(SCOPE).versions("by-name-value")).containsExactly(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldUseKeySubjectAndKeyTypeWhenConfiguredAsKeySerde() {
        Map<String, Object> configs = Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG, CommunityDayKey.class);
        Serde<CommunityDayKey> serde = Utils.newInstance(SpecificAvroSerde.class);
        serde.configure(configs, true);
        CommunityDayKey key = new CommunityDayKey("bikes", java.time.LocalDate.of(2024, 5, 1));

        byte[] bytes = serde.serializer().serialize("keyed", key);

        assertThat(serde.deserializer().deserialize("keyed", bytes)).isEqualTo(key);
        assertThat(InMemorySchemaRegistryClient.forScope(SCOPE).versions("keyed-key")).containsExactly(1);
        assertThat(InMemorySchemaRegistryClient.forScope(SCOPE).versions("keyed-value")).isEmpty();
    }

    @Test
    void shouldReturnGeneratedClassWhenGenericDeserializerHasSpecificAvroReader() {
        Map<String, Object> configs = Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        byte[] bytes = new AvroSerdes(InMemorySchemaRegistryClient.forScope(SCOPE), true)
                .forValue(ActivityEvent.class).serializer().serialize("specific-reader", Fixtures.fullEvent());
        GenericAvroDeserializer deserializer = new GenericAvroDeserializer();
        deserializer.configure(configs, false);

        GenericRecord read = deserializer.deserialize("specific-reader", bytes);

        assertThat(read).isInstanceOf(ActivityEvent.class).isEqualTo(Fixtures.fullEvent());
    }

    @Test
    void shouldKeepInjectedClientWhenConfigureIsCalledWithoutUrl() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Serde<ActivityEvent> serde = new AvroSerdes(registry, true).forValue(ActivityEvent.class);
        serde.configure(Map.of(), true);

        serde.serializer().serialize("injected", Fixtures.fullEvent());

        // configure(..., isKey=true) switched it to the key subject, but the registry stayed the injected one.
        assertThat(registry.versions("injected-key")).containsExactly(1);
    }

    @Test
    void shouldFailClearlyWhenRegistryUrlIsMissing() {
        SpecificAvroSerializer<ActivityEvent> serializer = new SpecificAvroSerializer<>();

        assertThatThrownBy(() -> serializer.configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> serializer.serialize("t", Fixtures.fullEvent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void shouldRejectNonAvroClassWhenConfiguredAsValueType() {
        SpecificAvroDeserializer<ActivityEvent> deserializer = new SpecificAvroDeserializer<>();

        assertThatThrownBy(() -> deserializer.configure(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + SCOPE,
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, String.class), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("specific.avro.value.type");
    }

    @Test
    void shouldTakeCredentialsFromTheConfiguredSourceWhenBuildingARestClient() {
        AvroSerdeConfig fromUrl = new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://alice:s%40cret@reg1:8081, http://reg2:8081/"));
        AvroSerdeConfig fromUserInfo = new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://reg1:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                AvroSerdeConfig.USER_INFO_CONFIG, "bob:pw",
                AvroSerdeConfig.HTTP_READ_TIMEOUT_MS_CONFIG, 1234));

        assertThat(fromUrl.userInfo()).isEqualTo("alice:s@cret");
        assertThat(fromUserInfo.userInfo()).isEqualTo("bob:pw");
        assertThat(fromUserInfo.requestTimeout().toMillis()).isEqualTo(1234);
        assertThat(fromUrl.connectTimeout().toSeconds()).isEqualTo(5);
        assertThat(fromUrl.autoRegisterSchemas()).isTrue();
        try (SchemaRegistryClient client = fromUrl.newClient()) {
            // Credentials move to the Authorization header; the URLs keep no secret.
            assertThat(((RestSchemaRegistryClient) client).baseUrls())
                    .isEqualTo(List.of("http://reg1:8081", "http://reg2:8081"));
        }
    }

    @Test
    void shouldRejectUnknownCredentialsSourceWhenConfigured() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://reg:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source");
    }
}
