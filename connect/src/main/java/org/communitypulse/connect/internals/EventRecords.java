package org.communitypulse.connect.internals;

import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.PulseConnectConfig;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;

/**
 * Turns events into source records exactly as {@code pulse import} publishes them: topic
 * {@code <prefix>activity}, key the community id (a string), value the event in Avro's Confluent wire format
 * (magic byte, schema id, binary body) serialized here with the project's serde, so the connector is configured
 * with pass-through converters ({@code StringConverter} / {@code ByteArrayConverter}).
 */
public final class EventRecords implements AutoCloseable {

    private final SchemaRegistryClient registry;
    private final String topic;
    private final Serializer<ActivityEvent> serializer;

    public EventRecords(PulseConnectConfig config) {
        this.registry = new RestSchemaRegistryClient(config.registryUrls(), config.registryUserInfo(),
                RestSchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT, RestSchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT);
        Topic<String, ActivityEvent> activity = new Topics(config.topicPrefix(),
                new AvroSerdes(registry, config.autoRegister())).activity();
        this.topic = activity.name();
        this.serializer = activity.valueSerde().serializer();
    }

    public String topic() {
        return topic;
    }

    /**
     * The record of one event.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when the registry cannot be reached or
     *                                                               refuses the schema
     */
    public SourceRecord record(Map<String, ?> partition, Map<String, ?> offset, ActivityEvent event) {
        byte[] value = serializer.serialize(topic, event);
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, event.getCommunityId(),
                Schema.BYTES_SCHEMA, value);
    }

    @Override
    public void close() {
        serializer.close();
        registry.close();
    }
}
