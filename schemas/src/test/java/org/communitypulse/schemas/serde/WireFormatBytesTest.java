package org.communitypulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.schemas.serde.Fixtures.concat;
import static org.communitypulse.schemas.serde.Fixtures.hex;

import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;

/** The exact bytes on the wire, checked against vectors derived outside the code under test. */
class WireFormatBytesTest {

    private static final Schema PAYMENT = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Payment\","
            + "\"namespace\":\"demo\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"amount\",\"type\":\"double\"}]}");

    @Test
    void shouldWriteTheVectorCheckedAgainstALiveRegistryWhenPaymentHasSchemaId3() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        // Two earlier schemas take ids 1 and 2, as in the registry the vector was recorded against.
        registry.register("other-value", SchemaBuilder.record("A").fields().requiredInt("a").endRecord());
        registry.register("other-key", SchemaBuilder.record("B").fields().requiredLong("b").endRecord());
        GenericRecord payment = new GenericData.Record(PAYMENT);
        payment.put("id", "p-1");
        payment.put("amount", 12.5);

        try (GenericAvroSerializer serializer = new GenericAvroSerializer(registry, true, false);
             GenericAvroDeserializer deserializer = new GenericAvroDeserializer(registry, false)) {
            byte[] bytes = serializer.serialize("payments", payment);

            assertThat(bytes).isEqualTo(hex("00 00 00 00 03 06 70 2d 31 00 00 00 00 00 00 29 40"));
            assertThat(registry.versions("payments-value")).containsExactly(3);
            GenericRecord back = deserializer.deserialize("payments", bytes);
            assertThat(back.get("id").toString()).isEqualTo("p-1");
            assertThat(back.get("amount")).isEqualTo(12.5);
        }
    }

    @Test
    void shouldEncodeEveryActivityEventFieldAsTheAvroSpecSaysWhenAllFieldsAreSet() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        byte[] expected = concat(
                hex("00"),                 // magic byte
                hex("00 00 00 01"),        // schema id 1, big-endian: first schema of a fresh registry
                hex("06"), ascii("e-1"),   // eventId: string length 3 -> zig-zag 6
                hex("0a"), ascii("bikes"), // communityId: length 5 -> zig-zag 10
                hex("06"),                 // source GITHUB: enum index 3 -> zig-zag 6
                hex("02"),                 // type REPLY_CREATED: enum index 1 -> zig-zag 2
                hex("02 04"), ascii("u7"), // actorId: union branch 1 (string), length 2
                hex("02 04"), ascii("t1"), // threadId: union branch 1, length 2
                hex("00"),                 // parentId: union branch 0 (null), no payload
                // occurredAt 1714564800000 ms: zig-zag doubles it to 3429129600000 = 0x31E680D3C00;
                // 7-bit groups low to high 0x00 0x78 0x34 0x40 0x66 0x63, high bit set on all but the last.
                hex("80 f8 b4 c0 e6 63"),
                hex("02 08"), ascii("road"), // channel: union branch 1, length 4
                hex("04"),                   // attributes: one block of 2 entries -> zig-zag 4
                hex("08"), ascii("kind"), hex("0c"), ascii("answer"),
                hex("08"), ascii("lang"), hex("04"), ascii("en"),
                hex("00"));                  // end of map: a block of 0 entries
        ActivityEvent event = Fixtures.fullEvent();

        AvroSerdes serdes = new AvroSerdes(registry, true);
        byte[] bytes = serdes.forValue(ActivityEvent.class).serializer().serialize("activity-bytes", event);

        assertThat(bytes).isEqualTo(expected);
        ActivityEvent back = serdes.forValue(ActivityEvent.class).deserializer().deserialize("activity-bytes", bytes);
        assertThat(back).isEqualTo(event);
        assertThat(back.getOccurredAt()).isEqualTo(Fixtures.OCCURRED_AT);
        assertThat(back.getAttributes()).isEqualTo(java.util.Map.of("kind", "answer", "lang", "en"));
    }

    @Test
    void shouldRegisterUnderTopicNameStrategySubjectsWhenSerializingKeysAndValues() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        AvroSerdes serdes = new AvroSerdes(registry, true);

        serdes.forKey(ActivityEvent.class).serializer().serialize("subjects-topic", Fixtures.fullEvent());
        serdes.forValue(ActivityEvent.class).serializer().serialize("subjects-topic", Fixtures.fullEvent());

        assertThat(registry.versions("subjects-topic-key")).containsExactly(1);
        assertThat(registry.versions("subjects-topic-value")).containsExactly(1);
    }

    @Test
    void shouldMapNullToNullWhenRecordIsATombstone() {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

        assertThat(serdes.forValue(ActivityEvent.class).serializer().serialize("tombstones", null)).isNull();
        assertThat(serdes.forValue(ActivityEvent.class).deserializer().deserialize("tombstones", null)).isNull();
        assertThat(serdes.genericValue().serializer().serialize("tombstones", null)).isNull();
        assertThat(serdes.genericValue().deserializer().deserialize("tombstones", null)).isNull();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
