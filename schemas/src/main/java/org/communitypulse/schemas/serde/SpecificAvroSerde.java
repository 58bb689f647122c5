package org.communitypulse.schemas.serde;

import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.schemas.registry.SchemaRegistryClient;

/**
 * {@link SpecificAvroSerializer} and {@link SpecificAvroDeserializer} as one serde, e.g. for
 * Kafka Streams' {@code default.value.serde} (by class name) or built around a registry client.
 *
 * @param <T> generated record class
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    private final Schema schema;

    /** For creation by class name: configure with {@link AvroSerdeConfig} keys. */
    public SpecificAvroSerde() {
        super(new SpecificAvroSerializer<>(), new SpecificAvroDeserializer<>());
        this.schema = null;
    }

    public SpecificAvroSerde(SchemaRegistryClient client, Class<T> type, boolean autoRegister, boolean isKey) {
        super(new SpecificAvroSerializer<>(client, autoRegister, isKey),
                new SpecificAvroDeserializer<>(client, type, isKey));
        this.schema = SpecificData.get().getSchema(type);
    }

    /** The schema of the generated class this serde reads and writes; empty when created by class name. */
    public Optional<Schema> schema() {
        return Optional.ofNullable(schema);
    }
}
