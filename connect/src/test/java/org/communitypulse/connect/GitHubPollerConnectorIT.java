package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.ingest.github.FakeGitHub;
import org.communitypulse.ingest.github.FakeGitHub.Delivery;
import org.communitypulse.ingest.github.GitHubPayloadMapper;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GitHub poller in Connect's own runtime (a distributed worker on a real KRaft broker, a real Apicurio
 * registry) against {@link FakeGitHub}: stopped and resumed while the repository grows, it publishes every item
 * once, in order, with the webhook's event ids, and its committed offset is the per-list cursor.
 */
class GitHubPollerConnectorIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");
    private static final String COMMUNITY = "octo";

    private static ApicurioRegistry registry;
    private static EmbeddedConnectCluster connect;
    private static RestSchemaRegistryClient registryClient;
    private static Deserializer<ActivityEvent> values;

    @BeforeAll
    static void start() {
        registry = ApicurioRegistry.start();
        registryClient = new RestSchemaRegistryClient(registry.ccompatUrl());
        values = new AvroSerdes(registryClient, false).forValue(ActivityEvent.class).deserializer();
        connect = new EmbeddedConnectCluster.Builder().name("pulse-github-it").numWorkers(1).numBrokers(1)
                .workerProps(new HashMap<>(Map.of("offset.flush.interval.ms", "500"))).build();
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

    @Test
    void shouldPublishEveryItemOnceWithWebhookIdsWhenStoppedAndResumed() throws Exception {
        String prefix = "it-github.";
        String topic = prefix + "activity";
        connect.kafka().createTopic(topic, 1);
        connect.kafka().createTopic(prefix + "platform.counts", 1);
        try (FakeGitHub github = new FakeGitHub(1000, 60_000, 2)) {
            List<Delivery> deliveries = new ArrayList<>();
            deliveries.add(github.open(false, 11, T));
            deliveries.add(github.open(true, 12, T.plusSeconds(60)));
            deliveries.add(github.open(false, 13, T.plusSeconds(120)));
            deliveries.add(github.open(false, 14, T.plusSeconds(120)));
            Map<String, String> props = new HashMap<>();
            props.put("connector.class", GitHubPollerSourceConnector.class.getName());
            props.put("tasks.max", "1");
            props.put(PulseConnectConfig.COMMUNITY_CONFIG, COMMUNITY);
            props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, prefix);
            props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.ccompatUrl());
            props.put(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.POLLER_KEY_CONVERTER);
            props.put(Converters.VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
            props.put(GitHubPollerConfig.URL_CONFIG, github.url().toString());
            props.put(GitHubPollerConfig.TOKEN_CONFIG, FakeGitHub.TOKEN);
            props.put(GitHubPollerConfig.REPOSITORIES_CONFIG, FakeGitHub.FULL_NAME);
            props.put(GitHubPollerConfig.POLL_INTERVAL_MS_CONFIG, "300");
            connect.configureConnector("github", props);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("github", 1, "poller runs");
            awaitSettled(topic, 4);

            connect.stopConnector("github");
            connect.assertions().assertConnectorIsStopped("github", "poller stopped");
            // While stopped: one more issue at the very instant of the last two, and later ones.
            deliveries.add(github.open(false, 15, T.plusSeconds(120)));
            deliveries.add(github.open(true, 16, T.plusSeconds(180)));
            deliveries.add(github.open(false, 17, T.plusSeconds(240)));
            github.secondaryLimitNext(1);
            connect.resumeConnector("github");
            awaitSettled(topic, 7);

            GitHubPayloadMapper mapper = new GitHubPayloadMapper(MemberPseudonymiser.none());
            List<String> expected = deliveries.stream().map(d -> mapper.map(d.event(), d.payload(), COMMUNITY,
                    Instant.now()).events().get(0).getEventId()).toList();
            assertThat(ids(topic)).containsExactlyElementsOf(expected);
            assertThat(github.secondaryLimited()).isEqualTo(1);

            Map<String, ?> offset = connect.connectorOffsets("github").offsets().stream()
                    .filter(o -> FakeGitHub.FULL_NAME.equals(o.partition().get(GitHubPollerSourceTask
                            .PARTITION_REPOSITORY))).map(ConnectorOffset::offset).findFirst().orElseThrow();
            assertThat(offset.get("issues.since")).isEqualTo(T.plusSeconds(240).toString());
            assertThat(offset.get("issues.seen")).isEqualTo("7");
            assertThat(connect.kafka().endOffset(new TopicPartition(prefix + "platform.counts", 0)))
                    .as("day counts after each poll").isPositive();
            connect.deleteConnector("github");
        }
    }

    private static List<String> ids(String topic) throws Exception {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : connect.kafka().consumeAll(PATIENCE.toMillis(), topic)) {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(COMMUNITY);
            ids.add(values.deserialize(topic, record.value()).getEventId());
        }
        return ids;
    }

    private static void awaitSettled(String topic, long expected) {
        await().atMost(PATIENCE).until(() -> endOffset(topic) >= expected);
        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> endOffset(topic) == expected);
    }

    private static long endOffset(String topic) {
        try {
            return connect.kafka().endOffset(new TopicPartition(topic, 0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
