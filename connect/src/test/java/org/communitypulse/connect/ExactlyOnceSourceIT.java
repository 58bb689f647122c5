package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file connector on a worker with {@code exactly.once.source.support=enabled} and the connector asking for
 * {@code exactly.once.support=required}: Connect accepts it (the connector declares support) and commits records
 * and offsets in transactions; a stop and resume mid-file leaves every event once, in order, for a
 * read_committed consumer.
 */
class ExactlyOnceSourceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static ApicurioRegistry registry;
    private static EmbeddedConnectCluster connect;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        registry = ApicurioRegistry.start();
        Map<String, String> worker = new HashMap<>();
        worker.put("exactly.once.source.support", "enabled");
        worker.put("offset.flush.interval.ms", "500");
        // One broker: the transaction log needs one replica to exist at all.
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        connect = new EmbeddedConnectCluster.Builder().name("pulse-connect-eos-it").numWorkers(1).numBrokers(1)
                .workerProps(worker).brokerProps(broker).build();
        connect.start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.stop();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static long committed(String topic) throws Exception {
        return connect.kafka().consumeAll(PATIENCE.toMillis(), readCommitted(), null, topic).count();
    }

    private static Map<String, Object> readCommitted() {
        return Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    @Test
    void shouldPublishEveryEventOnceInTransactionsWhenStoppedAndResumedMidFile() throws Exception {
        String topic = "it-eos.activity";
        connect.kafka().createTopic(topic, 1);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            lines.add("{\"specversion\":\"1.0\",\"id\":\"eos-" + i + "\",\"source\":\"https://forum.example.org/\","
                    + "\"type\":\"org.communitypulse.activity\",\"time\":\"2024-03-01T10:15:00Z\",\"data\":"
                    + "{\"type\":\"REPLY_CREATED\",\"actorId\":\"m" + i % 11 + "\",\"threadId\":\"t-" + i / 3 + "\"}}");
        }
        Path file = Files.write(dir.resolve("eos.jsonl"), lines);
        CollectingEventSink imported = new CollectingEventSink();
        ImportSource.CLOUDEVENTS.run(file, "makers", imported, ProgressListener.NONE, MemberPseudonymiser.none());
        List<String> expected = imported.events().stream().map(ActivityEvent::getEventId).toList();

        Map<String, String> props = new HashMap<>();
        props.put("connector.class", FileImportSourceConnector.class.getName());
        props.put("tasks.max", "1");
        props.put("exactly.once.support", "required");
        props.put(FileImportConfig.SOURCE_CONFIG, "cloudevents");
        props.put(FileImportConfig.PATHS_CONFIG, file.toString());
        props.put(FileImportConfig.MAX_EVENTS_PER_SECOND_CONFIG, "250");
        props.put(PulseConnectConfig.BATCH_SIZE_CONFIG, "50");
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, "makers");
        props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, "it-eos.");
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.KEY_CONVERTER);
        props.put(Converters.VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
        connect.configureConnector("file-eos", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("file-eos", 1, "runs with exactly-once");

        await().atMost(PATIENCE).until(() -> committed(topic) >= 500);
        connect.stopConnector("file-eos");
        connect.assertions().assertConnectorIsStopped("file-eos", "stopped");
        assertThat(committed(topic)).as("stopped mid-file").isLessThan(2000);
        connect.resumeConnector("file-eos");
        await().atMost(PATIENCE).until(() -> committed(topic) >= 2000);
        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> committed(topic) == 2000);

        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.ccompatUrl())) {
            Deserializer<ActivityEvent> values = new AvroSerdes(client, false).forValue(ActivityEvent.class)
                    .deserializer();
            List<String> ids = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record
                    : connect.kafka().consumeAll(PATIENCE.toMillis(), readCommitted(), null, topic)) {
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("makers");
                ids.add(values.deserialize(topic, record.value()).getEventId());
            }
            assertThat(ids).containsExactlyElementsOf(expected);
        }
    }
}
