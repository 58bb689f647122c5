package org.communitypulse.schemas.serde;

import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.communitypulse.schemas.registry.SchemaRegistryClient;

/**
 * Factory of Confluent wire-format Avro serdes bound to one registry client.
 *
 * <p>Each serde is ready to use without {@code configure}: key serdes write under subject
 * {@code <topic>-key}, value serdes under {@code <topic>-value}. The client stays owned by the
 * caller; closing a serde does not close it.
 */
public final class AvroSerdes {

    private final SchemaRegistryClient client;
    private final boolean autoRegister;

    /**
     * @param client       registry shared by every serde made here
     * @param autoRegister whether serializers register schemas (true) or only look up their ids
     */
    public AvroSerdes(SchemaRegistryClient client, boolean autoRegister) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
    }

    /** The registry client behind these serdes. */
    public SchemaRegistryClient client() {
        return client;
    }

    /** Serde of record keys of generated class {@code type}. */
    public <T extends SpecificRecord> Serde<T> forKey(Class<T> type) {
        return new SpecificAvroSerde<>(client, type, autoRegister, true);
    }

    /** Serde of record values of generated class {@code type}. */
    public <T extends SpecificRecord> Serde<T> forValue(Class<T> type) {
        return new SpecificAvroSerde<>(client, type, autoRegister, false);
    }

    /** Serde of generic record keys (reader schema = writer schema). */
    public Serde<GenericRecord> genericKey() {
        return new GenericAvroSerde(client, autoRegister, true);
    }

    /** Serde of generic record values (reader schema = writer schema). */
    public Serde<GenericRecord> genericValue() {
        return new GenericAvroSerde(client, autoRegister, false);
    }
}
