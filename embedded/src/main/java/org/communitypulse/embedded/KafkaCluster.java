package org.communitypulse.embedded;

import java.util.Map;

/**
 * A running Kafka cluster that tests and the local run can talk to, whatever is behind it
 * (an in-process KRaft broker or a Testcontainers broker).
 *
 * <p>Obtain one with {@link KafkaClusters#start()} or {@link EmbeddedKafkaCluster#start()};
 * close it when done.
 */
public interface KafkaCluster extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:40123}. */
    String bootstrapServers();

    /**
     * Creates the given topics with replication factor 1. Topics that already exist are left alone,
     * so calling this twice with the same names is fine.
     *
     * @param partitions partitions for every newly created topic
     * @param names topic names
     */
    void createTopics(int partitions, String... names);

    /**
     * A fresh, mutable client configuration holding what every client needs to reach this cluster
     * (currently only {@code bootstrap.servers}); add producer/consumer settings to it.
     */
    Map<String, Object> clientConfig();

    /** Stops the cluster and releases its resources; never throws a checked exception. */
    @Override
    void close();
}
