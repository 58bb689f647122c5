package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.MaturityTopologyTest.evidence;
import static org.communitypulse.streams.MaturityTopologyTest.withoutTime;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.TestOutputTopic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.SignalEvidence;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.avro.StaffShare;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.streams.maturity.MaturityRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared evidence through the whole pipeline: each declaration counts from its week and never before, the latest
 * of a kind and subject supersedes, expiry and withdrawal leave none, arrival order does not matter; and the
 * definitions that changed with it (activity beyond the grant, anonymous votes, the staff share).
 */
class MaturityDeclarationsTest {

    /** Monday of the first of six weeks. */
    private static final LocalDate START = LocalDate.parse("2029-11-05");
    private static final String C = "declaring";

    @TempDir
    Path stateDir;

    private MaturityPipeline pipeline;
    private TestOutputTopic<CommunityDayKey, MaturityScorecard> scorecards;
    private TestOutputTopic<CommunityDayKey, CommunityHealth> health;
    private TestOutputTopic<CommunityDayKey, StaffShare> shares;
    private int seq;

    private void start() {
        pipeline = new MaturityPipeline(stateDir, "d.", MaturityRules.defaults());
        scorecards = pipeline.out(pipeline.topics().maturityScorecard());
        health = pipeline.out(pipeline.topics().communityHealth());
        shares = pipeline.out(pipeline.topics().staffShare());
    }

    @AfterEach
    void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private void emit() {
        pipeline.emit();
    }

    private void pipe(List<ActivityEvent> events) {
        pipeline.pipe(events);
    }

    private Instant at(int day, int hour) {
        return START.plusDays(day).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    private ActivityEvent event(EventType type, String actor, int day, String... attributes) {
        ActivityEvent e = TestEvents.event(C + "-" + seq++, C, type, actor, at(day, 10));
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            map.put(attributes[i], attributes[i + 1]);
        }
        e.setAttributes(map);
        if (type == EventType.THREAD_CREATED) {
            e.setThreadId(e.getEventId());
        }
        return e;
    }

