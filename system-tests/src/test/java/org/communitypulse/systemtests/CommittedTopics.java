package org.communitypulse.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.schemas.Topic;

/** Reads a topic of the shared platform as a {@code read_committed} consumer sees it now. */
final class CommittedTopics {

    private CommittedTopics() {
    }

    /**
     * Every committed record of every partition, from the beginning to the end offsets taken when the read starts
     * (so a topic still being written returns what was there then, rather than never returning).
     */
    static <K, V> List<ConsumerRecord<K, V>> readAll(Topic<K, V> topic) {
        return readAll(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** As above, the raw bytes of the topic named {@code topic}. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return readAll(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static <K, V> List<ConsumerRecord<K, V>> readAll(String topic, Deserializer<K> keys, Deserializer<V> values) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(SharedPlatform.committedReader(), keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
