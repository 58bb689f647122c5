package org.communitypulse.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.internals.AbstractAvroSerializer;

/**
 * Serializes generated Avro classes in the Confluent wire format under subject
 * {@code <topic>-key}/{@code <topic>-value}, with the class's schema as writer schema. Usable by
 * class name with {@link AvroSerdeConfig} keys, or built around a registry client.
 *
 * @param <T> generated record class
 */
public class SpecificAvroSerializer<T extends SpecificRecord> extends AbstractAvroSerializer<T> {

    /** For Kafka clients that create serializers by class name. */
    public SpecificAvroSerializer() {
    }

    public SpecificAvroSerializer(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
        super(client, autoRegister, isKey);
    }
}