    private ActivityEvent declared(int day, String... attributes) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            map.put(attributes[i], attributes[i + 1]);
        }
        map.putIfAbsent("evidence", "doc-" + seq);
        map.putIfAbsent("declared_by", "cm");
        return Declaration.of(C, START.plusDays(day).atStartOfDay().toInstant(ZoneOffset.UTC), map)
                .toEvent(C + "-d" + seq++, SourcePlatform.OTHER);
    }

    /** A thread every day of six weeks by one member, answered by another. */
    private List<ActivityEvent> sixWeeksOfActivity() {
        List<ActivityEvent> events = new ArrayList<>();
        for (int day = 0; day < 42; day++) {
            ActivityEvent t = event(EventType.THREAD_CREATED, "asker", day);
            events.add(t);
            ActivityEvent r = event(EventType.REPLY_CREATED, "helper", day);
            r.setThreadId(t.getThreadId());
            r.setParentId(t.getThreadId());
            events.add(r);
        }
        return events;
    }

    private Map<CommunityDayKey, MaturityScorecard> cards() {
        return scorecards.readKeyValuesToMap();
    }

    private static CommunityDayKey week(int n) {
        return new CommunityDayKey(C, START.plusWeeks(n));
    }

    @Test
    void shouldCountADeclarationFromItsWeekAndNeverBeforeWhenItArrivesAfterTheActivity() {
        start();
        pipe(sixWeeksOfActivity());
        emit();
        // Declared late (after the whole history was scored), effective on the Wednesday of week 2.
        pipe(List.of(declared(16, "declaration", "policy", "policy", "guidelines", "evidence", "https://x/policy")));
        emit();
        Map<CommunityDayKey, MaturityScorecard> cards = cards();
        assertThat(evidence(cards.get(week(1)), "policies_published").getValue()).isEqualTo(0.0);
        SignalEvidence published = evidence(cards.get(week(2)), "policies_published");
        assertThat(published.getValue()).isEqualTo(1.0);
        assertThat(published.getDeclarations()).singleElement().satisfies(d -> {
            assertThat(d.getKind()).isEqualTo("policy");
            assertThat(d.getEvidence()).isEqualTo("https://x/policy");
            assertThat(d.getDeclaredOn()).isEqualTo(START.plusDays(16));
        });
        assertThat(evidence(cards.get(week(5)), "policies_published").getValue()).isEqualTo(1.0);
        // A declaration is not activity: same active days, events and span as without it.
        assertThat(evidence(cards.get(week(2)), "field_completeness_28d").getInputs()).containsEntry("events", 42.0);
        assertThat(cards.keySet()).allMatch(k -> !k.getDay().isBefore(START) && !k.getDay().isAfter(START.plusWeeks(5)));
    }

    @Test
    void shouldUseTheLatestValidDeclarationOfAKindAndSubjectWhenDeclarationsSupersedeExpireOrAreWithdrawn() {
        start();
        List<ActivityEvent> events = new ArrayList<>(sixWeeksOfActivity());
        // A goal of 14 threads a week, lowered to 7 from week 2: attainment 0.5 then 1.0; withdrawn in week 4.
        events.add(declared(0, "declaration", "goal", "signal", "threads_week", "target", "14"));
        events.add(declared(14, "declaration", "goal", "signal", "threads_week", "target", "7"));
        events.add(declared(28, "declaration", "goal", "subject", "threads_week", "withdrawn", "true"));
        // A dashboard valid until the Sunday of week 1.
        events.add(declared(0, "declaration", "dashboard", "name", "board", "valid_until", START.plusDays(13).toString()));
        pipe(events);
        emit();
        Map<CommunityDayKey, MaturityScorecard> cards = cards();
        assertThat(evidence(cards.get(week(1)), "goal_attainment").getValue()).isEqualTo(0.5);
        assertThat(evidence(cards.get(week(1)), "goal_attainment").getInputs()).containsEntry("threads_week.target", 14.0);
        assertThat(evidence(cards.get(week(2)), "goal_attainment").getValue()).isEqualTo(1.0);
        assertThat(evidence(cards.get(week(3)), "goals_declared").getValue()).isEqualTo(1.0);
        assertThat(evidence(cards.get(week(4)), "goal_attainment").getValue()).isNull();
        assertThat(evidence(cards.get(week(4)), "goals_declared").getValue()).isEqualTo(0.0);
        assertThat(evidence(cards.get(week(1)), "tools_in_use").getValue()).isEqualTo(1.0);
        assertThat(evidence(cards.get(week(2)), "tools_in_use").getValue()).isEqualTo(0.0);
        // Strategy held back in week 4 by the missing goal, said in words.
        var strategy = cards.get(week(4)).getCompetencies().get(0);
        assertThat(strategy.getStage()).isEqualTo(1);
        assertThat(strategy.getNextStage()).isEqualTo(2);
        assertThat(strategy.getMissing()).extracting(m -> m.getSignal()).contains("goals_declared", "goal_attainment");
        assertThat(strategy.getMissing().get(0).getDescription()).contains("needs at least 1 for stage 2");
    }

    @Test
    void shouldGiveTheSameRecordsWhenDeclarationsAndEventsArriveShuffled() {
        start();
        List<ActivityEvent> events = new ArrayList<>(sixWeeksOfActivity());
        events.add(event(EventType.ROLE_GRANTED, "cm", 0, "role", "community-manager"));
        events.add(event(EventType.ROLE_GRANTED, "corp1", 0, "level", "corporate-user"));
        events.add(declared(0, "declaration", "goal", "signal", "threads_week", "target", "14"));
        events.add(declared(10, "declaration", "goal", "signal", "threads_week", "target", "10"));
        events.add(declared(3, "declaration", "headcount", "staff", "20"));
        events.add(declared(20, "declaration", "headcount", "staff", "10"));
        events.add(declared(7, "declaration", "organisation", "organisation", "acme"));
        events.add(declared(9, "declaration", "metrics-review"));
        events.add(declared(30, "declaration", "metrics-review", "subject", "q2"));
        events.add(declared(12, "declaration", "policy", "policy", "guidelines"));
        events.add(declared(25, "declaration", "policy", "subject", "guidelines", "withdrawn", "true"));
        pipe(events);
        emit();
        Map<CommunityDayKey, MaturityScorecard> inOrder = withoutTime(cards());
        Map<CommunityDayKey, StaffShare> sharesInOrder = sharesWithoutTime(shares.readKeyValuesToMap());
        pipeline.close();

        start();
        Collections.shuffle(events, new Random(7));
        pipe(events.subList(0, events.size() / 2));
        emit();
        pipe(events.subList(events.size() / 2, events.size()));
        emit();
        assertThat(withoutTime(cards())).isEqualTo(inOrder);
        assertThat(sharesWithoutTime(shares.readKeyValuesToMap())).isEqualTo(sharesInOrder);
        assertThat(inOrder.get(week(0)).getOrganisationId()).isNull();
        assertThat(inOrder.get(week(1)).getOrganisationId()).isEqualTo("acme");
    }

    @Test
    void shouldNotCountAnonymousVotesAsIncompleteWhenMeasuringFieldCompleteness() {
        start();
        List<ActivityEvent> events = new ArrayList<>(sixWeeksOfActivity());
        for (int day = 0; day < 42; day++) {
            events.add(event(EventType.REACTION_ADDED, null, day)); // a vote without a voter
        }
        pipe(events);
        emit();
        SignalEvidence complete = evidence(cards().get(week(5)), "field_completeness_28d");
        assertThat(complete.getValue()).isEqualTo(1.0);
        assertThat(complete.getInputs()).containsEntry("events", 84.0);

        // A thread without an author is incomplete.
        pipe(List.of(event(EventType.THREAD_CREATED, null, 41)));
        emit();
        assertThat(evidence(cards().get(week(5)), "field_completeness_28d").getInputs())
                .containsEntry("events", 85.0).containsEntry("complete", 84.0);
    }

    @Test
    void shouldNotCountAHolderAsActiveWhenTheGrantIsTheirOnlyEvent() {
        start();
        List<ActivityEvent> events = new ArrayList<>(sixWeeksOfActivity());
        events.add(event(EventType.ROLE_GRANTED, "cm", 35, "role", "community-manager"));
        events.add(event(EventType.TRAINING_COMPLETED, "cm", 36, "course", "social-media-guidelines"));
        pipe(events);
        emit();
        assertThat(evidence(cards().get(week(5)), "team_roles_active_share").getInputs())
                .containsEntry("teamRolesFilled", 0.0);

        // A reply of theirs is activity.
        ActivityEvent reply = event(EventType.REPLY_CREATED, "cm", 37);
        reply.setThreadId(events.get(0).getThreadId());
        pipe(List.of(reply));
        emit();
        assertThat(evidence(cards().get(week(5)), "team_roles_active_share").getInputs())
                .containsEntry("teamRolesFilled", 1.0);
    }

    @Test
    void shouldReportHeadcountCorporateUsersShareAndTrendWhenAHeadcountIsDeclared() {
        start();
        List<ActivityEvent> events = new ArrayList<>(sixWeeksOfActivity());
        events.add(declared(0, "declaration", "headcount", "staff", "10"));
        events.add(declared(0, "declaration", "organisation", "organisation", "acme", "name", "Acme Corp"));
        events.add(event(EventType.ROLE_GRANTED, "corp1", 1, "level", "corporate-user"));
        events.add(event(EventType.ROLE_GRANTED, "corp2", 1, "level", "corporate-user"));
        // Two more Corporate Users in week 4 and a larger headcount from week 5.
        events.add(event(EventType.ROLE_GRANTED, "corp3", 29, "level", "corporate-user"));
        events.add(event(EventType.ROLE_GRANTED, "corp4", 29, "level", "corporate-user"));
        events.add(declared(35, "declaration", "headcount", "staff", "20"));
        pipe(events);
        emit();
        Map<CommunityDayKey, StaffShare> records = shares.readKeyValuesToMap();
        assertThat(records).hasSize(6);
        assertThat(cards().get(week(0)).getOrganisationName()).isEqualTo("Acme Corp");
        StaffShare first = records.get(week(0));
        assertThat(first.getStaffHeadcount()).isEqualTo(10);
        assertThat(first.getCorporateUsers()).isEqualTo(2);
        assertThat(first.getCorporateUserShare()).isEqualTo(0.2);
        assertThat(first.getTrend()).isNull(); // no week 4 weeks before
        assertThat(first.getOrganisationId()).isEqualTo("acme");
        StaffShare fourth = records.get(week(4));
        assertThat(fourth.getCorporateUsers()).isEqualTo(4);
        assertThat(fourth.getCorporateUserShare()).isEqualTo(0.4);
        assertThat(fourth.getTrend()).isEqualTo(0.2);
        StaffShare fifth = records.get(week(5));
        assertThat(fifth.getStaffHeadcount()).isEqualTo(20);
        assertThat(fifth.getCorporateUserShare()).isEqualTo(0.2);
        assertThat(fifth.getTrend()).isEqualTo(0.0);
        assertThat(health.readKeyValuesToMap().get(week(5)).getOrganisationId()).isEqualTo("acme");
    }

    @Test
    void shouldReachStageTwoInEveryCompetencyWhenAHealthyCommunityHasASmallRegisterAndThreeDeclarations() {
        start();
        List<ActivityEvent> events = new ArrayList<>(sixWeeksOfActivity());
        // The register: a community manager and a product manager, acknowledging the guidelines.
        for (String member : List.of("cm", "pm")) {
            events.add(event(EventType.ROLE_GRANTED, member, 0, "role", member.equals("cm") ? "community-manager"
                    : "product-manager"));
            events.add(event(EventType.POLICY_ACKNOWLEDGED, member, 1, "policy", "guidelines"));
        }
        // The community manager's own course (roles.yaml requires it of the role).
        events.add(event(EventType.TRAINING_COMPLETED, "cm", 1, "course", "community-management"));
        for (int day = 30; day < 42; day++) {
            // The staff take part: the helper asks too (reciprocity), cm and pm reply.
            ActivityEvent t = event(EventType.THREAD_CREATED, "helper", day);
            events.add(t);
            ActivityEvent r = event(EventType.REPLY_CREATED, day % 2 == 0 ? "cm" : "pm", day);
            r.setThreadId(t.getThreadId());
            events.add(r);
        }
        events.add(event(EventType.THREAD_CREATED, "cm", 36, "kind", "ama"));
        events.add(declared(0, "declaration", "goal", "signal", "wau", "target", "4"));
        events.add(declared(0, "declaration", "policy", "policy", "guidelines"));
        events.add(declared(21, "declaration", "metrics-review"));
        pipe(events);
        emit();
        MaturityScorecard last = cards().get(week(5));
        assertThat(last.getCompetencies()).allSatisfy(c -> assertThat(c.getStage())
                .as("%s: missing %s", c.getCompetency(), c.getMissing()).isGreaterThanOrEqualTo(2));
        assertThat(last.getOverallStage()).isGreaterThanOrEqualTo(2);
    }

    private static Map<CommunityDayKey, StaffShare> sharesWithoutTime(Map<CommunityDayKey, StaffShare> m) {
        Map<CommunityDayKey, StaffShare> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, StaffShare.newBuilder(v).setUpdatedAt(Instant.EPOCH).build()));
        return out;
    }
}
