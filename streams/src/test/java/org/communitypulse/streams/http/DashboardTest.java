package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.query.StreamsViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's answers while Kafka Streams cannot be queried (not started yet, as during a rebalance). */
class DashboardTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswer503WithRetryAfterWhenStateIsNotQueryable(@TempDir Path state) throws Exception {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("d.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dashboard-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:1");
        KafkaStreams streams = new KafkaStreams(EngagementTopology.build(topics, serdes, IntakeSettings.defaults(),
                EngagementSettings.defaults(), AlertSettings.defaults()), props);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Dashboard dashboard = new Dashboard(streams, new StreamsViewStores(streams, topics.activity().name()),
                Optional.of(new HostInfo("localhost", 1)));
             PulseHttpServer server = PulseHttpServer.builder(registry, streams::state).extension(dashboard).start(TestTokens.settings())) {
            for (String path : new String[] {Dashboard.COMMUNITIES_PATH, Dashboard.COMMUNITIES_PATH + "/c1",
                    Dashboard.COMMUNITIES_PATH + "/c1/daily?from=2026-01-01"}) {
                HttpResponse<String> response = get(server.port(), path);
                assertThat(response.statusCode()).as(path).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).as(path).contains(Dashboard.RETRY_AFTER_SECONDS);
                assertThat(response.body()).as(path).contains("\"error\"");
            }
            // An id that cannot be a community is refused before Kafka Streams is asked.
            assertThat(get(server.port(), Dashboard.COMMUNITIES_PATH + "/c%01/daily").statusCode()).isEqualTo(400);
            assertThat(get(server.port(), "/").statusCode()).isEqualTo(200);
        } finally {
            streams.close();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(TestTokens.get(port, path, TestTokens.ADMIN),
                HttpResponse.BodyHandlers.ofString());
    }
}
