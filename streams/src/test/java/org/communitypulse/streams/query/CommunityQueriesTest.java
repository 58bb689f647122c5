package org.communitypulse.streams.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseSettings;
import org.communitypulse.streams.PulseTopology;
import org.communitypulse.streams.TestEvents;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.roles.RolesModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's questions over the view stores the topology fills (TopologyTestDriver, one partition). */
class CommunityQueriesTest {

    @TempDir
    Path state;
    private TopologyTestDriver driver;
    private TestInputTopic<String, ActivityEvent> activity;
    private TestInputTopic<org.communitypulse.schemas.avro.CommunityDayKey,
            org.communitypulse.schemas.avro.PlatformDayCount> platformCounts;
    private CommunityQueries queries;

    private void start() {
        start(false);
    }

    /** With {@code roles}, the whole pipeline (engagement and roles families), as the application runs it. */
    private void start(boolean roles) {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("q.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "community-queries-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(roles
                ? PulseTopology.build(topics, serdes, PulseSettings.of(IntakeSettings.defaults(),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                        RolesModel.defaults()))
                : EngagementTopology.build(topics, serdes, IntakeSettings.defaults(),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false)), props);
        activity = driver.createInputTopic(topics.activity().name(), topics.activity().keySerde().serializer(),
                topics.activity().valueSerde().serializer());
        platformCounts = driver.createInputTopic(topics.platformCounts().name(),
                topics.platformCounts().keySerde().serializer(), topics.platformCounts().valueSerde().serializer());
        queries = new CommunityQueries(DriverViewStores.of(driver));
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void pipe(String id, String community, EventType type, String actor, String at) {
        ActivityEvent event = TestEvents.event(id, community, type, actor, Instant.parse(at));
        event.setThreadId(type == EventType.THREAD_CREATED ? id : community + "-t");
        activity.pipeInput(community, event);
    }

    private void emit() {
        driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
    }

    @Test
    void shouldListEachCommunityOnceWithItsHealthWhenIdsArePrefixesOfEachOther() {
        start();
        pipe("b1", "b", EventType.THREAD_CREATED, "x", "2026-01-01T10:00:00Z");
        pipe("a1", "a", EventType.THREAD_CREATED, "x", "2026-01-10T10:00:00Z");
        pipe("a2", "a", EventType.REPLY_CREATED, "y", "2026-01-10T11:00:00Z");
        pipe("ab1", "ab", EventType.THREAD_CREATED, "z", "2026-01-09T10:00:00Z");
        emit();

        List<ObjectNode> all = queries.summaries();

        assertThat(all).extracting(s -> s.get("communityId").asText()).containsExactly("a", "ab", "b");
        ObjectNode a = all.get(0);
        assertThat(a.get("latestDay").asText()).isEqualTo("2026-01-10");
        assertThat(a.get("health").asText()).isEqualTo("healthy");
        assertThat(a.get("trailing").get("dau").asLong()).isEqualTo(2);
        assertThat(a.get("sparkline")).hasSize(CommunityQueries.SPARKLINE_DAYS);
        assertThat(a.get("sparkline").get(CommunityQueries.SPARKLINE_DAYS - 1).asLong()).isEqualTo(2);
        // Each sparkline ends on its own community's latest day.
        assertThat(all.get(1).get("latestDay").asText()).isEqualTo("2026-01-09");
        assertThat(all.get(1).get("sparkline").get(CommunityQueries.SPARKLINE_DAYS - 1).asLong()).isEqualTo(1);
        // Silent since Jan 1 while the task's clock (its newest event) is Jan 10.
        assertThat(all.get(2).get("health").asText()).isEqualTo("stalled");
        assertThat(all.get(2).get("firingAlerts").toString()).contains("NO_ACTIVITY");
    }

    @Test
    void shouldReturnTheInclusiveRangeWhenFromAndToAreGiven() {
        start();
        for (int day = 1; day <= 9; day++) {
            pipe("t" + day, "c", EventType.THREAD_CREATED, "m" + day, "2026-03-0" + day + "T10:00:00Z");
        }
        emit();

        ObjectNode daily = queries.daily("c", LocalDate.parse("2026-03-03"), LocalDate.parse("2026-03-05")).orElseThrow();
        assertThat(daily.get("days")).extracting(d -> d.get("day").asText())
                .containsExactly("2026-03-03", "2026-03-04", "2026-03-05");
        ObjectNode trailing = queries.trailing("c", null, null).orElseThrow();
        assertThat(trailing.get("to").asText()).isEqualTo("2026-03-09");
        assertThat(trailing.get("from").asText()).isEqualTo("2025-12-10");
        assertThat(trailing.get("days")).hasSize(9);
        assertThat(trailing.get("days").get(8).get("threads7d").asLong()).isEqualTo(7);
        assertThat(queries.daily("nobody", null, null)).isEmpty();
        assertThat(queries.members("c", 3).orElseThrow().get("top")).hasSize(3);
    }

    @Test
    void shouldRefuseRangesWhenBackwardsOrTooLong() {
        start();
        pipe("t1", "c", EventType.THREAD_CREATED, "m", "2026-03-01T10:00:00Z");
        emit();

        assertThatThrownBy(() -> queries.daily("c", LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
        assertThatThrownBy(() -> queries.daily("c", LocalDate.parse("2000-01-01"), LocalDate.parse("2026-03-01")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than");
        assertThatThrownBy(() -> queries.members("c", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDeriveHealthFromFiringAlertsWhenAsked() {
        assertThat(HealthState.of(List.of())).isEqualTo(HealthState.HEALTHY);
        assertThat(HealthState.of(List.of(AlertCondition.BACKLOG_GROWING))).isEqualTo(HealthState.AT_RISK);
        assertThat(HealthState.of(List.of(AlertCondition.BELOW_BASELINE, AlertCondition.NO_ACTIVITY)))
                .isEqualTo(HealthState.STALLED);
        assertThat(HealthState.of(List.of(AlertCondition.DATA_GAP))).as("missing data is not ill health")
                .isEqualTo(HealthState.HEALTHY);
        assertThat(HealthState.of(List.of(AlertCondition.DATA_GAP), org.communitypulse.schemas.avro.HealthStatus.THRIVING))
                .isEqualTo(HealthState.THRIVING);
        assertThat(HealthState.AT_RISK.label()).isEqualTo("at_risk");
    }

    private void grant(String id, String community, EventType type, String member, String at, Map<String, String> what) {
        ActivityEvent event = TestEvents.event(id, community, type, member, Instant.parse(at));
        event.setAttributes(what);
        activity.pipeInput(community, event);
    }

    @Test
    void shouldAnswerRoleCoverageAndOpenViolationsWhenTheRegisterHasBeenProcessed() {
        start(true);
        // ann is active (her thread): the grant alone would not fill the role.
        pipe("t1", "acme", EventType.THREAD_CREATED, "ann", "2026-02-01T08:00:00Z");
        grant("g1", "acme", EventType.ROLE_GRANTED, "ann", "2026-02-01T09:00:00Z", Map.of("role", "sponsor"));
        grant("g2", "acme", EventType.ROLE_GRANTED, "carl", "2026-02-01T09:00:00Z", Map.of("level", "corporate-user"));
        grant("g3", "acme", EventType.ROLE_GRANTED, "dora", "2026-02-01T09:00:00Z", Map.of("level", "corporate-user"));
        grant("c1", "acme", EventType.TRAINING_COMPLETED, "dora", "2026-02-02T09:00:00Z",
                Map.of("course", "social-media-guidelines"));
        pipe("t2", "acme", EventType.THREAD_CREATED, "x", "2026-02-03T08:00:00Z");
        emit();

        ObjectNode roles = queries.roles("acme").orElseThrow();
        // Seven team roles, all required, and three key roles; sponsor is the only one filled.
        assertThat(roles.get("roles")).hasSize(10);
        assertThat(roles.get("requiredRoles").asLong()).isEqualTo(7);
        assertThat(roles.get("vacantRequired").asLong()).isEqualTo(6);
        assertThat(roles.get("filledRoles").asLong()).isEqualTo(1);
        assertThat(roles.get("roles")).extracting(r -> r.get("role").asText()).startsWith("community-manager",
                "product-manager", "project-manager", "social-media-coordinator", "sponsor", "strategist-advocate",
                "technical-developer-designer");
        assertThat(roles.get("roles").get(4).get("holders")).extracting(h -> h.asText()).containsExactly("ann");
        assertThat(roles.get("roles").get(4).get("vacantSince").isNull()).isTrue();
        assertThat(roles.get("roles").get(0).get("vacantSince").asText()).isEqualTo("2026-02-01T08:00:00Z");
        assertThat(roles.get("roles").get(0).get("consequence").asText()).isNotBlank();
        assertThat(roles.get("training").get("corporateUsers").asInt()).isEqualTo(2);
        assertThat(roles.get("training").get("trainedCorporateUsers").asInt()).isEqualTo(1);

        ObjectNode violations = queries.openViolations("acme").orElseThrow();
        // carl is untrained; the six other required roles are vacant.
        assertThat(violations.get("count").asInt()).isEqualTo(7);
        assertThat(violations.get("open")).extracting(v -> v.get("rule").asText() + ":" + v.get("subject").asText())
                .contains("corporate-user-untrained:carl", "required-role-vacant:community-manager",
                        "required-role-vacant:technical-developer-designer")
                .doesNotContain("required-role-vacant:sponsor");
        assertThat(violations.get("open")).allSatisfy(v -> assertThat(v.get("state").asText()).isEqualTo("OPENED"));

        // Training carl resolves his violation: it leaves the open list.
        grant("c2", "acme", EventType.TRAINING_COMPLETED, "carl", "2026-02-03T09:00:00Z",
                Map.of("course", "social-media-guidelines"));
        emit();
        assertThat(queries.openViolations("acme").orElseThrow().get("count").asInt()).isEqualTo(6);
        assertThat(queries.roles("nobody")).isEmpty();
        assertThat(queries.openViolations("nobody")).isEmpty();
    }

    @Test
    void shouldListNoRolesWhenTheTopologyHasNoRolesFamily() {
        start(false);
        pipe("t1", "c", EventType.THREAD_CREATED, "m", "2026-03-01T10:00:00Z");
        emit();

        assertThat(queries.roles("c").orElseThrow().get("roles")).isEmpty();
        assertThat(queries.openViolations("c").orElseThrow().get("count").asInt()).isZero();
    }

    @Test
    void shouldAnswerCompleteUpToAndTheOpenGapsOfTheReconciliation() {
        start(true);
        pipe("t1", "r", EventType.THREAD_CREATED, "m", "2026-03-01T10:00:00Z");
        pipe("t2", "r", EventType.THREAD_CREATED, "m", "2026-03-02T10:00:00Z");
        pipe("p1", "other", EventType.THREAD_CREATED, "m", "2026-03-02T10:00:00Z");
        emit();
        ObjectNode none = queries.reconciliation("r").orElseThrow();
        assertThat(none.get("checkedDays").asInt()).isZero();
        assertThat(none.get("completeUpTo").isNull()).isTrue();
        assertThat(none.get("gaps")).isEmpty();
        assertThat(queries.summary("r").orElseThrow().has("reconciliation")).isFalse();

        observe("r", "2026-03-01", 1, "2026-03-05T10:00:00Z");
        observe("r", "2026-03-02", 3, "2026-03-05T10:00:00Z");
        observe("r", "2026-03-03", 0, "2026-03-05T10:00:00Z");
        emit();

        ObjectNode r = queries.reconciliation("r").orElseThrow();
        assertThat(r.get("checkedDays").asInt()).isEqualTo(3);
        assertThat(r.get("completeUpTo").asText()).isEqualTo("2026-03-01");
        assertThat(r.get("lastCheckedDay").asText()).isEqualTo("2026-03-03");
        assertThat(r.get("latestCheck").asText()).isEqualTo("2026-03-05T10:00:00Z");
        assertThat(r.get("gapDays").asInt()).isEqualTo(1);
        assertThat(r.get("missing").asLong()).isEqualTo(2);
        assertThat(r.get("gaps")).hasSize(1);
        assertThat(r.get("gaps").get(0).get("day").asText()).isEqualTo("2026-03-02");
        assertThat(r.get("gaps").get(0).get("status").asText()).isEqualTo("GAP_OPEN");
        assertThat(r.get("gaps").get(0).get("pipelineItems").asLong()).isEqualTo(1);
        ObjectNode inSummary = (ObjectNode) queries.summary("r").orElseThrow().get("reconciliation");
        assertThat(inSummary.get("completeUpTo").asText()).isEqualTo("2026-03-01");
        assertThat(inSummary.get("missing").asLong()).isEqualTo(2);
        assertThat(queries.reconciliation("other").orElseThrow().get("checkedDays").asInt())
                .as("another community's days are not this one's").isZero();

        // The next poll still misses the items: DATA_GAP fires, listed, without changing the community's health.
        String healthBefore = queries.summary("r").orElseThrow().get("health").asText();
        observe("r", "2026-03-02", 3, "2026-03-05T10:05:00Z");
        emit();
        ObjectNode withGap = queries.summary("r").orElseThrow();
        assertThat(withGap.get("firingAlerts").toString()).contains(AlertCondition.DATA_GAP.name());
        assertThat(withGap.get("health").asText()).isEqualTo(healthBefore);
        assertThat(withGap.at("/reconciliation/notClosedDays").asInt()).isEqualTo(1);

        pipe("t3", "r", EventType.REPLY_CREATED, "n", "2026-03-02T11:00:00Z");
        pipe("t4", "r", EventType.REPLY_CREATED, "n", "2026-03-02T12:00:00Z");
        emit();
        ObjectNode closed = queries.reconciliation("r").orElseThrow();
        assertThat(closed.get("completeUpTo").asText()).isEqualTo("2026-03-03");
        assertThat(closed.get("gaps")).isEmpty();
        assertThat(queries.reconciliation("nobody")).isEmpty();
    }

    @Test
    void shouldAnswerAnEmptyReconciliationWhenTheTopologyHasNoReconciliationFamily() {
        start(false);
        pipe("t1", "c", EventType.THREAD_CREATED, "m", "2026-03-01T10:00:00Z");
        emit();
        assertThat(queries.reconciliation("c").orElseThrow().get("checkedDays").asInt()).isZero();
    }

    private void observe(String community, String day, long items, String observedAt) {
        LocalDate date = LocalDate.parse(day);
        platformCounts.pipeInput(new org.communitypulse.schemas.avro.CommunityDayKey(community, date),
                org.communitypulse.schemas.avro.PlatformDayCount.newBuilder().setCommunityId(community).setDay(date)
                        .setSource(org.communitypulse.schemas.avro.SourcePlatform.GENERATOR).setItems(items)
                        .setObservedAt(Instant.parse(observedAt)).setCompleteThrough(Instant.parse(observedAt))
                        .build());
    }
}
