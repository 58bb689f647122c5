package org.communitypulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;

/** Data written with another version of the schema reads into the current generated class. */
class SchemaEvolutionTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroSerdes serdes = new AvroSerdes(registry, true);

    @Test
    void shouldReadOlderWriterIntoCurrentClassWhenFieldWasAddedSince() {
        Schema older = Fixtures.editedActivitySchema(root -> {
            Fixtures.removeField(root, "channel");
            Fixtures.removeField(root, "attributes");
        });
        GenericRecord old = new GenericData.Record(older);
        old.put("eventId", "old-1");
        old.put("communityId", "bikes");
        old.put("source", new GenericData.EnumSymbol(older.getField("source").schema(), "STACK_EXCHANGE"));
        old.put("type", new GenericData.EnumSymbol(older.getField("type").schema(), "THREAD_CREATED"));
        old.put("actorId", "u1");
        old.put("threadId", null);
        old.put("parentId", null);
        old.put("occurredAt", 1_000L);

        byte[] bytes = serdes.genericValue().serializer().serialize("evolve-old", old);
        ActivityEvent read = serdes.forValue(ActivityEvent.class).deserializer().deserialize("evolve-old", bytes);

        assertThat(read.getEventId()).isEqualTo("old-1");
        assertThat(read.getSource()).isEqualTo(SourcePlatform.STACK_EXCHANGE);
        assertThat(read.getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(read.getOccurredAt().toEpochMilli()).isEqualTo(1_000L);
        // Absent in the writer: the reader's defaults fill in.
        assertThat(read.getChannel()).isNull();
        assertThat(read.getAttributes()).isEmpty();
        // The current class registers as a second, BACKWARD-compatible version of the same subject.
        serdes.forValue(ActivityEvent.class).serializer().serialize("evolve-old", Fixtures.fullEvent());
        assertThat(registry.versions("evolve-old-value")).hasSize(2);
    }

    @Test
    void shouldReadNewerWriterIntoCurrentClassWhenItHasAnExtraFieldAndEnumSymbol() {
        Schema newer = Fixtures.editedActivitySchema(root -> {
            Fixtures.addField(root, "{\"name\":\"language\",\"type\":[\"null\",\"string\"],\"default\":null}");
            // A symbol this reader does not know yet: it reads as the enum's default, UNKNOWN.
            var type = (com.fasterxml.jackson.databind.node.ObjectNode) Fixtures.field(root, "type").get("type");
            ((com.fasterxml.jackson.databind.node.ArrayNode) type.get("symbols")).insert(0, "POLL_VOTED");
        });
        GenericRecord record = new GenericData.Record(newer);
        record.put("eventId", "new-1");
        record.put("communityId", "bikes");
        record.put("source", new GenericData.EnumSymbol(newer.getField("source").schema(), "SLACK"));
        record.put("type", new GenericData.EnumSymbol(newer.getField("type").schema(), "POLL_VOTED"));
        record.put("actorId", null);
        record.put("threadId", "t9");
        record.put("parentId", null);
        record.put("occurredAt", 2_000L);
        record.put("channel", "general");
        record.put("attributes", Map.of("k", "v"));
        record.put("language", "nl");

        byte[] bytes = serdes.genericValue().serializer().serialize("evolve-new", record);
        ActivityEvent read = serdes.forValue(ActivityEvent.class).deserializer().deserialize("evolve-new", bytes);

        assertThat(read.getEventId()).isEqualTo("new-1");
        assertThat(read.getType()).isEqualTo(EventType.UNKNOWN);
        assertThat(read.getSource()).isEqualTo(SourcePlatform.SLACK);
        assertThat(read.getThreadId()).isEqualTo("t9");
        assertThat(read.getChannel()).isEqualTo("general");
        assertThat(read.getAttributes()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void shouldReturnWriterSchemaAndRawLogicalValuesWhenReadingGenerically() {
        byte[] current = serdes.forValue(ActivityEvent.class).serializer().serialize("generic-read", Fixtures.fullEvent());

        GenericRecord read = serdes.genericValue().deserializer().deserialize("generic-read", current);

        assertThat(read.getSchema()).isEqualTo(ActivityEvent.getClassSchema());
        assertThat(read.get("eventId").toString()).isEqualTo("e-1");
        assertThat(read.get("occurredAt")).isEqualTo(Fixtures.OCCURRED_AT.toEpochMilli());
    }
}
