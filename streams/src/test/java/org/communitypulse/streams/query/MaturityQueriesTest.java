package org.communitypulse.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.MaturityTopologyTestAccess;
import org.communitypulse.streams.PulseSettings;
import org.communitypulse.streams.PulseTopology;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scorecard, health and benchmark questions over the maturity view stores. */
class MaturityQueriesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path state;

    private TopologyTestDriver driver;
    private CommunityQueries queries;

    private void start() {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("mq.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "maturity-queries-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                        org.communitypulse.streams.TestRoles.threeRequired()).withMaturity(MaturityTopologyTestAccess.withGoals())
                        .withHooks(RuntimeHooks.defaults().withClock(CLOCK))), props);
        TestInputTopic<String, ActivityEvent> activity = driver.createInputTopic(topics.activity().name(),
                topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
        for (int stage = 1; stage <= 4; stage++) {
            MaturityTopologyTestAccess.events(stage).forEach(e -> activity.pipeInput(e.getCommunityId(), e));
        }
        for (int i = 0; i < 3; i++) {
            driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
        }
        queries = new CommunityQueries(DriverViewStores.of(driver));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldListEveryScoredWeekWhenAskedForACommunitysScorecards() {
        start();
        ObjectNode cards = queries.maturity().scorecards("stage-3", null, null).orElseThrow();
        JsonNode weeks = cards.path("scorecards");
        assertThat(weeks).hasSize(4);
        JsonNode latest = weeks.get(3);
        assertThat(latest.path("periodStart").asText()).isEqualTo("2029-12-17");
        assertThat(latest.path("overallStage").asInt()).isEqualTo(3);
        assertThat(latest.path("competencies")).hasSize(8);
        assertThat(latest.path("competencies").get(0).path("evidence").get(0).path("signal").asText())
                .isEqualTo("goals_declared");
        // Strategy at stage 3: what stage 4 needs, in words, and the declarations the evidence rests on.
        JsonNode strategy = latest.path("competencies").get(0);
        assertThat(strategy.path("nextStage").asInt()).isEqualTo(4);
        assertThat(strategy.path("missing").get(0).path("description").asText()).contains("for stage 4");
        assertThat(strategy.path("evidence").get(0).path("declarations")).hasSize(2);
        assertThat(queries.maturity().health("stage-3", null, null).orElseThrow().path("health")).hasSize(4);
        assertThat(queries.maturity().scorecards("nobody", null, null)).isEmpty();
    }

    @Test
    void shouldCarryTheLatestScoresAndTheRecordsHealthWhenSummarisingACommunity() {
        start();
        ObjectNode summary = queries.summary("stage-4").orElseThrow();
        assertThat(summary.path("maturity").path("overallStage").asInt()).isEqualTo(4);
        assertThat(summary.path("maturity").path("healthState").asText()).isEqualTo("THRIVING");
        assertThat(summary.path("maturity").path("competencies").path("culture").path("stage").asInt()).isEqualTo(4);
        // The record's state, unless an alert says worse.
        List<AlertCondition> firing = new ArrayList<>();
        summary.path("firingAlerts").forEach(a -> firing.add(AlertCondition.valueOf(a.asText())));
        assertThat(summary.path("health").asText())
                .isEqualTo(HealthState.of(firing, HealthStatus.THRIVING).label());
    }

    @Test
    void shouldRankEveryCommunityWhenBenchmarking() {
        start();
        List<JsonNode> summaries = new ArrayList<>(queries.summaries());
        ObjectNode benchmark = MaturityQueries.benchmark(summaries);
        assertThat(benchmark.path("communities").asInt()).isEqualTo(4);
        JsonNode rows = benchmark.path("rows");
        assertThat(rows.get(0).path("communityId").asText()).isEqualTo("stage-4");
        assertThat(rows.get(0).path("overallPercentile").asDouble()).isEqualTo(100.0);
        assertThat(rows.get(3).path("communityId").asText()).isEqualTo("stage-1");
        assertThat(rows.get(3).path("overallPercentile").asDouble()).isEqualTo(25.0);
        assertThat(rows.get(3).path("competencies").path("strategy").path("percentile").asDouble()).isEqualTo(25.0);
    }

    @Test
    void shouldTakeTheWorseOfAlertsAndRecordWhenJudgingHealth() {
        assertThat(HealthState.of(List.of(), HealthStatus.THRIVING)).isEqualTo(HealthState.THRIVING);
        assertThat(HealthState.of(List.of(AlertCondition.NO_ACTIVITY), HealthStatus.THRIVING))
                .isEqualTo(HealthState.STALLED);
        assertThat(HealthState.of(List.of(), HealthStatus.AT_RISK)).isEqualTo(HealthState.AT_RISK);
        assertThat(HealthState.of(List.of(), null)).isEqualTo(HealthState.HEALTHY);
    }
}
