package org.communitypulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Turns Avro data into plain, readable JSON: field names as in the schema, unions without Avro's
 * {@code {"type": value}} wrapper, and logical types as people read them. Dates are ISO dates
 * ({@code "2011-03-04"}), timestamps ISO-8601 UTC instants ({@code "2011-03-04T10:15:30.123Z"}), times
 * ISO local times, decimals JSON numbers, bytes and fixed Base64 strings. Map keys are sorted so the
 * same datum always gives the same text.
 *
 * <p>Works on specific records (which already hold {@code LocalDate}/{@code Instant}) and on generic
 * ones (which hold the raw {@code int}/{@code long}: the schema's logical type says how to render it).
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Set<String> omittedFields;

    /** @param omittedFields record fields left out wherever they occur (e.g. wall-clock stamps) */
    public AvroJson(Set<String> omittedFields) {
        this.omittedFields = Set.copyOf(omittedFields);
    }

    /** Any key or value a deserializer returned: Avro records by their schema, other types as-is. */
    public JsonNode toJson(Object datum) {
        if (datum instanceof IndexedRecord record) {
            return convert(record, record.getSchema());
        }
        return convert(datum, null);
    }

    private JsonNode convert(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (schema != null && schema.getType() == Schema.Type.UNION) {
            schema = branchFor(value, schema);
        }
        if (value instanceof IndexedRecord record) {
            return record(record);
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>
                || value instanceof LocalDate || value instanceof LocalTime || value instanceof LocalDateTime
                || value instanceof UUID) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Instant instant) {
            return NODES.textNode(instant.toString());
        }
        if (value instanceof BigDecimal decimal) {
            return NODES.numberNode(decimal);
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof GenericFixed fixed) {
            return NODES.textNode(Base64.getEncoder().encodeToString(fixed.bytes()));
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> map) {
            Schema values = schema != null && schema.getType() == Schema.Type.MAP ? schema.getValueType() : null;
            ObjectNode node = NODES.objectNode();
            // Avro maps have no order; sorting keeps the output byte-for-byte repeatable.
            toStringKeys(map).forEach((k, v) -> node.set(k, convert(v, values)));
            return node;
        }
        if (value instanceof Collection<?> items) {
            Schema element = schema != null && schema.getType() == Schema.Type.ARRAY ? schema.getElementType() : null;
            ArrayNode node = NODES.arrayNode();
            items.forEach(item -> node.add(convert(item, element)));
            return node;
        }
        LogicalType logical = schema == null ? null : schema.getLogicalType();
        if (value instanceof Integer i) {
            return logical == null ? NODES.numberNode(i) : rawInt(i, logical.getName());
        }
        if (value instanceof Long l) {
            return logical == null ? NODES.numberNode(l) : rawLong(l, logical.getName());
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        return NODES.textNode(value.toString());
    }

    private ObjectNode record(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            if (!omittedFields.contains(field.name())) {
                node.set(field.name(), convert(record.get(field.pos()), field.schema()));
            }
        }
        return node;
    }

    /** A generic record's logical-type int, rendered as its logical value. */
    private static JsonNode rawInt(int value, String logicalType) {
        return switch (logicalType) {
            case "date" -> NODES.textNode(LocalDate.ofEpochDay(value).toString());
            case "time-millis" -> NODES.textNode(LocalTime.ofNanoOfDay(value * 1_000_000L).toString());
            default -> NODES.numberNode(value);
        };
    }

    /** A generic record's logical-type long, rendered as its logical value. */
    private static JsonNode rawLong(long value, String logicalType) {
        return switch (logicalType) {
            case "timestamp-millis" -> NODES.textNode(Instant.ofEpochMilli(value).toString());
            case "timestamp-micros" -> NODES.textNode(Instant.EPOCH.plus(value, ChronoUnit.MICROS).toString());
            case "timestamp-nanos" -> NODES.textNode(Instant.EPOCH.plus(value, ChronoUnit.NANOS).toString());
            case "local-timestamp-millis" -> NODES.textNode(
                    LocalDateTime.ofInstant(Instant.ofEpochMilli(value), ZoneOffset.UTC).toString());
            case "local-timestamp-micros" -> NODES.textNode(
                    LocalDateTime.ofInstant(Instant.EPOCH.plus(value, ChronoUnit.MICROS), ZoneOffset.UTC).toString());
            case "time-micros" -> NODES.textNode(LocalTime.ofNanoOfDay(value * 1_000L).toString());
            default -> NODES.numberNode(value);
        };
    }

    /**
     * The union branch a value belongs to: only its logical type matters for rendering, so an exact
     * match is needed only between several branches of one Java type (rare); the first fits then.
     */
    private static Schema branchFor(Object value, Schema union) {
        List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (branches.size() == 1) {
            return branches.get(0);
        }
        for (Schema branch : branches) {
            if (fits(value, branch)) {
                return branch;
            }
        }
        return null;
    }

    private static boolean fits(Object value, Schema branch) {
        return switch (branch.getType()) {
            case RECORD -> value instanceof IndexedRecord r && r.getSchema().getFullName().equals(branch.getFullName());
            case INT -> value instanceof Integer || value instanceof LocalDate || value instanceof LocalTime;
            case LONG -> value instanceof Long || value instanceof Instant || value instanceof LocalDateTime;
            case STRING -> value instanceof CharSequence || value instanceof UUID;
            case MAP -> value instanceof Map<?, ?>;
            case ARRAY -> value instanceof Collection<?>;
            default -> false;
        };
    }

    private static Map<String, Object> toStringKeys(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
