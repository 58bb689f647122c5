package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/communities/{id}/declarations} through the real HTTP server: admin scope only, the parser's
 * message as a 400, nothing published unless accepted, the same id for the same declaration, 503 when not written.
 */
class DeclarationRoutesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final String PATH = Dashboard.COMMUNITIES_PATH + "/bikes/declarations";
    private static final String GOAL = """
            {"declaration": "goal", "signal": "wau", "target": 150, "deadline": "2026-12-31",
             "evidence": "https://bikes.example/plan", "declared_by": "head-of-community", "date": "2026-05-04"}""";

    private record Published(String key, Instant at, ActivityEvent event) {
    }

    private final DashboardServer.Broker<Published> broker = new DashboardServer.Broker<>();
    private final List<Published> published = broker.written;
    private final ObjectMapper json = new ObjectMapper();
    private DashboardServer server;

    private void start(boolean withPublisher) {
        server = DashboardServer.start(dashboard -> {
            if (withPublisher) {
                dashboard.declarations((key, at, event) -> broker.write(new Published(key, at, event)),
                        Clock.fixed(NOW, ZoneOffset.UTC));
            }
        });
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        return server.post(path, body, token);
    }

    @Test
    void shouldPublishTheDeclarationsEventAndAnswerItsIdWhenAnAdminPostsIt() throws Exception {
        start(true);

        HttpResponse<String> first = post(PATH, GOAL, TestTokens.ADMIN);
        HttpResponse<String> again = post(PATH, GOAL, TestTokens.ADMIN);
        HttpResponse<String> today = post(PATH, """
                {"declaration": "policy", "policy": "community-guidelines", "evidence": "doc-17", "declared_by": "legal"}
                """, TestTokens.ADMIN);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(today.statusCode()).as(today.body()).isEqualTo(202);
        assertThat(published).hasSize(3);
        ActivityEvent goal = published.get(0).event();
        assertThat(json.readTree(first.body()).path("eventId").asText()).isEqualTo(goal.getEventId());
        assertThat(json.readTree(again.body()).path("eventId").asText()).isEqualTo(goal.getEventId());
        assertThat(published.get(0).key()).isEqualTo("bikes");
        assertThat(published.get(0).at()).isEqualTo(Instant.parse("2026-05-04T00:00:00Z"));
        assertThat(goal.getType()).isEqualTo(EventType.EVIDENCE_DECLARED);
        assertThat(goal.getOccurredAt()).isEqualTo(Instant.parse("2026-05-04T00:00:00Z"));
        // The id every other source (pulse declare, the register import) gives the same declaration.
        assertThat(goal).isEqualTo(Declaration.of("bikes", Instant.parse("2026-05-04T00:00:00Z"), Map.of(
                "declaration", "goal", "signal", "wau", "target", "150", "deadline", "2026-12-31",
                "evidence", "https://bikes.example/plan", "declared_by", "head-of-community"))
                .toEvent(SourcePlatform.OTHER));
        assertThat(published.get(2).event().getOccurredAt()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
    }

    @Test
    void shouldRefuseTheReadTokenAndNoToken() throws Exception {
        start(true);
        assertThat(post(PATH, GOAL, TestTokens.READ).statusCode()).isEqualTo(403);
        assertThat(post(PATH, GOAL, null).statusCode()).isEqualTo(401);
        assertThat(published).isEmpty();
    }

    @Test
    void shouldAnswer400WithTheParsersMessageAndPublishNothingWhenTheDeclarationIsBad() throws Exception {
        start(true);
        Map<String, String> bad = Map.of(
                "{\"declaration\": \"budget\", \"amount\": \"lots\", \"evidence\": \"x\", \"declared_by\": \"cfo\"}",
                "budget: 'amount' is not a number: 'lots'",
                "{\"declaration\": \"goal\", \"signal\": \"wau\", \"target\": 1, \"declared_by\": \"y\"}",
                "goal: 'evidence' is missing",
                "{\"declaration\": \"vision\", \"evidence\": \"x\", \"declared_by\": \"y\"}",
                "unknown declaration 'vision'",
                "{\"declaration\": \"strategy\", \"evidence\": \"x\", \"declared_by\": \"y\", \"date\": \"soon\"}",
                "'date' is not an ISO date",
                "{\"declaration\": \"strategy\", \"evidence\": [\"x\"], \"declared_by\": \"y\"}",
                "'evidence' must be a string or a number",
                "[1, 2]", "must be a JSON object",
                "{not json", "the body is not JSON");
        for (Map.Entry<String, String> request : bad.entrySet()) {
            HttpResponse<String> response = post(PATH, request.getKey(), TestTokens.ADMIN);
            assertThat(response.statusCode()).as(request.getKey()).isEqualTo(400);
            assertThat(json.readTree(response.body()).path("error").asText()).as(request.getKey())
                    .contains(request.getValue());
        }
        assertThat(published).isEmpty();
    }

    @Test
    void shouldAnswer503WhenTheDeclarationCannotBeWrittenOrDeclarationsAreNotEnabled() throws Exception {
        start(true);
        broker.down = true;
        assertThat(post(PATH, GOAL, TestTokens.ADMIN).statusCode()).isEqualTo(503);
        close();

        start(false);
        assertThat(post(PATH, GOAL, TestTokens.ADMIN).statusCode()).isEqualTo(503);
        assertThat(published).isEmpty();
    }
}
