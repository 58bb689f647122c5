package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops under a running receiver: deliveries get 503 + Retry-After (and are not remembered as seen),
 * /ready turns 503, and once a broker is back on the same port and data the platform's retry is accepted and
 * lands exactly once, next to what was accepted before the outage.
 */
class WebhookBrokerOutageIT {

    @TempDir
    Path dataDir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldAnswer503AndThenDeliverOnceWhenBrokerComesBack() throws Exception {
        int port = freePort();
        Path data = Files.createDirectories(dataDir.resolve("kafka"));
        String topicName = "it.webhooks.outage." + UUID.randomUUID();
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topic<String, ActivityEvent> topic = new Topic<>(topicName, Serdes.String(),
                serdes.forValue(ActivityEvent.class));
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        // Samples go to path communities signed with the platform-wide secrets (WebhookReplayAndCommunityTest
        // covers the default rule).
        props.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        props.put(WebhookServerConfig.PUBLISH_TIMEOUT_MS_CONFIG, 2_000);
        props.put(WebhookServerConfig.READY_TIMEOUT_MS_CONFIG, 1_000);
        props.put(WebhookServerConfig.RETRY_AFTER_SECONDS_CONFIG, 7);

        EmbeddedKafkaCluster first = EmbeddedKafkaCluster.builder().port(port).dataDir(data).start();
        EmbeddedKafkaCluster second = null;
        try (WebhookServer server = WebhookServer.forKafka(new WebhookServerConfig(props),
                WebhookClient.environment(), first.bootstrapServers(), topic, Map.of()).start()) {
            first.createTopics(1, topicName);
            WebhookClient client = new WebhookClient(server.port());
            byte[] before = WebhookSamples.bytes("github", "issues.opened");
            HttpResponse<String> accepted = client.github("/webhooks/github/octo", "issues", before);
            assertThat(accepted.statusCode()).isEqualTo(200);

            first.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/ready").statusCode() == 503);
            byte[] during = WebhookSamples.bytes("github", "issue_comment.created");
            Map<String, String> delivery = WebhookClient.githubHeaders("issue_comment", during, "outage-1");
            long started = System.nanoTime();
            HttpResponse<String> refused = client.post("/webhooks/github/octo", delivery, during);
            long refusedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("7");
            // Refused again on the platform's first retry: still not remembered as seen.
            assertThat(client.post("/webhooks/github/octo", delivery, during).statusCode()).isEqualTo(503);
            System.out.printf("Broker down: 503 after %d ms%n", refusedMs);

            second = EmbeddedKafkaCluster.builder().port(port).dataDir(data).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/ready").statusCode() == 200);
            AtomicReference<HttpResponse<String>> retried = new AtomicReference<>();
            // The producer reconnects on its own; the platform keeps retrying until it gets a 2xx.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                retried.set(client.post("/webhooks/github/octo", delivery, during));
                return retried.get().statusCode() != 503;
            });
            assertThat(retried.get().statusCode()).isEqualTo(200);
            assertThat(retried.get().body()).contains("\"status\":\"accepted\"");
            assertThat(client.post("/webhooks/github/octo", delivery, during).body()).contains("duplicate");

            List<ConsumerRecord<String, ActivityEvent>> records =
                    TopicReader.readAll(second.clientConfig(), topic, 2);
            assertThat(records).hasSize(2);
            assertThat(records.get(0).value().getType().name()).isEqualTo("THREAD_CREATED");
            assertThat(records.get(1).value().getType().name()).isEqualTo("REPLY_CREATED");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
