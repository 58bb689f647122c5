package org.communitypulse.schemas.serde.internals;

import java.util.Map;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdeConfig;

/**
 * The registry client behind one serializer or deserializer: either lent by whoever built the serde
 * (never reconfigured or closed here), or created from its configuration (replaced on each
 * {@code configure}, closed with the serde).
 */
final class SerdeRegistryClient {

    private final boolean lent;
    private SchemaRegistryClient client;

    private SerdeRegistryClient(SchemaRegistryClient client, boolean lent) {
        this.client = client;
        this.lent = lent;
    }

    /** A client the caller keeps owning; {@code null} when the serde was bound to a ready reader. */
    static SerdeRegistryClient lent(SchemaRegistryClient client) {
        return new SerdeRegistryClient(client, true);
    }

    /** None yet: the serde was created by class name and will be configured. */
    static SerdeRegistryClient fromConfiguration() {
        return new SerdeRegistryClient(null, false);
    }

    boolean isLent() {
        return lent;
    }

    /** Replaces the owned client with one built from {@code configs}; returns the parsed configuration. */
    AvroSerdeConfig configure(Map<String, ?> configs) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        close();
        client = config.newClient();
        return config;
    }

    SchemaRegistryClient client() {
        return client;
    }

    void close() {
        if (!lent && client != null) {
            client.close();
            client = null;
        }
    }
}
