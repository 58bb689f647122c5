package org.communitypulse.streams.common;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.communitypulse.schemas.Topic;

/**
 * Writes what the HTTP API accepts (an alert action, a declaration) to its topic, keyed by community id (the
 * partition of the community's activity); returns once the broker has it, so a 202 means it is recorded.
 */
@FunctionalInterface
public interface TopicPublisher<V> extends AutoCloseable {

    /**
     * @param at the record's timestamp: Streams orders the record with the activity by it
     * @throws Exception when the record was not written (the caller answers 503: nothing happened)
     */
    void publish(String key, Instant at, V value) throws Exception;

    @Override
    default void close() {
    }

    /**
     * An idempotent Kafka producer for {@code topic}, created on the first record: most instances never write one,
     * and a producer holds a thread. {@code producerConfig}: bootstrap servers and the client security settings.
     */
    static <V> TopicPublisher<V> kafka(Topic<String, V> topic, Map<String, Object> producerConfig, Duration timeout) {
        Map<String, Object> config = new HashMap<>(producerConfig);
        // A retried send after a lost acknowledgement must not write the record twice.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new TopicPublisher<>() {
            private KafkaProducer<String, V> producer;

            private synchronized KafkaProducer<String, V> producer() {
                if (producer == null) {
                    producer = new KafkaProducer<>(config, topic.keySerde().serializer(), topic.valueSerde().serializer());
                }
                return producer;
            }

            @Override
            public void publish(String key, Instant at, V value) throws Exception {
                producer().send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, value))
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public synchronized void close() {
                if (producer != null) {
                    producer.close(Duration.ofSeconds(5));
                }
            }
        };
    }
}
