package org.communitypulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;

/** Bytes that are not a readable record fail with a SerializationException that says why and where. */
class WireFormatErrorsTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroSerdes serdes = new AvroSerdes(registry, true);
    private final Deserializer<ActivityEvent> deserializer = serdes.forValue(ActivityEvent.class).deserializer();

    @Test
    void shouldNameMagicByteAndTopicWhenFirstByteIsNotZero() {
        byte[] bytes = serdes.forValue(ActivityEvent.class).serializer().serialize("magic", Fixtures.fullEvent());
        bytes[0] = 0x07;

        assertThatThrownBy(() -> deserializer.deserialize("magic", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Unknown magic byte 0x07 on topic magic (value): not Confluent Avro wire format");
    }

    @Test
    void shouldReportUnknownSchemaIdWhenRegistryHasNoSuchId() {
        byte[] bytes = {0, 0, 0, 0, 99, 2, 'x'};

        assertThatThrownBy(() -> deserializer.deserialize("unknown-id", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 99 in value on topic unknown-id")
                .hasMessageContaining("404/40403");
    }

    @Test
    void shouldReportTruncationWhenFewerThanFiveBytes() {
        assertThatThrownBy(() -> deserializer.deserialize("short", new byte[] {0, 0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Truncated value on topic short: 4 bytes, fewer than the 5-byte Confluent header "
                        + "(magic byte + schema id)");
    }

    @Test
    void shouldReportTruncatedBodyWhenAvroDataEndsEarly() {
        byte[] whole = serdes.forValue(ActivityEvent.class).serializer().serialize("cut", Fixtures.fullEvent());
        // Cut inside the attributes map: the header and the first fields are intact.
        byte[] cut = Arrays.copyOf(whole, whole.length - 6);

        assertThatThrownBy(() -> deserializer.deserialize("cut", cut))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Truncated Avro value on topic cut (schema id 1)")
                .hasMessageContaining("ended before the record did");
    }

    @Test
    void shouldExplainWhenWriterSchemaCannotResolveToReaderClass() {
        // Same record name, but eventId is an int: no reader of the current class can read it.
        Schema clash = Fixtures.editedActivitySchema(root -> Fixtures.field(root, "eventId").put("type", "int"));
        registry.setCompatibility("clash-value", "NONE");
        int id = registry.register("clash-value", clash);
        byte[] bytes = {0, 0, 0, 0, (byte) id, 2};

        assertThatThrownBy(() -> deserializer.deserialize("clash", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot read value on topic clash: writer schema id " + id)
                .hasMessageContaining("does not resolve to reader schema " + ActivityEvent.class.getName())
                .hasMessageContaining("/fields/0/type");
    }

    @Test
    void shouldRefuseUnregisteredSchemaWhenAutoRegisterIsOff() {
        AvroSerdes lookupOnly = new AvroSerdes(registry, false);

        assertThatThrownBy(() -> lookupOnly.forValue(ActivityEvent.class).serializer()
                .serialize("no-auto", Fixtures.fullEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("is not registered under subject no-auto-value")
                .hasMessageContaining("auto.register.schemas is false");
        assertThat(registry.versions("no-auto-value")).isEmpty();
    }

    @Test
    void shouldUseRegisteredIdWhenAutoRegisterIsOffAndSchemaExists() {
        int id = registry.register("pre-registered-value", ActivityEvent.getClassSchema());
        AvroSerdes lookupOnly = new AvroSerdes(registry, false);

        byte[] bytes = lookupOnly.forValue(ActivityEvent.class).serializer()
                .serialize("pre-registered", Fixtures.fullEvent());

        assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0, 0, 0, 0, id);
    }
}
