package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.embedded.KafkaClusters;
import org.communitypulse.ingest.http.internals.WebhookMetrics;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signed documented payloads through the running receiver into the real in-process broker. */
class WebhookServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    private static Topic<String, ActivityEvent> newTopic() {
        return newTopic(new AvroSerdes(new InMemorySchemaRegistryClient(), true));
    }

    private static Topic<String, ActivityEvent> newTopic(AvroSerdes serdes) {
        String name = "it.webhooks." + UUID.randomUUID();
        cluster.createTopics(3, name);
        return new Topic<>(name, Serdes.String(), serdes.forValue(ActivityEvent.class));
    }

    private static WebhookServer server(Topic<String, ActivityEvent> topic) {
        return server(topic, null);
    }

    private static WebhookServer server(Topic<String, ActivityEvent> topic, Topic<String, ActivityEvent> erasures) {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        // Samples go to path communities signed with the platform-wide secrets (WebhookReplayAndCommunityTest
        // covers the default rule).
        props.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        props.put(WebhookServerConfig.communitiesConfig(WebhookSource.SLACK), "T123ABC456=team-chat");
        props.put(WebhookServerConfig.communitiesConfig(WebhookSource.DISCOURSE), "https://forum.example.org=forum");
        return WebhookServer.forKafka(new WebhookServerConfig(props), WebhookClient.environment(),
                cluster.bootstrapServers(), topic, erasures,
                new Topic<>(topic.name() + ".deliveries", Serdes.String(), Serdes.String()), Map.of()).start();
    }

    private static List<String> eventIds(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode ids = JSON.readTree(response.body()).get("eventIds");
        List<String> list = new ArrayList<>();
        if (ids != null) {
            ids.forEach(id -> list.add(id.asText()));
        }
        return list;
    }

    @Test
    void shouldPublishEveryDocumentedSampleOnceWhenSignedDeliveriesArriveTwice() throws Exception {
        Topic<String, ActivityEvent> topic = newTopic();
        List<String> expected = new ArrayList<>();
        try (WebhookServer server = server(topic)) {
            WebhookClient client = new WebhookClient(server.port());
            assertThat(client.get("/ready").statusCode()).isEqualTo(200);
            for (String sample : List.of("issues.opened", "issue_comment.created", "pull_request.opened",
                    "pull_request_review.submitted", "discussion.created", "discussion_comment.created",
                    "discussion.answered", "organization.member_added", "membership.added")) {
                byte[] body = WebhookSamples.bytes("github", sample);
                String event = sample.substring(0, sample.indexOf('.'));
                Map<String, String> headers = WebhookClient.githubHeaders(event, body, UUID.randomUUID().toString());
                expected.addAll(eventIds(client.post("/webhooks/github/octo", headers, body)));
                // A redelivery of the same delivery publishes nothing.
                assertThat(client.post("/webhooks/github/octo", headers, body).body()).contains("duplicate");
            }
            for (String sample : List.of("topic_created", "post_created", "post_edited", "post_liked",
                    "user_created", "user_added_to_group", "user_promoted", "user_badge_granted", "flag_created")) {
                expected.addAll(eventIds(client.discourse("/webhooks/discourse", sample,
                        WebhookSamples.bytes("discourse", sample))));
            }
            for (String sample : List.of("message", "message.thread_reply", "reaction_added",
                    "member_joined_channel", "member_left_channel", "team_join", "user_change")) {
                expected.addAll(eventIds(client.slack("/webhooks/slack", WebhookSamples.bytes("slack", sample))));
            }
            assertThat(client.github("/webhooks/github/octo", "ping", WebhookSamples.bytes("github", "ping")).body())
                    .contains("unmapped");
            assertThat(server.meterRegistry().find(WebhookMetrics.PUBLISHED).counters().stream()
                    .mapToDouble(c -> c.count()).sum()).isEqualTo(expected.size());
        }
        // post_edited repeats post_created's id: one item, two records with the same stable id.
        assertThat(expected).hasSize(25);
        List<ConsumerRecord<String, ActivityEvent>> records =
                TopicReader.readAll(cluster.clientConfig(), topic, expected.size());
        assertThat(records).hasSize(expected.size());
        assertThat(records.stream().map(r -> r.value().getEventId()).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getCommunityId()));
        assertThat(records.stream().map(r -> r.key()).distinct()).containsExactlyInAnyOrder("octo", "forum",
                "team-chat");
        assertThat(records.stream().map(r -> r.value().getType()).distinct()).contains(EventType.THREAD_CREATED,
                EventType.REPLY_CREATED, EventType.REACTION_ADDED, EventType.ANSWER_ACCEPTED, EventType.MEMBER_JOINED,
                EventType.MEMBER_LEFT, EventType.ROLE_GRANTED, EventType.MODERATION_ACTION, EventType.BADGE_AWARDED);
    }

    @Test
    void shouldWriteADeletedDiscourseAccountAsAnErasureRequestToEveryPartitionOfTheErasuresTopic() throws Exception {
        // One registry for both, as the application's Topics share one.
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topic<String, ActivityEvent> activity = newTopic(serdes);
        Topic<String, ActivityEvent> erasures = newTopic(serdes);
        byte[] body = "{\"user\":{\"id\":42,\"username\":\"ann\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> ids;
        try (WebhookServer server = server(activity, erasures)) {
            ids = eventIds(new WebhookClient(server.port()).discourse("/webhooks/discourse", "user_destroyed", body));
        }
        assertThat(ids).hasSize(1);
        // One copy per partition, keyed by the request (never the person): every pipeline task sees it.
        List<ConsumerRecord<String, ActivityEvent>> requests = TopicReader.readAll(cluster.clientConfig(), erasures, 3);
        assertThat(requests).hasSize(3).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(ids.get(0));
            assertThat(r.value().getType()).isEqualTo(EventType.MEMBER_ERASED);
            assertThat(r.value().getActorId()).isEqualTo("42");
            assertThat(r.value().getCommunityId()).isEqualTo("forum");
        });
        assertThat(requests).extracting(ConsumerRecord::partition).containsExactlyInAnyOrder(0, 1, 2);
        // Nothing on the activity topic, which the pipeline would dead-letter it from anyway.
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(cluster.clientConfig(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(activity.name()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(activity.name(), p.partition())).toList();
            assertThat(consumer.endOffsets(partitions).values()).containsOnly(0L);
        }
    }

    @Test
    void shouldAcknowledgeWithinMillisecondsWhenPublishingToBroker() throws Exception {
        Topic<String, ActivityEvent> topic = newTopic();
        int warmup = 50;
        int measured = 500;
        long[] latencies = new long[measured];
        ObjectNode payload = (ObjectNode) WebhookSamples.json("github", "issue_comment.created");
        try (WebhookServer server = server(topic)) {
            WebhookClient client = new WebhookClient(server.port());
            for (int i = 0; i < warmup + measured; i++) {
                ((ObjectNode) payload.get("comment")).put("id", 1_000_000 + i);
                byte[] body = JSON.writeValueAsBytes(payload);
                long started = System.nanoTime();
                HttpResponse<String> response = client.github("/webhooks/github/octo", "issue_comment", body);
                long nanos = System.nanoTime() - started;
                assertThat(response.statusCode()).isEqualTo(200);
                if (i >= warmup) {
                    latencies[i - warmup] = nanos;
                }
            }
        }
        java.util.Arrays.sort(latencies);
        double p50 = latencies[measured / 2] / 1e6;
        double p99 = latencies[measured * 99 / 100] / 1e6;
        System.out.printf("Accepted webhook latency over %d sequential requests (HTTP + ledger claim + Kafka acks): p50 %.2f ms, "
                + "p99 %.2f ms, max %.2f ms%n", measured, p50, p99, latencies[measured - 1] / 1e6);
        assertThat(TopicReader.readAll(cluster.clientConfig(), topic, warmup + measured)).hasSize(warmup + measured);
        // Generous bound for a shared 2-core machine; the figure itself is printed above.
        assertThat(p99).isLessThan(1_000);
    }
}
