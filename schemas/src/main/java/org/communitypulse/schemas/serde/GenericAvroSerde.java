package org.communitypulse.schemas.serde;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.schemas.registry.SchemaRegistryClient;

/** {@link GenericAvroSerializer} and {@link GenericAvroDeserializer} as one serde. */
public class GenericAvroSerde extends Serdes.WrapperSerde<GenericRecord> {

    /** For creation by class name: configure with {@link AvroSerdeConfig} keys. */
    public GenericAvroSerde() {
        super(new GenericAvroSerializer(), new GenericAvroDeserializer());
    }

    public GenericAvroSerde(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
        super(new GenericAvroSerializer(client, autoRegister, isKey), new GenericAvroDeserializer(client, isKey));
    }
}
