package org.communitypulse.schemas.serde;

import org.apache.avro.generic.GenericRecord;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.internals.AbstractAvroDeserializer;
import org.communitypulse.schemas.serde.internals.AvroRecordReader;

/**
 * Reads Confluent wire-format Avro into {@link GenericRecord}s with the writer's schema. Created by
 * class name with {@code specific.avro.reader=true} it returns the generated class named by the
 * writer schema instead (still a {@code GenericRecord}), as Confluent's deserializer does.
 */
public class GenericAvroDeserializer extends AbstractAvroDeserializer<GenericRecord> {

    /** For Kafka clients that create deserializers by class name. */
    public GenericAvroDeserializer() {
    }

    public GenericAvroDeserializer(SchemaRegistryClient client, boolean isKey) {
        super(AvroRecordReader.generic(client), isKey);
    }

    @Override
    protected AvroRecordReader newReader(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
        return config.specificAvroReader()
                ? AvroRecordReader.specificByWriterName(client) : AvroRecordReader.generic(client);
    }
}
