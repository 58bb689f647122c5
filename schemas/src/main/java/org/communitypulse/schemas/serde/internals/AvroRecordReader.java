package org.communitypulse.schemas.serde.internals;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryException;

/**
 * Reads records in the Confluent wire format: checks the header, fetches the writer schema by
 * id and resolves it against the reader schema, so data written with an older or newer
 * compatible schema reads into the current one.
 *
 * <p>The resolved {@link DatumReader} is cached per writer id (the reader schema is fixed per
 * instance), so after the first record of a schema no registry call and no schema resolution
 * happens; Avro keeps the resolving grammar of each reader/writer pair itself. Thread-safe.
 */
public final class AvroRecordReader {

    /** How the reader schema is chosen. */
    public enum Mode {
        /** Reader schema = writer schema; records come back as {@code GenericData.Record}. */
        GENERIC,
        /** Reader schema = the configured generated class's schema. */
        SPECIFIC_CLASS,
        /** Reader schema = the generated class named by the writer schema (Confluent's specific.avro.reader). */
        SPECIFIC_BY_WRITER_NAME
    }

    private static final DecoderFactory DECODERS = DecoderFactory.get();

    private final SchemaRegistryClient client;
    private final Mode mode;
    private final Class<? extends SpecificRecord> type;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    private AvroRecordReader(SchemaRegistryClient client, Mode mode, Class<? extends SpecificRecord> type) {
        this.client = Objects.requireNonNull(client, "client");
        this.mode = mode;
        this.type = type;
    }

    /** Reads into {@code GenericRecord}s with the writer's own schema. */
    public static AvroRecordReader generic(SchemaRegistryClient client) {
        return new AvroRecordReader(client, Mode.GENERIC, null);
    }

    /** Reads into the generated class named by each record's writer schema. */
    public static AvroRecordReader specificByWriterName(SchemaRegistryClient client) {
        return new AvroRecordReader(client, Mode.SPECIFIC_BY_WRITER_NAME, null);
    }

    /** Reads into {@code type}, whose schema is the reader schema. */
    public static AvroRecordReader specific(SchemaRegistryClient client, Class<? extends SpecificRecord> type) {
        return new AvroRecordReader(client, Mode.SPECIFIC_CLASS, Objects.requireNonNull(type, "type"));
    }

    /** The record in {@code bytes}, or null for null bytes (a tombstone). */
    public Object read(String topic, boolean isKey, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String part = WireFormat.part(isKey);
        if (bytes.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Truncated " + part + " on topic " + topic + ": " + bytes.length
                    + " bytes, fewer than the 5-byte Confluent header (magic byte + schema id)");
        }
        if (bytes[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(String.format("Unknown magic byte 0x%02x on topic %s (%s): "
                    + "not Confluent Avro wire format", bytes[0] & 0xff, topic, part));
        }
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        DatumReader<Object> reader = readers.get(id);
        if (reader == null) {
            // Failures are not cached: a schema registered a moment later must become readable.
            reader = readers.computeIfAbsent(id, i -> newReader(topic, part, i));
        }
        BinaryDecoder decoder = DECODERS.binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                bytes.length - WireFormat.HEADER_SIZE, null);
        try {
            return reader.read(null, decoder);
        } catch (EOFException e) {
            throw new SerializationException("Truncated Avro " + part + " on topic " + topic + " (schema id " + id
                    + "): the body of " + (bytes.length - WireFormat.HEADER_SIZE)
                    + " bytes ended before the record did", e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Corrupt Avro " + part + " on topic " + topic + " (schema id " + id
                    + "): " + e, e);
        }
    }

    private DatumReader<Object> newReader(String topic, String part, int id) {
        Schema writer;
        try {
            writer = client.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("Unknown schema id " + id + " in " + part + " on topic " + topic
                        + ": the schema registry has no such schema (" + e.status() + "/" + e.errorCode() + ")", e);
            }
            throw new SerializationException("Cannot fetch schema id " + id + " for " + part + " on topic " + topic
                    + ": " + e.getMessage(), e);
        }
        return switch (mode) {
            case GENERIC -> new GenericDatumReader<>(writer, writer, GenericData.get());
            case SPECIFIC_CLASS -> specificReader(topic, part, id, writer, type);
            case SPECIFIC_BY_WRITER_NAME -> specificReader(topic, part, id, writer, classOf(topic, part, id, writer));
        };
    }

    private static Class<? extends SpecificRecord> classOf(String topic, String part, int id, Schema writer) {
        Class<?> found = SpecificData.get().getClass(writer);
        if (found == null || !SpecificRecord.class.isAssignableFrom(found)) {
            throw new SerializationException("No generated SpecificRecord class " + writer.getFullName()
                    + " on the classpath for schema id " + id + " in " + part + " on topic " + topic);
        }
        return found.asSubclass(SpecificRecord.class);
    }

    private static DatumReader<Object> specificReader(String topic, String part, int id, Schema writer,
                                                      Class<? extends SpecificRecord> type) {
        SpecificData model = fastModel(type);
        Schema reader = model.getSchema(type);
        // Check once here, so an incompatible pair fails with the reason, not with a decoding error per record.
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            String reasons = compatibility.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                    .collect(Collectors.joining("; "));
            throw new SerializationException("Cannot read " + part + " on topic " + topic + ": writer schema id "
                    + id + " (" + writer.getFullName() + ") does not resolve to reader schema " + type.getName()
                    + ": " + reasons);
        }
        return new SpecificDatumReader<>(writer, reader, model);
    }

    /**
     * The generated class's model with Avro's generated coders switched on: classes without logical types
     * (the Streams state records) then encode and decode through straight-line generated code instead of
     * walking the schema per field, the same bytes at a fraction of the cost. Classes with logical types
     * have no generated coders and are unaffected. Avro leaves the switch off unless the JVM-wide
     * {@code org.apache.avro.specific.use_custom_coders} property is set; this sets it per model, so the
     * pipeline does not depend on a command-line flag.
     */
    static SpecificData fastModel(Class<?> type) {
        SpecificData model = SpecificData.getForClass(type);
        if (model != SpecificData.get() && !model.useCustomCoders()) {
            model.setCustomCoders(true);
        }
        return model;
    }
}
