package org.communitypulse.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

class EmbeddedKafkaClusterIT {

    private static EmbeddedKafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        long start = System.nanoTime();
        cluster = EmbeddedKafkaCluster.start();
        System.out.printf("Embedded broker started in %d ms; test JVM %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), selfRss());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String selfRss() {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS")).findFirst().orElse("VmRSS n/a");
        } catch (java.io.IOException e) {
            return "VmRSS n/a";
        }
    }

    private static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void shouldCreateTopicsIdempotentlyWhenCalledTwice() throws Exception {
        String topic = uniqueTopic("idem");

        cluster.createTopics(3, topic);
        cluster.createTopics(3, topic);

        try (Admin admin = Admin.create(cluster.clientConfig())) {
            assertThat(admin.listTopics().names().get()).contains(topic);
            assertThat(admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions())
                    .hasSize(3);
        }
    }

    @Test
    void shouldDeliverOnlyCommittedRecordsWhenReadingReadCommitted() {
        String topic = uniqueTopic("tx");
        cluster.createTopics(1, topic);

        try (KafkaProducer<String, String> producer = transactionalProducer(cluster)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k1", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k2", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k3", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }

        assertThat(readValues(cluster, topic, 2)).containsExactly("committed-1", "committed-2");
    }

    @Test
    void shouldKeepRecordsWhenRestartedOnTheSameDataDirectory(@TempDir Path dataDir) {
        String topic = uniqueTopic("persist");
        long firstStart = System.nanoTime();
        try (EmbeddedKafkaCluster first = EmbeddedKafkaCluster.start(dataDir)) {
            System.out.printf("Persistent broker first start in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstStart));
            first.createTopics(1, topic);
            try (KafkaProducer<String, String> producer = transactionalProducer(first)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "before-restart"));
                producer.commitTransaction();
            }
        }

        long secondStart = System.nanoTime();
        try (EmbeddedKafkaCluster second = EmbeddedKafkaCluster.start(dataDir)) {
            System.out.printf("Persistent broker restart in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - secondStart));
            second.createTopics(1, topic);
            try (KafkaProducer<String, String> producer = transactionalProducer(second)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "after-restart"));
                producer.commitTransaction();
            }
            assertThat(second.dataDir()).contains(dataDir.toAbsolutePath());
            assertThat(readValues(second, topic, 2)).containsExactly("before-restart", "after-restart");
        }
    }

    @Test
    void shouldListenOnTheGivenPortWhenAFixedPortIsRequested(@TempDir Path dataDir) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String topic = uniqueTopic("fixed-port");

        // The local run's combination: fixed port and a kept data directory, started twice.
        for (int run = 0; run < 2; run++) {
            try (EmbeddedKafkaCluster fixed = EmbeddedKafkaCluster.builder().port(port).dataDir(dataDir).start()) {
                fixed.createTopics(1, topic);

                assertThat(fixed.bootstrapServers()).isEqualTo("localhost:" + port);
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port))) {
                    assertThat(admin.listTopics().names().get()).contains(topic);
                }
            }
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaCluster target) {
        Map<String, Object> config = target.clientConfig();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static List<String> readValues(KafkaCluster source, String topic, int expected) {
        Map<String, Object> config = source.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
            // One more poll: an aborted record slipping through would show up here.
            consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
        }
        return values;
    }
}
