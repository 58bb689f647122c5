package org.communitypulse.bench;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * The Streams floor of the throughput benchmark: the least a Kafka Streams application can do with the
 * activity topic and still pay what the pipeline pays to the framework. It reads every record as bytes,
 * deserialises the value with the topic's serde (as the pipeline's intake does, so undecodable input is
 * counted, not fatal) and counts events per community in a persistent, logged key-value store, whose
 * changelog is written in the same exactly-once transactions as the offsets. It writes nothing else.
 * Run with the pipeline's Streams settings, its time is the framework's own cost under exactly-once;
 * the gap between it and the pipeline is the pipeline's logic.
 */
public final class StreamsFloorTopology {

    public static final String SOURCE = "floor-activity-source";
    public static final String PROCESSOR = "floor-count-per-community";
    public static final String STORE = "floor-events-per-community";
    /** The store key under which records whose value does not deserialise are counted. */
    public static final String UNDECODABLE = "\u0000undecodable";

    private StreamsFloorTopology() {
    }

    /** The floor over {@code activity}: source, one counting processor and its store. */
    public static Topology build(Topic<String, ActivityEvent> activity) {
        Deserializer<ActivityEvent> values = activity.valueSerde().deserializer();
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                activity.name());
        topology.addProcessor(PROCESSOR, () -> new CountProcessor(activity.name(), values), SOURCE);
        // Record caching coalesces the puts of a commit interval into one changelog write per community,
        // as the pipeline's object caches do; the DSL's count() would cache the same way by default.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.Long()).withCachingEnabled().withLoggingEnabled(Map.of()), PROCESSOR);
        return topology;
    }

    private static final class CountProcessor implements Processor<byte[], byte[], Void, Void> {

        private final String topic;
        private final Deserializer<ActivityEvent> values;
        private KeyValueStore<String, Long> counts;

        CountProcessor(String topic, Deserializer<ActivityEvent> values) {
            this.topic = topic;
            this.values = values;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String community;
            try {
                ActivityEvent event = values.deserialize(topic, record.headers(), record.value());
                community = event == null ? UNDECODABLE : event.getCommunityId();
            } catch (RuntimeException e) {
                community = UNDECODABLE;
            }
            Long count = counts.get(community);
            counts.put(community, count == null ? 1 : count + 1);
        }
    }
}
