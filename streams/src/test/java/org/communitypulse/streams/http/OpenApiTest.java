package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
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

/**
 * The OpenAPI document at {@value PulseHttpServer#OPENAPI_PATH} describes exactly the routes the
 * server registers (built-in and the dashboard's), both ways: no undocumented route, no documented
 * route that does not exist.
 */
class OpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    @Test
    void shouldDescribeEveryRegisteredRouteAndNoOtherWhenServed(@TempDir Path state) throws Exception {
        KafkaStreams streams = notStartedStreams(state);
        try (Dashboard dashboard = new Dashboard(streams, new StreamsViewStores(streams, "o.activity"),
                Optional.of(new HostInfo("localhost", 1)));
             PulseHttpServer server = PulseHttpServer.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                     streams::state).extension(dashboard).start(TestTokens.settings())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + PulseHttpServer.OPENAPI_PATH)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            JsonNode doc = JSON.readTree(response.body());

            assertThat(doc.path("openapi").asText()).startsWith("3.");
            // The dashboard's routes are there: the capture is not limited to the built-in ones.
            assertThat(server.endpoints()).contains("GET " + Dashboard.COMMUNITIES_PATH + "/{id}/daily",
                    "GET " + Dashboard.EVENTS_PATH, "GET " + PulseHttpServer.OPENAPI_PATH);
            assertThat(documented(doc)).as("documented routes (left) and registered routes (right)")
                    .isEqualTo(new TreeSet<>(server.endpoints()));
            assertReferencesResolve(doc, doc);
        } finally {
            streams.close();
        }
    }

    @Test
    void shouldFailComparisonWhenARouteIsUndocumented() throws Exception {
        JsonNode doc = JSON.readTree(PulseHttpServer.openApi());
        Set<String> registered = new TreeSet<>(documented(doc));
        registered.add("GET /api/undocumented");
        assertThat(documented(doc)).isNotEqualTo(registered);
        assertThat(documented(doc)).contains("GET /api/communities/{id}/daily", "GET /metrics", "GET /ready");
    }

    /** {@code "GET /path"} for every operation in the document's {@code paths}. */
    static Set<String> documented(JsonNode doc) {
        Set<String> routes = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (HTTP_METHODS.contains(method)) {
                    routes.add(method.toUpperCase() + " " + path.getKey());
                }
            });
        }
        return routes;
    }

    /** Every local {@code $ref} points at something in the document. */
    private static void assertReferencesResolve(JsonNode doc, JsonNode node) {
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("target of %s", ref).isFalse();
        }
        node.elements().forEachRemaining(child -> assertReferencesResolve(doc, child));
    }

    private static KafkaStreams notStartedStreams(Path state) {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("o.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "openapi-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:1");
        return new KafkaStreams(EngagementTopology.build(topics, serdes, IntakeSettings.defaults(),
                EngagementSettings.defaults(), AlertSettings.defaults()), props);
    }
}
