package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.TestOutputTopic;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.maturity.MaturityRules;
import org.communitypulse.streams.roles.RoleAlertSettings;
import org.communitypulse.streams.roles.RolesModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Declared evidence ({@code EVIDENCE_DECLARED}) through the whole pipeline: the intake accepts valid declarations
 * once and dead-letters invalid ones; engagement, identity and reconciliation give them no meaning, so their
 * outputs are the same with and without a declaration among the activity.
 */
class DeclarationsIgnoredTest {

    private static final String C = "forum";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate FIRST = LocalDate.parse("2029-11-05");
    private static final int DAYS = 10;
    private static final Set<AlertCondition> ENGAGEMENT_AND_RECONCILIATION_ALERTS = EnumSet.of(
            AlertCondition.NO_ACTIVITY, AlertCondition.BELOW_BASELINE, AlertCondition.SLOW_FIRST_RESPONSE,
            AlertCondition.BACKLOG_GROWING, AlertCondition.ACTIVITY_DECLINING, AlertCondition.DATA_GAP);

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("declarations-ignored-test");

    private PipelineDriver start() {
        return pipelines.start((topics, serdes) -> PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                        RolesModel.defaults()).withRoleAlerts(RoleAlertSettings.defaults())
                        .withMaturity(MaturityRules.defaults())
                        .withHooks(RuntimeHooks.defaults().withClock(CLOCK))), CLOCK.instant());
    }

    private static Instant at(int day, int hour) {
        return FIRST.plusDays(day).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    /** Threads answered by another member on each day, with an identity observation on the first. */
    private static List<ActivityEvent> activity() {
        List<ActivityEvent> events = new ArrayList<>();
        ActivityEvent seen = TestEvents.event("seen-alice", C, EventType.IDENTITY_OBSERVED, "alice", at(0, 8));
        seen.setAttributes(Map.of("username", "alice"));
        events.add(seen);
        for (int d = 0; d < DAYS; d++) {
            ActivityEvent thread = TestEvents.event("t-" + d, C, EventType.THREAD_CREATED, "alice", at(d, 10));
            thread.setThreadId("t-" + d);
            ActivityEvent reply = TestEvents.event("r-" + d, C, EventType.REPLY_CREATED, "bob", at(d, 11));
            reply.setThreadId("t-" + d);
            events.add(thread);
            events.add(reply);
        }
        return events;
    }

    private static ActivityEvent declaration(String id, Instant at, Map<String, String> attributes) {
        return Declaration.of(C, at, attributes).toEvent(id, SourcePlatform.OTHER);
    }

    private static ActivityEvent goal(String id, Instant at) {
        return declaration(id, at, Map.of("declaration", "goal", "signal", "wau", "target", "40",
                "evidence", "https://forum.example/strategy", "declared_by", "head-of-community"));
    }

    /** Every output of engagement, identity and reconciliation, latest value per key, after emission. */
    private static Map<String, Map<?, ?>> outputs(List<ActivityEvent> events, PipelineDriver p) {
        Topics t = p.topics;
        events.forEach(e -> p.activity.pipeInput(e.getCommunityId(), e));
        var platform = p.driver.createInputTopic(t.platformCounts().name(), t.platformCounts().keySerde().serializer(),
                t.platformCounts().valueSerde().serializer());
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = FIRST.plusDays(d);
            // One item fewer than the pipeline saw, so that every day has a reconciliation record.
            platform.pipeInput(new CommunityDayKey(C, day), PlatformDayCount.newBuilder().setCommunityId(C).setDay(day)
                    .setSource(SourcePlatform.GENERATOR).setItems(1).setObservedAt(CLOCK.instant())
                    .setCompleteThrough(CLOCK.instant()).build());
        }
        for (int i = 0; i < 3; i++) {
            p.driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
        }
        Map<String, Map<?, ?>> out = new LinkedHashMap<>();
        for (Topic<?, ?> topic : List.of(t.dailyEngagement(), t.trailingEngagement(), t.retention(), t.memberLevels(),
                t.identities(), t.identitySuggestions(), t.reconciliation(), t.activityLate())) {
            out.put(topic.name(), p.output(topic).readKeyValuesToMap());
        }
        // Role and health alerts belong to the roles and maturity families, which do read declarations.
        Map<AlertKey, Alert> alerts = new LinkedHashMap<>(p.output(t.alerts()).readKeyValuesToMap());
        alerts.keySet().removeIf(k -> !ENGAGEMENT_AND_RECONCILIATION_ALERTS.contains(k.getCondition()));
        out.put(t.alerts().name(), alerts);
        return out;
    }

    @Test
    void shouldLeaveEngagementIdentityAndReconciliationOutputsAsTheyAreWithoutDeclarations() {
        PipelineDriver plain = start();
        Map<String, Map<?, ?>> without = outputs(activity(), plain);

        List<ActivityEvent> declared = activity();
        declared.add(8, goal("goal-mid", at(3, 0)));
        // Dated after every activity: must not move the latest day (no trailing records for days without activity).
        declared.add(declaration("policy-late", at(DAYS + 3, 0), Map.of("declaration", "policy", "policy",
                "community-guidelines", "evidence", "https://forum.example/guidelines", "declared_by", "ops")));
        Map<String, Map<?, ?>> with = outputs(declared, start());

        for (Topic<?, ?> topic : List.of(plain.topics.dailyEngagement(), plain.topics.trailingEngagement(),
                plain.topics.memberLevels(), plain.topics.identities(), plain.topics.reconciliation())) {
            assertThat(without.get(topic.name())).as(topic.name()).isNotEmpty();
        }
        assertThat(with.keySet()).isEqualTo(without.keySet());
        without.forEach((topic, records) -> assertThat(with.get(topic)).as(topic).isEqualTo(records));
    }

    @Test
    void shouldAcceptAValidDeclarationOnceAndDeadLetterAnInvalidOneWithTheParsersMessage() {
        PipelineDriver p = start();
        TestOutputTopic<byte[], byte[]> dlq = p.output(p.topics.activityDeadLetters());
        ActivityEvent invalid = TestEvents.event("bad-goal", C, EventType.EVIDENCE_DECLARED, null, at(1, 0));
        invalid.setAttributes(Map.of("declaration", "goal", "signal", "wau", "target", "forty",
                "evidence", "https://forum.example/strategy", "declared_by", "ops"));

        p.activity.pipeInput(C, goal("goal-1", at(1, 0)));
        p.activity.pipeInput(C, goal("goal-1", at(1, 0)));
        p.activity.pipeInput(C, invalid);

        assertThat(dlq.readRecordsToList()).singleElement().satisfies(r -> {
            assertThat(header(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("INVALID_DECLARATION");
            assertThat(header(r.headers(), DeadLetterHeaders.DETAIL))
                    .isEqualTo("goal: 'target' is not a number: 'forty' (event bad-goal)");
        });
        assertThat(metric(p, "dead-lettered-total", "intake.INVALID_DECLARATION")).isEqualTo(1.0);
        assertThat(metric(p, "accepted-total", "intake")).isEqualTo(1.0);
        assertThat(metric(p, "duplicates-total", "intake")).isEqualTo(1.0);
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Object metric(PipelineDriver p, String name, String entity) {
        return p.driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && entity.equals(e.getKey().tags().get("pulse-id")))
                .map(e -> e.getValue().metricValue()).findFirst().orElse(null);
    }
}
