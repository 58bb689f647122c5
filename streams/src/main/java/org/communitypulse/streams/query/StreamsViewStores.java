package org.communitypulse.streams.query;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.streams.common.ViewStores;

/** {@link ViewStores} of a running Kafka Streams instance: its active tasks only (standbys may lag). */
public final class StreamsViewStores implements ViewStores {

    private final KafkaStreams streams;
    private final String sourceTopic;

    /** @param sourceTopic the input topic whose partitions the view stores follow (the activity topic) */
    public StreamsViewStores(KafkaStreams streams, String sourceTopic) {
        this.streams = streams;
        this.sourceTopic = sourceTopic;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    @Override
    public <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name) {
        TreeSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    if (tp.topic().equals(sourceTopic)) {
                        partitions.add(tp.partition());
                    }
                }
            }
        }
        List<ReadOnlyKeyValueStore<String, V>> stores = new ArrayList<>();
        for (int partition : partitions) {
            stores.add(streams.store(StoreQueryParameters.<ReadOnlyKeyValueStore<String, V>>fromNameAndType(name,
                    QueryableStoreTypes.keyValueStore()).withPartition(partition)));
        }
        return stores;
    }
}
