package org.communitypulse.ingest.stackexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.embedded.KafkaClusters;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The importer against a real broker, with the project's Confluent-format Avro serdes. */
class StackExchangeImportIT {

    private static final String COMMUNITY = "bicycles.meta";

    private static KafkaCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaClusters.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The real dump when it is there (about 18k events), else the small hand-written one. */
    private static Path dump() throws URISyntaxException {
        String shared = System.getProperty("pulse.shared.data");
        if (shared != null) {
            Path real = Path.of(shared, "stackexchange", "bicycles.meta");
            if (Files.isDirectory(real)) {
                return real;
            }
        }
        return StackExchangeImporterTest.sampleDump();
    }

    private static ImportSummary importInto(Topic<String, ActivityEvent> topic, Path dump) {
        try (KafkaEventSink sink = new KafkaEventSink(cluster.bootstrapServers(), topic, Map.of())) {
            ImportSummary summary = new StackExchangeImporter().run(dump, COMMUNITY, sink, ProgressListener.NONE);
            assertThat(sink.sent()).isEqualTo(summary.totalEvents());
            assertThat(sink.acknowledged()).isEqualTo(summary.totalEvents());
            return summary;
        }
    }

    @Test
    void shouldDeliverEveryEventKeyedByCommunityAndReuseIdsWhenImportedTwice() throws Exception {
        String topicName = "it.activity." + UUID.randomUUID();
        cluster.createTopics(3, topicName);
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topic<String, ActivityEvent> topic = new Topic<>(topicName, Serdes.String(),
                serdes.forValue(ActivityEvent.class));
        Path dump = dump();

        ImportSummary first = importInto(topic, dump);
        ImportSummary second = importInto(topic, dump);
        assertThat(first.totalEvents()).isPositive().isEqualTo(second.totalEvents());

        long expected = first.totalEvents() * 2;
        List<ConsumerRecord<String, ActivityEvent>> records = new ArrayList<>();
        Map<String, Object> config = cluster.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, ActivityEvent> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topicName));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // Nothing beyond the expected records (e.g. duplicates from retries).
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }

        assertThat(records).hasSize((int) expected);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(COMMUNITY);
            assertThat(r.value().getCommunityId()).isEqualTo(COMMUNITY);
        });
        // One community key: everything lands in one partition, in import order.
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        Map<String, Integer> timesSeen = new HashMap<>();
        records.forEach(r -> timesSeen.merge(r.value().getEventId(), 1, Integer::sum));
        assertThat(timesSeen).hasSize((int) first.totalEvents());
        assertThat(timesSeen.values()).containsOnly(2);
        List<String> firstRun = records.subList(0, (int) first.totalEvents()).stream()
                .map(r -> r.value().getEventId()).toList();
        List<String> secondRun = records.subList((int) first.totalEvents(), records.size()).stream()
                .map(r -> r.value().getEventId()).toList();
        assertThat(secondRun).isEqualTo(firstRun);
    }

    @Test
    void shouldStopImportWithClearMessageWhenBrokerRejectsEvents() throws Exception {
        String topicName = "it.activity.rejected." + UUID.randomUUID();
        cluster.createTopics(1, topicName);
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topic<String, ActivityEvent> topic = new Topic<>(topicName, Serdes.String(),
                serdes.forValue(ActivityEvent.class));
        // Every record is larger than this, so each send fails: the import must stop, not go on silently.
        try (KafkaEventSink sink = new KafkaEventSink(cluster.bootstrapServers(), topic,
                Map.of("max.request.size", 64))) {
            assertThatThrownBy(() -> new StackExchangeImporter().run(StackExchangeImporterTest.sampleDump(),
                    COMMUNITY, sink, ProgressListener.NONE))
                    .isInstanceOf(ImportException.class)
                    .hasMessageContaining("on topic " + topicName)
                    .hasMessageContaining("RecordTooLargeException");
            assertThat(sink.acknowledged()).isZero();
        }
    }

    @Test
    void shouldFailWithClearMessageWithinThirtySecondsWhenBrokerIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String bootstrap = "localhost:" + port;
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topic<String, ActivityEvent> topic = new Topic<>("it.unreachable", Serdes.String(),
                serdes.forValue(ActivityEvent.class));
        long start = System.nanoTime();
        // Default settings: what the CLI does.
        assertThatThrownBy(() -> new KafkaEventSink(bootstrap, topic, Map.of()))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("Cannot reach Kafka at " + bootstrap + " within 15 s: ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
}
