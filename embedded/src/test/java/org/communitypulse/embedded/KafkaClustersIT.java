package org.communitypulse.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class KafkaClustersIT {

    @Test
    void shouldStartAWorkingClusterWhenModeIsAuto() throws Exception {
        String topic = "auto-" + UUID.randomUUID();
        long start = System.nanoTime();

        try (KafkaCluster cluster = KafkaClusters.start(new KafkaClustersConfig(
                java.util.Map.of(KafkaClustersConfig.KAFKA_MODE_CONFIG, "auto")))) {
            System.out.printf("KafkaClusters.start() (auto) took %d ms: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), cluster.getClass().getSimpleName());
            cluster.createTopics(2, topic);

            try (Admin admin = Admin.create(cluster.clientConfig())) {
                assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions())
                        .hasSize(2);
            }
        }
    }
}
