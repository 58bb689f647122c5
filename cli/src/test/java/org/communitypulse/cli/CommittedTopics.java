package org.communitypulse.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(SharedPlatform.committedReader(),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
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
