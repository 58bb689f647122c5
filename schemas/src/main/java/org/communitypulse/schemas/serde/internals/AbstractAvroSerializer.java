package org.communitypulse.schemas.serde.internals;

import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdeConfig;

/**
 * Shared life cycle of the Avro serializers: either built around a given registry client, or
 * created by class name and set up from {@link AvroSerdeConfig} in {@link #configure}.
 *
 * @param <T> record type
 */
public abstract class AbstractAvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    private final SerdeRegistryClient registry;
    private boolean isKey;
    private AvroRecordWriter writer;

    /** For creation by class name: {@link #configure} must be called before use. */
    protected AbstractAvroSerializer() {
        this.registry = SerdeRegistryClient.fromConfiguration();
    }

    /** Bound to {@code client}, which the caller keeps owning; {@link #configure} then only sets key/value. */
    protected AbstractAvroSerializer(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
        this.registry = SerdeRegistryClient.lent(client);
        this.isKey = isKey;
        this.writer = new AvroRecordWriter(client, autoRegister);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (!registry.isLent()) {
            AvroSerdeConfig config = registry.configure(configs);
            writer = new AvroRecordWriter(registry.client(), config.autoRegisterSchemas());
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (writer == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not configured: call configure() "
                    + "with " + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + " or build it with a registry client");
        }
        return writer.write(topic, isKey, data);
    }

    @Override
    public void close() {
        registry.close();
    }
}
