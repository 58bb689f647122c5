package org.communitypulse.schemas.serde.internals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryException;

/**
 * Writes records in the Confluent wire format, registering (or looking up) the record's schema
 * under the topic's subject once and caching the id and the {@link DatumWriter} per schema.
 * Thread-safe: a producer may serialise from many threads.
 */
public final class AvroRecordWriter {

    private static final EncoderFactory ENCODERS = EncoderFactory.get();

    private final SchemaRegistryClient client;
    private final boolean autoRegister;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    public AvroRecordWriter(SchemaRegistryClient client, boolean autoRegister) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
    }

    /** The wire-format bytes of {@code record}, or null for a null record (a tombstone stays a tombstone). */
    public byte[] write(String topic, boolean isKey, IndexedRecord record) {
        if (record == null) {
            return null;
        }
        if (topic == null) {
            throw new SerializationException("Cannot serialize an Avro " + WireFormat.part(isKey)
                    + " without a topic: the subject is derived from the topic name");
        }
        Schema schema = record.getSchema();
        int id = schemaId(topic, isKey, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        // A direct encoder writes straight into the array: nothing to flush, nothing to share between threads.
        BinaryEncoder encoder = ENCODERS.directBinaryEncoder(out, null);
        try {
            writer(schema, record).write(record, encoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + WireFormat.part(isKey) + " of schema "
                    + schema.getFullName() + " for topic " + topic + ": " + e, e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic, boolean isKey, Schema schema) {
        String subject = WireFormat.subject(topic, isKey);
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        int id;
        try {
            id = autoRegister ? client.register(subject, schema) : client.getId(subject, schema);
        } catch (SchemaRegistryException e) {
            if (!autoRegister && e.isNotFound()) {
                throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject "
                        + subject + " (topic " + topic + ") and auto.register.schemas is false: " + e.getMessage(), e);
            }
            throw new SerializationException("Cannot " + (autoRegister ? "register" : "look up") + " schema "
                    + schema.getFullName() + " under subject " + subject + " for topic " + topic + ": "
                    + e.getMessage(), e);
        }
        ids.put(key, id);
        return id;
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writer(Schema schema, IndexedRecord record) {
        // Generated classes carry their own model (with logical-type conversions such as Instant).
        GenericData model = record instanceof SpecificRecord
                ? AvroRecordReader.fastModel(record.getClass()) : GenericData.get();
        return writers.computeIfAbsent(new WriterKey(schema, model), k -> k.model() instanceof SpecificData specific
                ? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(k.schema(), specific)
                : new GenericDatumWriter<>(k.schema(), k.model()));
    }

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record WriterKey(Schema schema, GenericData model) {
    }
}
