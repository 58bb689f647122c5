package org.communitypulse.embedded.internals;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.communitypulse.embedded.KafkaCluster;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A one-broker cluster in Docker. Only {@code KafkaClusters} refers to this class, and only after
 * checking that Testcontainers is on the classpath, because that dependency is optional.
 */
public final class TestcontainersKafkaCluster implements KafkaCluster {

    private final KafkaContainer container;

    private TestcontainersKafkaCluster(KafkaContainer container) {
        this.container = container;
    }

    /** Starts the official Apache Kafka image {@code image} (e.g. {@code apache/kafka:4.1.0}). */
    public static TestcontainersKafkaCluster start(String image) {
        // The official image already runs a combined KRaft node; only the single-broker
        // replication settings need adjusting (same as the in-process broker).
        KafkaContainer container = new KafkaContainer(image)
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new TestcontainersKafkaCluster(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void createTopics(int partitions, String... names) {
        TopicAdmin.createTopics(bootstrapServers(), partitions, names);
    }

    @Override
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    @Override
    public void close() {
        container.stop();
    }
}
