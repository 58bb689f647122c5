package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertActionType;
import org.communitypulse.schemas.avro.AlertCondition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The acknowledge / snooze / unsnooze routes: admin scope only, every bad parameter a 400 naming it, nothing
 * published unless the request is accepted, and a 503 (never a 500) when the action cannot be written.
 */
class AlertActionRoutesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final String BASE = Dashboard.COMMUNITIES_PATH + "/bikes/alerts/";
    private static final String ALERT_ID = "bikes/NO_ACTIVITY/2026-12-01";

    private final DashboardServer.Broker<AlertAction> broker = new DashboardServer.Broker<>();
    private final List<AlertAction> published = broker.written;
    private final ObjectMapper json = new ObjectMapper();
    private DashboardServer server;

    private void start(boolean withPublisher) {
        server = DashboardServer.start(dashboard -> {
            if (withPublisher) {
                dashboard.alertActions(broker::write, Clock.fixed(NOW, ZoneOffset.UTC));
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

    private HttpResponse<String> post(String pathAndQuery, String token) throws Exception {
        return server.post(pathAndQuery, null, token);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void shouldPublishTheActionWhenAnAdminAcknowledgesSnoozesAndUnsnoozes() throws Exception {
        start(true);
        HttpResponse<String> ack = post(BASE + "NO_ACTIVITY/acknowledge?alertId=" + q(ALERT_ID) + "&note=" + q("on it"),
                TestTokens.ADMIN);
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(202);
        JsonNode body = json.readTree(ack.body());
        assertThat(body.path("action").asText()).isEqualTo("ACKNOWLEDGE");
        assertThat(ack.body()).doesNotContain(TestTokens.ADMIN);

        assertThat(post(BASE + "no_activity/snooze?until=PT24H", TestTokens.ADMIN).statusCode()).isEqualTo(202);
        assertThat(post(BASE + "BELOW_BASELINE/snooze?until=2026-12-10T00:00:00Z", TestTokens.ADMIN).statusCode())
                .isEqualTo(202);
        assertThat(post(BASE + "NO_ACTIVITY/unsnooze", TestTokens.ADMIN).statusCode()).isEqualTo(202);

        assertThat(published).extracting(AlertAction::getAction).containsExactly(AlertActionType.ACKNOWLEDGE,
                AlertActionType.SNOOZE, AlertActionType.SNOOZE, AlertActionType.UNSNOOZE);
        AlertAction first = published.get(0);
        assertThat(first.getCommunityId()).isEqualTo("bikes");
        assertThat(first.getAlertId()).isEqualTo(ALERT_ID);
        assertThat(first.getBy()).isEqualTo("scope:admin");
        assertThat(first.getAt()).isEqualTo(NOW);
        assertThat(first.getNote()).isEqualTo("on it");
        assertThat(published.get(1).getCondition()).isEqualTo(AlertCondition.NO_ACTIVITY);
        assertThat(published.get(1).getUntil()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(published.get(2).getUntil()).isEqualTo(Instant.parse("2026-12-10T00:00:00Z"));
        assertThat(published).allSatisfy(a -> assertThat(a.getBy().toString()).doesNotContain("token-for-tests"));
    }

    @Test
    void shouldRefuseTheReadTokenAndNoTokenWhenAnActionIsPosted() throws Exception {
        start(true);
        for (String action : List.of("acknowledge?alertId=" + q(ALERT_ID), "snooze?until=PT1H", "unsnooze")) {
            assertThat(post(BASE + "NO_ACTIVITY/" + action, TestTokens.READ).statusCode()).as(action).isEqualTo(403);
            assertThat(post(BASE + "NO_ACTIVITY/" + action, null).statusCode()).as(action).isEqualTo(401);
        }
        assertThat(published).isEmpty();
    }

    @Test
    void shouldAnswer400WhenAParameterIsBad() throws Exception {
        start(true);
        List<String> bad = List.of(
                "NOPE/snooze?until=PT1H",
                "UNKNOWN_CONDITION/unsnooze",
                "NO_ACTIVITY/snooze",
                "NO_ACTIVITY/snooze?until=tomorrow",
                "NO_ACTIVITY/snooze?until=2026-12-01T00:00:00Z",
                "NO_ACTIVITY/snooze?until=-PT1H",
                "NO_ACTIVITY/snooze?until=P400D",
                "NO_ACTIVITY/snooze?until=PT99999999999999999H",
                "NO_ACTIVITY/acknowledge",
                "NO_ACTIVITY/acknowledge?alertId=" + q("other/NO_ACTIVITY/2026-12-01"),
                "NO_ACTIVITY/acknowledge?alertId=" + q("bikes/BACKLOG_GROWING/2026-12-01"),
                "NO_ACTIVITY/unsnooze?note=" + "x".repeat(501),
                "NO_ACTIVITY/unsnooze?note=" + q("a\u0000b"));
        for (String path : bad) {
            HttpResponse<String> response = post(BASE + path, TestTokens.ADMIN);
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
            assertThat(json.readTree(response.body()).path("error").asText()).as(path).isNotBlank();
        }
        assertThat(published).isEmpty();
    }

    @Test
    void shouldAnswer503NotAServerErrorWhenTheActionCannotBeRecorded() throws Exception {
        start(true);
        broker.down = true;
        HttpResponse<String> down = post(BASE + "NO_ACTIVITY/unsnooze", TestTokens.ADMIN);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
        close();
        start(false);
        assertThat(post(BASE + "NO_ACTIVITY/unsnooze", TestTokens.ADMIN).statusCode()).isEqualTo(503);
    }
}
