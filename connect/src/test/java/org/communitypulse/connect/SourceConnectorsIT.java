package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.discourse.DiscourseItems;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connectors in Connect's own embedded runtime ({@link EmbeddedConnectCluster}: distributed workers on a real
 * KRaft broker) against a real schema registry (Apicurio): records are checked by decoding them as the pipeline
 * does, and restarts mid-input must leave the topic holding every event exactly once, in order.
 */
class SourceConnectorsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static ApicurioRegistry registry;
    private static EmbeddedConnectCluster connect;
    private static RestSchemaRegistryClient registryClient;
    private static Deserializer<ActivityEvent> values;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        registry = ApicurioRegistry.start();
        registryClient = new RestSchemaRegistryClient(registry.ccompatUrl());
        values = new AvroSerdes(registryClient, false).forValue(ActivityEvent.class).deserializer();
        Map<String, String> worker = new HashMap<>();
        worker.put("offset.flush.interval.ms", "500");
        // A lost worker's tasks move to the others after 1 s instead of the default 5 minutes.
        worker.put("scheduled.rebalance.max.delay.ms", "1000");
        connect = new EmbeddedConnectCluster.Builder().name("pulse-connect-it").numWorkers(2).numBrokers(1)
                .workerProps(worker).build();
        connect.start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.stop();
        }
        if (registryClient != null) {
            registryClient.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static Map<String, String> base(String prefix, String community) {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, community);
        props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.KEY_CONVERTER);
        props.put(Converters.VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
        return props;
    }

    /** The file connector on {@code paths} (comma-separated CloudEvents files) for community makers. */
    private static Map<String, String> fileImport(String prefix, int tasks, String paths) {
        Map<String, String> props = base(prefix, "makers");
        props.put("connector.class", FileImportSourceConnector.class.getName());
        props.put("tasks.max", Integer.toString(tasks));
        props.put(FileImportConfig.SOURCE_CONFIG, "cloudevents");
        props.put(FileImportConfig.PATHS_CONFIG, paths);
        return props;
    }

    private static long published(String topic) {
        try {
            return connect.kafka().endOffset(new TopicPartition(topic, 0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of the topic, decoded as the pipeline decodes it; keys checked against the community. */
    private static List<ActivityEvent> events(String topic, String community) throws Exception {
        List<ActivityEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : connect.kafka().consumeAll(PATIENCE.toMillis(), topic)) {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(community);
            events.add(values.deserialize(topic, record.value()));
        }
        return events;
    }

    /** Waits until the topic stops growing for a while: nothing more (no late duplicate) is coming. */
    private static void awaitSettled(String topic, long expected) {
        await().atMost(PATIENCE).until(() -> published(topic) >= expected);
        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> published(topic) == expected);
    }

    /** A CloudEvents export of {@code lines} activity events plus two broken lines. */
    private Path cloudEvents(String name, int lines) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            out.add("{\"specversion\":\"1.0\",\"id\":\"" + name + "-" + i + "\",\"source\":\"https://forum.example.org/\","
                    + "\"type\":\"org.communitypulse.activity\",\"time\":\"2024-03-01T10:15:00Z\",\"data\":{"
                    + "\"type\":\"" + (i % 5 == 0 ? "THREAD_CREATED" : "REPLY_CREATED") + "\",\"actorId\":\"m" + (i % 37)
                    + "\",\"threadId\":\"t-" + (i / 5) + "\",\"channel\":\"printing\"}}");
            if (i == lines / 3 || i == 2 * lines / 3) {
                out.add("{\"specversion\":\"1.0\",\"id\":\"bad-" + i + "\",\"type\":\"com.example.order\"}");
            }
        }
        return Files.write(dir.resolve(name + ".jsonl"), out);
    }

    /** The ids {@code pulse import} makes of the file, in order. */
    private static List<String> importedIds(Path file, String community) {
        CollectingEventSink imported = new CollectingEventSink();
        ImportSummary summary = ImportSource.CLOUDEVENTS.run(file, community, imported, ProgressListener.NONE,
                MemberPseudonymiser.none());
        assertThat(summary.rejectedTotal()).isEqualTo(2);
        return ids(imported.events());
    }

    private static List<String> ids(List<ActivityEvent> events) {
        return events.stream().map(ActivityEvent::getEventId).toList();
    }

    @Test
    void shouldPublishEveryEventExactlyOnceWhenFileConnectorStoppedAndResumedMidFile() throws Exception {
        String prefix = "it-stop.";
        String topic = prefix + "activity";
        connect.kafka().createTopic(topic, 1);
        Path file = cloudEvents("stop", 3000);
        List<String> expected = importedIds(file, "makers");
        assertThat(expected).hasSize(3000).doesNotHaveDuplicates();

        Map<String, String> props = fileImport(prefix, 1, file.toString());
        // About 10 s for the file: time to stop it midway even on a loaded machine.
        props.put(FileImportConfig.MAX_EVENTS_PER_SECOND_CONFIG, "300");
        props.put(PulseConnectConfig.BATCH_SIZE_CONFIG, "50");
        connect.configureConnector("file-stop", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("file-stop", 1, "file connector runs");

        await().atMost(PATIENCE).until(() -> published(topic) >= 700);
        connect.stopConnector("file-stop");
        connect.assertions().assertConnectorIsStopped("file-stop", "file connector stopped");
        long atStop = published(topic);
        await().during(Duration.ofSeconds(1)).atMost(PATIENCE).until(() -> published(topic) == atStop);
        assertThat(atStop).as("stopped mid-file").isLessThan(3000);

        connect.resumeConnector("file-stop");
        awaitSettled(topic, 3000);
        assertThat(ids(events(topic, "makers"))).containsExactlyElementsOf(expected);
        ConnectorOffset offset = connect.connectorOffsets("file-stop").offsets().get(0);
        assertThat(((Number) offset.offset().get(FileImportSourceTask.OFFSET_EVENTS)).longValue()).isEqualTo(3000);
        assertThat(offset.offset().get(FileImportSourceTask.OFFSET_DONE)).isEqualTo(true);
        assertThat(offset.partition().get(FileImportSourceTask.PARTITION_PATH)).isEqualTo(file.toString());
        connect.deleteConnector("file-stop");
    }

    @Test
    void shouldPublishLargeFileCompletelyWhenUnthrottled() throws Exception {
        String prefix = "it-bulk.";
        String topic = prefix + "activity";
        connect.kafka().createTopic(topic, 1);
        Path file = cloudEvents("bulk", 50_000);
        List<String> expected = importedIds(file, "makers");

        Map<String, String> props = fileImport(prefix, 1, file.toString());
        long start = System.nanoTime();
        connect.configureConnector("file-bulk", props);
        await().atMost(PATIENCE).until(() -> published(topic) >= expected.size());
        double seconds = (System.nanoTime() - start) / 1e9;
        // A figure for docs/connect.md; 2 shared cores, broker and two workers in this JVM.
        System.out.printf("file connector: %,d events in %.1f s (%,.0f events/s) from connector creation%n",
                expected.size(), seconds, expected.size() / seconds);
        awaitSettled(topic, expected.size());
        assertThat(ids(events(topic, "makers"))).containsExactlyElementsOf(expected);
        connect.deleteConnector("file-bulk");
    }

    @Test
    void shouldResumeEachFileOnAnotherWorkerWhenWorkerRemovedMidImport() throws Exception {
        String prefix = "it-worker.";
        String topic = prefix + "activity";
        connect.kafka().createTopic(topic, 1);
        Path first = cloudEvents("first", 1500);
        Path second = cloudEvents("second", 1500);
        List<String> expectedFirst = importedIds(first, "makers");
        List<String> expectedSecond = importedIds(second, "makers");

        Map<String, String> props = fileImport(prefix, 2, first + "," + second);
        props.put(FileImportConfig.MAX_EVENTS_PER_SECOND_CONFIG, "300");
        props.put(PulseConnectConfig.BATCH_SIZE_CONFIG, "50");
        connect.configureConnector("file-worker", props);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("file-worker", 2, "two tasks run");

        await().atMost(PATIENCE).until(() -> published(topic) >= 800);
        connect.removeWorker();
        connect.assertions().assertExactlyNumWorkersAreUp(1, "one worker left");
        long atRemoval = published(topic);
        assertThat(atRemoval).as("removed mid-import").isLessThan(3000);

        awaitSettled(topic, 3000);
        List<ActivityEvent> events = events(topic, "makers");
        // Two tasks interleave on the topic; each file's events must be complete, once and in order.
        Map<Boolean, List<String>> byFile = ids(events).stream()
                .collect(Collectors.partitioningBy(expectedFirst::contains));
        assertThat(byFile.get(true)).containsExactlyElementsOf(expectedFirst);
        assertThat(byFile.get(false)).containsExactlyElementsOf(expectedSecond);
        connect.deleteConnector("file-worker");
        connect.addWorker();
        connect.assertions().assertExactlyNumWorkersAreUp(2, "worker back for the other tests");
    }

    @Test
    void shouldFollowNewPostsExactlyOnceWhenPollerStoppedAndResumed() throws Exception {
        String prefix = "it-poller.";
        String topic = prefix + "activity";
        connect.kafka().createTopic(topic, 1);
        // Where the poller's day counts go (the pipeline creates it; this broker creates no topic on its own).
        connect.kafka().createTopic(prefix + "platform.counts", 1);
        try (FakeForum forum = new FakeForum()) {
            // Posts 1..10: topics 100 and 101 opened, replies, one whisper (post_type 4, not counted).
            addPosts(forum, 1, 10);
            Map<String, String> props = base(prefix, "forum");
            props.put("connector.class", DiscoursePollerSourceConnector.class.getName());
            props.put("tasks.max", "1");
            props.put(DiscoursePollerConfig.URL_CONFIG, forum.url());
            props.put(DiscoursePollerConfig.API_KEY_CONFIG, FakeForum.KEY);
            props.put(DiscoursePollerConfig.POLL_INTERVAL_MS_CONFIG, "300");
            // It also publishes day counts keyed by Avro CommunityDayKey, so it serializes keys itself.
            props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.POLLER_KEY_CONVERTER);
            // This forum serves posts only (users need an admin key and have their own test).
            props.put(DiscoursePollerConfig.FOLLOW_USERS_CONFIG, "false");
            connect.configureConnector("poller", props);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("poller", 1, "poller runs");
            awaitSettled(topic, 9);

            addPosts(forum, 11, 20);
            awaitSettled(topic, 18);

            connect.stopConnector("poller");
            connect.assertions().assertConnectorIsStopped("poller", "poller stopped");
            addPosts(forum, 21, 30);
            forum.rateLimitNext(2);
            connect.resumeConnector("poller");
            awaitSettled(topic, 27);

            List<String> expected = expectedPostIds(30);
            assertThat(ids(events(topic, "forum"))).containsExactlyElementsOf(expected);
            Object lastPost = connect.connectorOffsets("poller").offsets().get(0).offset()
                    .get(DiscoursePollerSourceTask.OFFSET_POST_ID);
            assertThat(((Number) lastPost).longValue()).isEqualTo(30);
            assertThat(forum.requests()).contains("/posts.json?before=27");
            assertThat(forum.rateLimited()).as("both 429s were answered and waited out").isEqualTo(2);
            assertThat(published(prefix + "platform.counts")).as("a day count after each poll").isPositive();
            // Before the forum goes away, so the task is not left waiting on a dead server.
            connect.deleteConnector("poller");
        }
    }

    /** Post 5 of every ten is a whisper; posts 1 and 11 and 21 open topics. */
    private static void addPosts(FakeForum forum, int from, int to) {
        for (int id = from; id <= to; id++) {
            long topic = 100 + (id - 1) / 10;
            forum.post(id, topic, (id - 1) % 10 + 1, id % 10 == 5 ? 4 : 1);
        }
    }

    /** The ids the webhooks and pulse import give posts 1..upTo (whispers have none). */
    private static List<String> expectedPostIds(int upTo) throws IOException {
        DiscourseItems items = new DiscourseItems(MemberPseudonymiser.none());
        ObjectMapper json = new ObjectMapper();
        JsonNode noTopic = JsonNodeFactory.instance.objectNode();
        List<String> ids = new ArrayList<>();
        for (int id : IntStream.rangeClosed(1, upTo).toArray()) {
            if (id % 10 == 5) {
                continue;
            }
            long topic = 100 + (id - 1) / 10;
            JsonNode post = json.readTree("{\"id\":" + id + ",\"topic_id\":" + topic + ",\"post_number\":"
                    + ((id - 1) % 10 + 1) + ",\"post_type\":1,\"user_id\":" + (10 + id % 4)
                    + ",\"category_id\":3,\"created_at\":\"2024-06-0" + (1 + id % 9) + "T10:00:00.000Z\"}");
            ids.add(items.post(noTopic, post, "forum").events().get(0).getEventId());
        }
        return ids;
    }
}
