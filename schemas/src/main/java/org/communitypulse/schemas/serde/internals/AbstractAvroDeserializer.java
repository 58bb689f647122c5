package org.communitypulse.schemas.serde.internals;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdeConfig;

/**
 * Shared life cycle of the Avro deserializers: either built around a given registry client, or
 * created by class name and set up from {@link AvroSerdeConfig} in {@link #configure}.
 *
 * @param <T> record type
 */
public abstract class AbstractAvroDeserializer<T> implements Deserializer<T> {

    private final SerdeRegistryClient registry;
    private boolean isKey;
    private AvroRecordReader reader;

    /** For creation by class name: {@link #configure} must be called before use. */
    protected AbstractAvroDeserializer() {
        this.registry = SerdeRegistryClient.fromConfiguration();
    }

    /** Bound to {@code reader} over a client the caller keeps owning; {@link #configure} then only sets key/value. */
    protected AbstractAvroDeserializer(AvroRecordReader reader, boolean isKey) {
        this.registry = SerdeRegistryClient.lent(null);
        this.reader = reader;
        this.isKey = isKey;
    }

    /** The reader for a deserializer created by class name, from its configuration. */
    protected abstract AvroRecordReader newReader(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (!registry.isLent()) {
            AvroSerdeConfig config = registry.configure(configs);
            reader = newReader(registry.client(), config, isKey);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (reader == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not configured: call configure() "
                    + "with " + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + " or build it with a registry client");
        }
        // The reader's mode guarantees the type: generic records, or instances of the configured class.
        return (T) reader.read(topic, isKey, data);
    }

    @Override
    public void close() {
        registry.close();
    }
}
