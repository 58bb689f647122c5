package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.Test;

/**
 * The delivery ledger lives in Kafka: a captured delivery replayed under a new delivery id is a duplicate after
 * the receiver restarted (a new instance on the same broker), and on another instance, including when two
 * instances receive the same delivery at the same moment. The activity topic holds each event once.
 */
class WebhookLedgerIT {

    @Test
    void shouldAnswerDuplicateAfterARestartAndOnAnotherInstanceWithoutNewEvents() throws Exception {
        String prefix = "it.ledger." + UUID.randomUUID() + ".";
        Topics topics = new Topics(prefix, new AvroSerdes(new InMemorySchemaRegistryClient(), true));
        Topic<String, ActivityEvent> activity = topics.activity();
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        props.put(WebhookServerConfig.DEFAULT_COMMUNITY_CONFIG, "octo");
        WebhookServerConfig config = new WebhookServerConfig(props);
        byte[] comment = WebhookSamples.bytes("github", "issue_comment.created");
        byte[] issue = WebhookSamples.bytes("github", "issues.opened");

        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().start()) {
            kafka.createTopics(1, activity.name());
            try (WebhookServer first = server(config, kafka, topics)) {
                HttpResponse<String> accepted = new WebhookClient(first.port()).post("/webhooks/github/octo",
                        WebhookClient.githubHeaders("issue_comment", comment, "d-1"), comment);
                assertThat(accepted.statusCode()).isEqualTo(200);
                assertThat(accepted.body()).contains("\"status\":\"accepted\"");
            }

            // Restart: a new instance, nothing in memory, the same broker.
            try (WebhookServer restarted = server(config, kafka, topics);
                 WebhookServer other = server(config, kafka, topics)) {
                WebhookClient a = new WebhookClient(restarted.port());
                WebhookClient b = new WebhookClient(other.port());
                HttpResponse<String> replay = a.post("/webhooks/github/octo",
                        WebhookClient.githubHeaders("issue_comment", comment, "d-2-forged"), comment);
                assertThat(replay.statusCode()).isEqualTo(200);
                assertThat(replay.body()).contains("\"status\":\"duplicate\"");

                // Two instances receive one delivery at the same moment: one owner.
                CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> a.post(
                        "/webhooks/github/octo", WebhookClient.githubHeaders("issues", issue, "d-3"), issue));
                CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> b.post(
                        "/webhooks/github/octo", WebhookClient.githubHeaders("issues", issue, "d-4"), issue));
                List<String> answers = List.of(onA.get(30, TimeUnit.SECONDS).body(), onB.get(30, TimeUnit.SECONDS)
                        .body());
                assertThat(answers.stream().filter(body -> body.contains("\"status\":\"accepted\""))).hasSize(1);
                assertThat(answers.stream().filter(body -> body.contains("duplicate")
                        || body.contains("delivery_in_progress"))).hasSize(1);

                // A later copy on either instance is a duplicate once the owner finished.
                for (WebhookClient client : List.of(a, b)) {
                    AtomicReference<HttpResponse<String>> later = new AtomicReference<>();
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                        later.set(client.post("/webhooks/github/octo",
                                WebhookClient.githubHeaders("issues", issue, UUID.randomUUID().toString()), issue));
                        return later.get().statusCode() != 503;
                    });
                    assertThat(later.get().body()).contains("\"status\":\"duplicate\"");
                }
            }

            List<ConsumerRecord<String, ActivityEvent>> records =
                    TopicReader.readAll(kafka.clientConfig(), activity, 2);
            assertThat(records).extracting(r -> r.value().getType().name())
                    .containsExactlyInAnyOrder("REPLY_CREATED", "THREAD_CREATED");
        }
    }

    private static WebhookServer server(WebhookServerConfig config, EmbeddedKafkaCluster kafka, Topics topics) {
        return WebhookServer.forKafka(config, WebhookClient.environment(), kafka.bootstrapServers(),
                topics.activity(), topics.erasures(), topics.webhookDeliveries(), Map.of()).start();
    }
}
