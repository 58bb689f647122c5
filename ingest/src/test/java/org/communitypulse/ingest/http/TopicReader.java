package org.communitypulse.ingest.http;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;

/** Reads a whole activity topic from the beginning, for ITs. */
final class TopicReader {

    private TopicReader() {
    }

    /** Waits until at least {@code expected} records are there, then reads a little longer to catch extras. */
    static List<ConsumerRecord<String, ActivityEvent>> readAll(Map<String, Object> clientConfig,
                                                                Topic<String, ActivityEvent> topic, int expected) {
        List<ConsumerRecord<String, ActivityEvent>> records = new ArrayList<>();
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, ActivityEvent> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
