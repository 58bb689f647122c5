package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.organisation.OrganisationFixtures.WEEK;
import static org.communitypulse.streams.organisation.OrganisationFixtures.card;
import static org.communitypulse.streams.organisation.OrganisationFixtures.coverage;
import static org.communitypulse.streams.organisation.OrganisationFixtures.health;
import static org.communitypulse.streams.organisation.OrganisationFixtures.key;
import static org.communitypulse.streams.organisation.OrganisationFixtures.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.streams.organisation.OrganisationFixtures;
import org.communitypulse.streams.query.DriverViewStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/organisations} and {@code /api/organisations/{id}} over the organisation family's stores. */
class OrganisationRoutesTest {

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private OrganisationFixtures run;
    private Dashboard dashboard;
    private PulseHttpServer server;

    @BeforeEach
    void start() {
        run = new OrganisationFixtures(stateDir);
        run.scorecards.pipeInput(key("c1", WEEK.minusWeeks(1)), card("c1", "acme", WEEK.minusWeeks(1), 1, 10,
                Map.of("strategy", new double[] {1, 10})));
        run.scorecards.pipeInput(key("c1", WEEK), card("c1", "acme", WEEK, 2, 40,
                Map.of("strategy", new double[] {2, 40})));
        MaturityScorecard named = card("c2", "acme", WEEK, 3, 60, Map.of("strategy", new double[] {3, 60}));
        named.setOrganisationName("Acme Corp");
        run.scorecards.pipeInput(key("c2", WEEK), named);
        run.scorecards.pipeInput(key("c3", WEEK), card("c3", "globex", WEEK, 1, 5, Map.of()));
        run.health.pipeInput(key("c1", WEEK), health("c1", "acme", WEEK, 70, HealthStatus.HEALTHY, 12));
        run.health.pipeInput(key("c2", WEEK), health("c2", "acme", WEEK, 90, HealthStatus.THRIVING, 30));
        run.coverage.pipeInput(new CommunityRoleKey("c1", "moderator"), coverage("c1", "moderator", true));
        run.coverage.pipeInput(new CommunityRoleKey("c2", "moderator"), coverage("c2", "moderator", false));
        run.staff.pipeInput(key("c1", WEEK), staff("c1", "acme", WEEK, 50, 5, 0.04));
        run.staff.pipeInput(key("c2", WEEK), staff("c2", "acme", WEEK, 50, 5, null));
        dashboard = new Dashboard((KafkaStreams) null, DriverViewStores.of(run.driver), Optional.empty());
        server = PulseHttpServer.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> KafkaStreams.State.RUNNING).extension(dashboard).start(TestTokens.settings());
    }

    @AfterEach
    void stop() {
        dashboard.close();
        server.close();
        run.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(TestTokens.get(server.port(), path, TestTokens.READ), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void listsEveryOrganisationWithItsLatestWeek() throws Exception {
        JsonNode list = body(Dashboard.ORGANISATIONS_PATH);
        assertThat(list.path("partial").asBoolean()).isFalse();
        assertThat(list.path("organisations")).hasSize(2);
        JsonNode acme = list.path("organisations").get(0);
        assertThat(acme.path("organisationId").asText()).isEqualTo("acme");
        assertThat(acme.path("name").asText()).isEqualTo("Acme Corp");
        assertThat(acme.path("communities").toString()).isEqualTo("[\"c1\",\"c2\"]");
        assertThat(acme.path("scorecard").path("periodStart").asText()).isEqualTo(WEEK.toString());
        assertThat(acme.path("scorecard").path("overallStage").asInt()).isEqualTo(2);
        assertThat(acme.path("scorecard").path("overallScore").asDouble()).isEqualTo(50.0);
        assertThat(acme.path("health").path("score").asDouble()).isEqualTo(80.0);
        assertThat(acme.path("health").path("state").asText()).isEqualTo("HEALTHY");
        JsonNode globex = list.path("organisations").get(1);
        assertThat(globex.path("organisationId").asText()).isEqualTo("globex");
        assertThat(globex.has("health")).isFalse();
        assertThat(globex.path("name").isNull()).isTrue();
    }

    @Test
    void describesOneOrganisation() throws Exception {
        JsonNode acme = body(Dashboard.ORGANISATIONS_PATH + "/acme");
        assertThat(acme.path("scorecard").path("competencies").get(0).path("competency").asText())
                .isEqualTo("strategy");
        assertThat(acme.path("scorecard").path("competencies").get(0).path("score").asDouble()).isEqualTo(50.0);
        assertThat(acme.path("health").path("stateCounts").path("THRIVING").asInt()).isEqualTo(1);
        assertThat(acme.path("name").asText()).isEqualTo("Acme Corp");
        assertThat(acme.path("coverage")).hasSize(1);
        assertThat(acme.path("coverage").get(0).path("vacantCommunities").toString()).isEqualTo("[\"c2\"]");
        assertThat(acme.path("coverage").get(0).path("consequence").asText()).isEqualTo("Nobody does moderator.");
        assertThat(acme.path("staffShare")).hasSize(1);
        assertThat(acme.path("staffShare").get(0).path("corporateUserShare").asDouble()).isEqualTo(0.2);

        assertThat(get(Dashboard.ORGANISATIONS_PATH + "/nobody").statusCode()).isEqualTo(404);
        assertThat(get(Dashboard.ORGANISATIONS_PATH + "/a%01").statusCode()).isEqualTo(400);
    }

    @Test
    void listsTheScorecardWeeks() throws Exception {
        JsonNode weeks = body(Dashboard.ORGANISATIONS_PATH + "/acme/scorecard");
        assertThat(weeks.path("scorecards")).hasSize(2);
        assertThat(weeks.path("from").asText()).isEqualTo(WEEK.minusWeeks(1).toString());
        assertThat(weeks.path("scorecards").get(0).path("communityCount").asInt()).isEqualTo(1);
        JsonNode last = body(Dashboard.ORGANISATIONS_PATH + "/acme/scorecard?from=" + WEEK);
        assertThat(last.path("scorecards")).hasSize(1);
        assertThat(get(Dashboard.ORGANISATIONS_PATH + "/acme/scorecard?from=" + WEEK + "&to=" + WEEK.minusWeeks(1))
                .statusCode()).isEqualTo(400);
        assertThat(get(Dashboard.ORGANISATIONS_PATH + "/acme/scorecard?from=yesterday").statusCode()).isEqualTo(400);
    }
}
