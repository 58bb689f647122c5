package org.communitypulse.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/** Records and schema variants shared by the serde tests. */
final class Fixtures {

    /** 2024-05-01T12:00:00Z. */
    static final Instant OCCURRED_AT = Instant.ofEpochMilli(1_714_564_800_000L);

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** An ActivityEvent with every field set, attributes in a fixed order. */
    static ActivityEvent fullEvent() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("kind", "answer");
        attributes.put("lang", "en");
        return ActivityEvent.newBuilder()
                .setEventId("e-1")
                .setCommunityId("bikes")
                .setSource(SourcePlatform.GITHUB)
                .setType(EventType.REPLY_CREATED)
                .setActorId("u7")
                .setThreadId("t1")
                .setParentId(null)
                .setOccurredAt(OCCURRED_AT)
                .setChannel("road")
                .setAttributes(attributes)
                .build();
    }

    /** The current ActivityEvent schema after {@code edit} on its JSON. */
    static Schema editedActivitySchema(Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(ActivityEvent.getClassSchema().toString());
            edit.accept(root);
            return new Schema.Parser().parse(JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes field {@code name} from a record schema's JSON. */
    static void removeField(ObjectNode record, String name) {
        ArrayNode fields = (ArrayNode) record.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(name)) {
                fields.remove(i);
                return;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }

    /** Adds a field given as JSON to a record schema's JSON. */
    static void addField(ObjectNode record, String fieldJson) {
        try {
            JsonNode field = JSON.readTree(fieldJson);
            ((ArrayNode) record.get("fields")).add(field);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON node of field {@code name}. */
    static ObjectNode field(ObjectNode record, String name) {
        for (JsonNode field : record.get("fields")) {
            if (field.get("name").asText().equals(name)) {
                return (ObjectNode) field;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }

    static byte[] hex(String spaced) {
        String[] parts = spaced.trim().split("\\s+");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
