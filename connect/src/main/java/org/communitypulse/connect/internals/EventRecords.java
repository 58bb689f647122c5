package org.communitypulse.connect.internals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.PulseConnectConfig;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;

/**
 * Turns events into source records exactly as {@code pulse import} publishes them: topic
 * {@code <prefix>activity}, key the community id (a string), value the event in Avro's Confluent wire format
 * (magic byte, schema id, binary body) serialized here with the project's serde, so the connector is configured
 * with pass-through converters ({@code StringConverter} / {@code ByteArrayConverter}).
 *
 * <p>With {@code bytesKeys} (the pollers) keys are serialized here too, the community id as UTF-8 (the bytes
 * StringConverter would write), because a poller also publishes {@link PlatformDayCount} records whose key is an
 * Avro {@link CommunityDayKey}: one connector has one key converter, so it must be {@code ByteArrayConverter}.
 */
public final class EventRecords implements AutoCloseable {

    private final SchemaRegistryClient registry;
    private final String topic;
    private final Serializer<ActivityEvent> serializer;
    private final boolean bytesKeys;
    private final Topic<CommunityDayKey, PlatformDayCount> counts;
    private final Serializer<CommunityDayKey> countKeys;
    private final Serializer<PlatformDayCount> countValues;

    public EventRecords(PulseConnectConfig config) {
        this(config, false);
    }

    /** @param bytesKeys keys as bytes (key.converter=ByteArrayConverter), needed for {@link #dayCount} */
    public EventRecords(PulseConnectConfig config, boolean bytesKeys) {
        this(config, bytesKeys, new RestSchemaRegistryClient(config.registryUrls(), config.registryUserInfo(),
                RestSchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT, RestSchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT));
    }

    /** With a registry client of the caller's (tests: an in-memory one); closed with these records. */
    public EventRecords(PulseConnectConfig config, boolean bytesKeys, SchemaRegistryClient registry) {
        this.registry = registry;
        Topics topics = new Topics(config.topicPrefix(), new AvroSerdes(registry, config.autoRegister()));
        Topic<String, ActivityEvent> activity = topics.activity();
        this.topic = activity.name();
        this.serializer = activity.valueSerde().serializer();
        this.bytesKeys = bytesKeys;
        this.counts = topics.platformCounts();
        this.countKeys = counts.keySerde().serializer();
        this.countValues = counts.valueSerde().serializer();
    }

    /** The topic of {@link #dayCount} records. */
    public String countsTopic() {
        return counts.name();
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
        if (bytesKeys) {
            return new SourceRecord(partition, offset, topic, null, Schema.BYTES_SCHEMA,
                    event.getCommunityId().getBytes(StandardCharsets.UTF_8), Schema.BYTES_SCHEMA, value);
        }
        return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, event.getCommunityId(),
                Schema.BYTES_SCHEMA, value);
    }

    /**
     * The record of what a platform's API says about one community and day (topic {@code <prefix>platform.counts},
     * key {@code CommunityDayKey}).
     *
     * @throws IllegalStateException when keys are not bytes
     * @throws org.apache.kafka.common.errors.SerializationException when the registry cannot be reached
     */
    public SourceRecord dayCount(Map<String, ?> partition, Map<String, ?> offset, PlatformDayCount count) {
        if (!bytesKeys) {
            throw new IllegalStateException("Day counts need bytes keys (key.converter=ByteArrayConverter)");
        }
        CommunityDayKey key = new CommunityDayKey(count.getCommunityId(), count.getDay());
        return new SourceRecord(partition, offset, counts.name(), null, Schema.BYTES_SCHEMA,
                countKeys.serialize(counts.name(), key), Schema.BYTES_SCHEMA,
                countValues.serialize(counts.name(), count));
    }

    @Override
    public void close() {
        serializer.close();
        countKeys.close();
        countValues.close();
        registry.close();
    }
}
