package org.communitypulse.schemas.serde;

import org.apache.avro.generic.GenericRecord;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.internals.AbstractAvroSerializer;

/**
 * Serializes {@link GenericRecord}s in the Confluent wire format under subject
 * {@code <topic>-key}/{@code <topic>-value}. Usable by class name ({@code value.serializer}) with
 * {@link AvroSerdeConfig} keys, or built around a registry client.
 */
public class GenericAvroSerializer extends AbstractAvroSerializer<GenericRecord> {

    /** For Kafka clients that create serializers by class name. */
    public GenericAvroSerializer() {
    }

    public GenericAvroSerializer(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
        super(client, autoRegister, isKey);
    }
}
