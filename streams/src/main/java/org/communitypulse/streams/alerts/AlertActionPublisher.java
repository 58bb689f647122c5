package org.communitypulse.streams.alerts;

import java.time.Duration;
import java.util.Map;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.streams.common.TopicPublisher;

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
        TopicPublisher<AlertAction> records = TopicPublisher.kafka(topic, producerConfig, timeout);
        return new AlertActionPublisher() {
            @Override
            public void publish(AlertAction action) throws Exception {
                records.publish(action.getCommunityId().toString(), action.getAt(), action);
            }

            @Override
            public void close() {
                records.close();
            }
        };
    }
}
