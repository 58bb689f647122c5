package org.communitypulse.streams.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.AlertAction;

/** Writes an acknowledgement or snooze to the actions topic; returns once the broker has it. */
@FunctionalInterface
public interface AlertActionPublisher extends AutoCloseable {

    /** @throws Exception when the action was not written (the caller answers 503: nothing happened) */
    void publish(AlertAction action) throws Exception;

    @Override
    default void close() {
    }

    /**
     * A Kafka producer for {@code topic}, keyed by community id (the partition of the community's activity).
     * {@code producerConfig}: bootstrap servers and the client security settings of the application.
     */
    static AlertActionPublisher kafka(Topic<String, AlertAction> topic, Map<String, Object> producerConfig,
                                      Duration timeout) {
        return new AlertActionPublisher() {
            // Created on the first action: most instances never write one, and a producer holds a thread.
            private KafkaProducer<String, AlertAction> producer;

            private synchronized KafkaProducer<String, AlertAction> producer() {
                if (producer == null) {
                    producer = new KafkaProducer<>(producerConfig, topic.keySerde().serializer(),
                            topic.valueSerde().serializer());
                }
                return producer;
            }

            @Override
            public void publish(AlertAction action) throws ExecutionException, InterruptedException, TimeoutException {
                // The record's timestamp is the action's time: Streams orders it with the activity by that.
                producer().send(new ProducerRecord<>(topic.name(), null, action.getAt().toEpochMilli(),
                        action.getCommunityId().toString(), action)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
