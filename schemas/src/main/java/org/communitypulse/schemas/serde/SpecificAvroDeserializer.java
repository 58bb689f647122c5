package org.communitypulse.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.internals.AbstractAvroDeserializer;
import org.communitypulse.schemas.serde.internals.AvroRecordReader;

/**
 * Reads Confluent wire-format Avro into a generated class: the writer schema comes from the
 * registry by the record's schema id, the reader schema is the class's, and Avro's schema
 * resolution bridges the two (fields added or removed with defaults, new enum symbols read as
 * the enum default). Created by class name, the class comes from {@code specific.avro.key.type}
 * or {@code specific.avro.value.type}; without one, from the writer schema's full name.
 *
 * @param <T> generated record class
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> extends AbstractAvroDeserializer<T> {

    /** For Kafka clients that create deserializers by class name. */
    public SpecificAvroDeserializer() {
    }

    public SpecificAvroDeserializer(SchemaRegistryClient client, Class<T> type, boolean isKey) {
        super(AvroRecordReader.specific(client, type), isKey);
    }

    @Override
    protected AvroRecordReader newReader(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
        Class<?> type = config.specificType(isKey);
        if (type == null) {
            return AvroRecordReader.specificByWriterName(client);
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            String key = isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG
                    : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG;
            throw new ConfigException(key, type.getName(), "not a generated Avro SpecificRecord class");
        }
        return AvroRecordReader.specific(client, type.asSubclass(SpecificRecord.class));
    }
}
