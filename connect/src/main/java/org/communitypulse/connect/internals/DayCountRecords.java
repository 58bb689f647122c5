package org.communitypulse.connect.internals;

import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.PulseConnectConfig;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;

/**
 * Records of {@code <prefix>platform.counts}: what a platform's API lists per community and UTC day, key
 * {@code CommunityDayKey} and value {@code PlatformDayCount}, both Avro in the Confluent wire format, serialized
 * here (key bytes too: the reconciliation reads the topic with its Avro key serde).
 */
public final class DayCountRecords implements AutoCloseable {

    private final SchemaRegistryClient registry;
    private final String topic;
    private final Serializer<CommunityDayKey> keys;
    private final Serializer<PlatformDayCount> values;

    public DayCountRecords(PulseConnectConfig config) {
        this.registry = new RestSchemaRegistryClient(config.registryUrls(), config.registryUserInfo(),
                RestSchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT, RestSchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT);
        Topic<CommunityDayKey, PlatformDayCount> counts = new Topics(config.topicPrefix(),
                new AvroSerdes(registry, config.autoRegister())).platformCounts();
        this.topic = counts.name();
        this.keys = counts.keySerde().serializer();
        this.values = counts.valueSerde().serializer();
    }

    public String topic() {
        return topic;
    }

    /** The count of one day; no source offset (a later count of the same day replaces it). */
    public SourceRecord record(String community, LocalDate day, SourcePlatform source, long items,
                               Instant observedAt, Instant completeThrough) {
        CommunityDayKey key = new CommunityDayKey(community, day);
        PlatformDayCount value = new PlatformDayCount(community, day, source, items, observedAt, completeThrough);
        return new SourceRecord(null, null, topic, null, Schema.BYTES_SCHEMA, keys.serialize(topic, key),
                Schema.BYTES_SCHEMA, values.serialize(topic, value));
    }

    @Override
    public void close() {
        keys.close();
        values.close();
        registry.close();
    }
}
