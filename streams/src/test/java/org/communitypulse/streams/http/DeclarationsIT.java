package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/communities/{id}/declarations} on a running instance: the declaration goes to the activity topic
 * through the instance's own producer and the intake takes it once, however often it is posted; a declaration a
 * hand-written producer got wrong is dead-lettered as INVALID_DECLARATION and counted.
 */
class DeclarationsIT {

    @RegisterExtension
    static final RealPlatform PLATFORM = new RealPlatform();

    private static final String GOAL = """
            {"declaration": "goal", "signal": "wau", "target": 150, "evidence": "https://acme.example/plan",
             "declared_by": "head-of-community", "date": "2026-01-05"}""";

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Dashboard.COMMUNITIES_PATH
                        + "/acme/declarations")).header("Authorization", "Bearer " + TestTokens.ADMIN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldTakeAPostedDeclarationOnceAndDeadLetterAMalformedOne(@TempDir Path state) throws Exception {
        String prefix = "decl-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        try (PulseStreamsApp app = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, state, 1)) {
            int port = app.httpPort().orElseThrow();
            app.awaitRunning(Duration.ofSeconds(90));

            HttpResponse<String> first = post(port, GOAL);
            HttpResponse<String> again = post(port, GOAL);
            HttpResponse<String> refused = post(port, GOAL.replace("150", "\"many\""));
            ActivityEvent malformed = TestEvents.event("hand-made", "acme", EventType.EVIDENCE_DECLARED, null,
                    Instant.parse("2026-01-05T00:00:00Z"));
            malformed.setAttributes(Map.of("declaration", "budget", "evidence", "x", "declared_by", "cfo"));
            DashboardPipeline.produce(PLATFORM.kafka(), app, List.of(malformed));

            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(DashboardPipeline.JSON.readTree(first.body()).path("eventId").asText()).isNotBlank();
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("goal: 'target' is not a number: 'many'");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                PrometheusScrape scrape = PrometheusScrape.parse(http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + PulseHttpServer.METRICS_PATH)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertThat(scrape.sum(MetricsEndpointIT.INTAKE, intake(appId, "accepted", "none"))).isEqualTo(1.0);
                assertThat(scrape.sum(MetricsEndpointIT.INTAKE, intake(appId, "duplicate", "none"))).isEqualTo(1.0);
                assertThat(scrape.sum(MetricsEndpointIT.INTAKE, intake(appId, "dead_lettered", "INVALID_DECLARATION")))
                        .isEqualTo(1.0);
            });
        }
    }

    private static Map<String, String> intake(String application, String outcome, String reason) {
        return Map.of("application", application, "outcome", outcome, "reason", reason);
    }
}
