package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.Collectors;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CompetencyScore;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.SignalEvidence;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.streams.maturity.MaturityRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted communities built to sit at each of the four stages on every competency, through the whole
 * pipeline (intake, engagement, roles, maturity) with the shipped maturity.yaml and roles.yaml.
 */
class MaturityTopologyTest {

    /** The scored week: Monday 2029-12-17 to Sunday 2029-12-23; the 4-week window starts 2029-11-26. */
    static final LocalDate WEEK = LocalDate.parse("2029-12-17");
    static final LocalDate WINDOW = WEEK.minusWeeks(3);

    @TempDir
    Path stateDir;

    private MaturityPipeline pipeline;
    private Topics topics;
    private TopologyTestDriver driver;
    private TestOutputTopic<CommunityDayKey, MaturityScorecard> scorecards;
    private TestOutputTopic<CommunityDayKey, CommunityHealth> health;
    private TestOutputTopic<CommunityDayKey, TrailingEngagement> trailing;

    private void start(MaturityRules config) {
        pipeline = new MaturityPipeline(stateDir, "m.", config, TestRoles.threeRequired());
        topics = pipeline.topics();
        driver = pipeline.driver();
        scorecards = pipeline.out(topics.maturityScorecard());
        health = pipeline.out(topics.communityHealth());
        trailing = pipeline.out(topics.trailingEngagement());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /**
     * The shipped rules with a configured goal for stage-2 (threads_week 40, which its declared goal of 20
     * replaces) and an organisation holding stage-3 and stage-4; the scripted communities declare their goals.
     */
    static MaturityRules withGoals() {
        MaturityRules d = MaturityRules.defaults();
        return new MaturityRules(d.stages(), d.competencies(), new MaturityRules.Goals(Map.of(), Map.of(
                "stage-2", Map.of("threads_week", 40.0))), d.programmedContent(), d.health(),
                Map.of("acme", new MaturityRules.Organisation("Acme", List.of("stage-3", "stage-4"))));
    }

    private void emit() {
        pipeline.emit();
    }

    private void pipe(List<ActivityEvent> events) {
        pipeline.pipe(events);
    }

    @Test
    void shouldPlaceEveryCompetencyAtTheScriptedStageWhenCommunitiesAreBuiltForEachStage() {
        start(withGoals());
        for (int stage = 1; stage <= 4; stage++) {
            pipe(ScriptedCommunity.events(stage));
        }
        emit();
        Map<CommunityDayKey, MaturityScorecard> cards = scorecards.readKeyValuesToMap();
        for (int stage = 1; stage <= 4; stage++) {
            MaturityScorecard card = cards.get(new CommunityDayKey("stage-" + stage, WEEK));
            assertThat(card).as("scorecard of stage-%d", stage).isNotNull();
            int expected = stage;
            assertThat(card.getCompetencies()).as("stage-%d competencies", stage)
                    .extracting(c -> c.getCompetency() + "=" + c.getStage())
                    .containsExactly(MaturityRules.defaults().competencies().stream()
                            .map(c -> c.id() + "=" + expected).toArray(String[]::new));
            assertThat(card.getOverallStage()).isEqualTo(stage);
            assertThat(card.getOverallStageName()).isEqualTo(MaturityRules.defaults().stageName(stage));
            assertThat(card.getOverallScore()).isBetween(25.0 * (stage - 1), 25.0 * stage);
            for (CompetencyScore c : card.getCompetencies()) {
                assertThat(c.getScore()).as("%s of stage-%d", c.getCompetency(), stage)
                        .isBetween(25.0 * (stage - 1), 25.0 * stage);
            }
            // Stages 1-3 end on the scored Monday, stage 4 on the Friday: the week is still open.
            assertThat(card.getComplete()).isFalse();
            assertThat(card.getPeriodEnd()).isEqualTo(WEEK.plusDays(stage == 4 ? 4 : 0));
        }
    }

    @Test
    void shouldShowTheSignalValuesAndThresholdsWhenReadingTheEvidence() {
        start(withGoals());
        pipe(ScriptedCommunity.events(3));
        emit();
        MaturityScorecard card = scorecards.readKeyValuesToMap().get(new CommunityDayKey("stage-3", WEEK));
        Map<String, SignalEvidence> evidence = card.getCompetencies().stream().flatMap(c -> c.getEvidence().stream())
                .collect(Collectors.toMap(e -> e.getSignal(), e -> e, (a, b) -> a));
        // 10 threads in the week, 8 answered within an hour.
        assertThat(evidence.get("responded_within_24h_share").getValue()).isEqualTo(0.8);
        assertThat(evidence.get("responded_within_24h_share").getInputs())
                .containsEntry("threads", 10.0).containsEntry("respondedWithin24h", 8.0);
        assertThat(evidence.get("responded_within_24h_share").getThresholds()).containsExactly(0.5, 0.75, 0.9);
        assertThat(evidence.get("responded_within_24h_share").getStage()).isEqualTo(3);
        // 5 of 8 replies by peers (sponsor, community manager and product manager are staff by roles.yaml).
        assertThat(evidence.get("peer_reply_share_28d").getValue()).isEqualTo(0.625);
        // Sponsor, community manager and product manager active: 3 of 7 team roles, 2 of 3 required ones.
        assertThat(evidence.get("team_roles_active_share").getInputs()).containsEntry("teamRolesFilled", 3.0);
        assertThat(evidence.get("required_roles_filled_share").getValue()).isEqualTo(2.0 / 3);
        assertThat(evidence.get("sponsor_active").getValue()).isEqualTo(1.0);
        // Declared goals: threads_week 10 of 12.5 and responded_within_24h_share 0.8 of 1.0.
        assertThat(evidence.get("goal_attainment").getValue()).isEqualTo(0.8);
        assertThat(evidence.get("goal_attainment").getInputs())
                .containsEntry("threads_week", 10.0).containsEntry("threads_week.target", 12.5);
        assertThat(evidence.get("goal_attainment").getDeclarations()).extracting(d -> d.getKind() + ":" + d.getSubject())
                .containsExactlyInAnyOrder("goal:threads_week", "goal:responded_within_24h_share");
        assertThat(evidence.get("goal_attainment").getDescription()).contains("declared goals");
        assertThat(evidence.get("strategy_documented").getDeclarations()).extracting(d -> d.getEvidence())
                .containsExactly("https://intranet.example/stage-3/strategy");
        assertThat(card.getOrganisationId()).isEqualTo("acme");
        assertThat(evidence.get("open_violations").getValue()).isEqualTo(2.0);
        assertThat(evidence.get("open_violations").getHigherIsBetter()).isFalse();
        assertThat(evidence.get("programmed_weeks_28d").getValue()).isEqualTo(2.0);
        assertThat(evidence.get("connected_sources_28d").getValue()).isEqualTo(2.0);
        assertThat(evidence.get("tools_in_use").getInputs()).containsEntry("dashboards", 1.0).containsEntry("reviews", 1.0);

        // The evidence is the engagement metrics of the period's last day.
        TrailingEngagement sunday = trailing.readKeyValuesToMap().get(new CommunityDayKey("stage-3", card.getPeriodEnd()));
        assertThat(evidence.get("peer_reply_share_28d").getValue()).isEqualTo(sunday.getPeerReplyShare28d());
        assertThat(evidence.get("peer_reply_share_28d").getInputs())
                .containsEntry("replies28d", (double) sunday.getReplies28d());
    }

    @Test
    void shouldScoreHealthFromItsWeightedComponentsWhenACommunityIsActive() {
        start(withGoals());
        pipe(ScriptedCommunity.events(4));
        pipe(ScriptedCommunity.events(1));
        emit();
        Map<CommunityDayKey, CommunityHealth> records = health.readKeyValuesToMap();
        CommunityHealth best = records.get(new CommunityDayKey("stage-4", WEEK));
        Map<String, Double> scores = best.getComponents().stream()
                .collect(Collectors.toMap(c -> c.getName(), c -> c.getScore() == null ? -1 : c.getScore()));
        assertThat(scores).containsEntry(MaturityRules.PEER_SUPPORT, 80.0).containsEntry(MaturityRules.COVERAGE, 100.0)
                .containsEntry(MaturityRules.RESPONSE, 90.9091);
        assertThat(best.getComponents()).extracting(c -> c.getWeight()).containsExactly(0.3, 0.3, 0.2, 0.2);
        double expected = 0;
        for (var c : best.getComponents()) {
            expected += c.getWeight() * c.getScore();
        }
        assertThat(best.getScore()).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.001));
        assertThat(best.getState()).isEqualTo(HealthStatus.THRIVING);

        // No roles: coverage has no value and is left out of the mean.
        CommunityHealth low = records.get(new CommunityDayKey("stage-1", WEEK));
        assertThat(low.getComponents().stream().filter(c -> c.getName().equals(MaturityRules.COVERAGE))
                .findFirst().orElseThrow().getScore()).isNull();
        // No staff known: no peer share (every reply would read as a peer's), so peer support is left out too.
        assertThat(low.getComponents().stream().filter(c -> c.getName().equals(MaturityRules.PEER_SUPPORT))
                .findFirst().orElseThrow().getScore()).isNull();
        // (0.3 x 100 engagement + 0.3 x 20 response) / 0.6; too small to be thriving.
        assertThat(low.getScore()).isEqualTo(60.0);
        assertThat(low.getState()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void shouldGiveTheSameFinalScorecardWhenTheHistoryArrivesInAnotherOrder() {
        start(withGoals());
        List<ActivityEvent> events = new ArrayList<>();
        for (int stage = 1; stage <= 4; stage++) {
            events.addAll(ScriptedCommunity.events(stage));
        }
        pipe(events);
        emit();
        Map<CommunityDayKey, MaturityScorecard> inOrder = withoutTime(scorecards.readKeyValuesToMap());
        Map<CommunityDayKey, CommunityHealth> healthInOrder = healthWithoutTime(health.readKeyValuesToMap());
        driver.close();

        start(withGoals());
        Collections.shuffle(events, new Random(42));
        // Half now, half later, with emissions between: partial scorecards are emitted and then corrected.
        pipe(events.subList(0, events.size() / 2));
        emit();
        pipe(events.subList(events.size() / 2, events.size()));
        emit();
        assertThat(withoutTime(scorecards.readKeyValuesToMap())).isEqualTo(inOrder);
        assertThat(healthWithoutTime(health.readKeyValuesToMap())).isEqualTo(healthInOrder);
    }

    @Test
    void shouldReportTheChangeSinceThePreviousWeekWhenAWeekFollowsAnother() {
        start(withGoals());
        pipe(ScriptedCommunity.events(2));
        emit();
        Map<CommunityDayKey, MaturityScorecard> cards = scorecards.readKeyValuesToMap();
        MaturityScorecard week = cards.get(new CommunityDayKey("stage-2", WEEK));
        MaturityScorecard before = cards.get(new CommunityDayKey("stage-2", WEEK.minusWeeks(1)));
        assertThat(cards.get(new CommunityDayKey("stage-2", WINDOW)).getPreviousOverallScore()).isNull();
        assertThat(week.getPreviousOverallScore()).isEqualTo(before.getOverallScore());
        assertThat(week.getScoreChange()).isCloseTo(week.getOverallScore() - before.getOverallScore(),
                org.assertj.core.data.Offset.offset(0.0002));
        assertThat(week.getStageChange()).isEqualTo(week.getOverallStage() - before.getOverallStage());
        CompetencyScore cm = week.getCompetencies().get(3);
        assertThat(cm.getPreviousStage()).isEqualTo(before.getCompetencies().get(3).getStage());
    }

    @Test
    void shouldRescoreTheFormerLatestWeekWhenALaterWeekBegins() {
        start(withGoals());
        ActivityEvent monday = TestEvents.event("e1", "late", EventType.THREAD_CREATED, "ann",
                WEEK.atTime(10, 0).toInstant(ZoneOffset.UTC));
        monday.setThreadId("e1");
        pipe(List.of(monday));
        emit();
        MaturityScorecard open = scorecards.readKeyValuesToMap().get(new CommunityDayKey("late", WEEK));
        assertThat(open.getPeriodEnd()).isEqualTo(WEEK);
        assertThat(open.getComplete()).isFalse();

        ActivityEvent later = TestEvents.event("e2", "late", EventType.REACTION_ADDED, "bob",
                WEEK.plusDays(9).atTime(10, 0).toInstant(ZoneOffset.UTC));
        pipe(List.of(later));
        emit();
        Map<CommunityDayKey, MaturityScorecard> cards = scorecards.readKeyValuesToMap();
        MaturityScorecard closed = cards.get(new CommunityDayKey("late", WEEK));
        assertThat(closed.getPeriodEnd()).isEqualTo(WEEK.plusDays(6));
        assertThat(closed.getComplete()).isTrue();
        assertThat(cards.get(new CommunityDayKey("late", WEEK.plusWeeks(1))).getPreviousOverallScore())
                .isEqualTo(closed.getOverallScore());
    }

    @Test
    void shouldRescoreTheThreadsWeekWhenAReplyInALaterWeekAnswersIt() {
        start(withGoals());
        ActivityEvent sunday = TestEvents.event("t1", "answers", EventType.THREAD_CREATED, "ann",
                WEEK.plusDays(6).atTime(23, 0).toInstant(ZoneOffset.UTC));
        sunday.setThreadId("t1");
        // The next week has begun already, so only the reply's thread can send the scorer back to WEEK.
        ActivityEvent next = TestEvents.event("x1", "answers", EventType.REACTION_ADDED, "cy",
                WEEK.plusDays(7).atTime(0, 30).toInstant(ZoneOffset.UTC));
        pipe(List.of(sunday, next));
        emit();
        assertThat(evidence(scorecards.readKeyValuesToMap().get(new CommunityDayKey("answers", WEEK)),
                "responded_within_24h_share").getValue()).isEqualTo(0.0);

        ActivityEvent monday = TestEvents.event("r1", "answers", EventType.REPLY_CREATED, "bob",
                WEEK.plusDays(7).atTime(1, 0).toInstant(ZoneOffset.UTC));
        monday.setThreadId("t1");
        pipe(List.of(monday));
        emit();
        assertThat(evidence(scorecards.readKeyValuesToMap().get(new CommunityDayKey("answers", WEEK)),
                "responded_within_24h_share").getValue()).isEqualTo(1.0);
    }

    @Test
    void shouldNotCountAnAcknowledgementInWeeksBeforeItWasMade() {
        start(withGoals());
        ActivityEvent grant = TestEvents.event("g1", "policy", EventType.ROLE_GRANTED, "cm",
                WINDOW.atTime(9, 0).toInstant(ZoneOffset.UTC));
        grant.setAttributes(Map.of("role", "community-manager"));
        ActivityEvent ack = TestEvents.event("a1", "policy", EventType.POLICY_ACKNOWLEDGED, "cm",
                WEEK.atTime(9, 0).toInstant(ZoneOffset.UTC));
        ack.setAttributes(Map.of("policy", "guidelines"));
        pipe(List.of(ack, grant));
        emit();
        Map<CommunityDayKey, MaturityScorecard> cards = scorecards.readKeyValuesToMap();
        assertThat(evidence(cards.get(new CommunityDayKey("policy", WEEK.minusWeeks(1))), "guideline_acknowledged_share")
                .getValue()).isEqualTo(0.0);
        assertThat(evidence(cards.get(new CommunityDayKey("policy", WEEK)), "guideline_acknowledged_share")
                .getValue()).isEqualTo(1.0);
    }

    @Test
    void shouldGiveEveryWeekRoleSignalsWhenACommunityStartsUsingRoles() {
        start(withGoals());
        ActivityEvent before = TestEvents.event("p1", "adopter", EventType.REACTION_ADDED, "ann",
                WEEK.minusWeeks(1).atTime(10, 0).toInstant(ZoneOffset.UTC));
        ActivityEvent now = TestEvents.event("p2", "adopter", EventType.REACTION_ADDED, "ann",
                WEEK.atTime(10, 0).toInstant(ZoneOffset.UTC));
        pipe(List.of(before, now));
        emit();
        assertThat(evidence(scorecards.readKeyValuesToMap().get(new CommunityDayKey("adopter", WEEK.minusWeeks(1))),
                "team_roles_active_share").getValue()).isNull();

        ActivityEvent grant = TestEvents.event("g1", "adopter", EventType.ROLE_GRANTED, "cm",
                WEEK.atTime(11, 0).toInstant(ZoneOffset.UTC));
        grant.setAttributes(Map.of("role", "community-manager"));
        pipe(List.of(grant));
        emit();
        // The week before the first grant now reads "no role filled", as a replay with the grant from the start would.
        MaturityScorecard earlier = scorecards.readKeyValuesToMap().get(new CommunityDayKey("adopter", WEEK.minusWeeks(1)));
        assertThat(evidence(earlier, "team_roles_active_share").getValue()).isEqualTo(0.0);
        assertThat(evidence(earlier, "required_roles_filled_share").getValue()).isEqualTo(0.0);
    }

    @Test
    void shouldCountAskersAndRepliersOfTheFourWeekWindowWhenScoringEachWeek() {
        start(withGoals());
        pipe(List.of(
                post("b0", EventType.THREAD_CREATED, "bob", "t0", WEEK.minusWeeks(4)), // before WEEK's window
                post("a1", EventType.THREAD_CREATED, "ann", "t1", WEEK.minusWeeks(3)),
                post("b1", EventType.REPLY_CREATED, "bob", "t1", WEEK.minusWeeks(1)),
                post("a2", EventType.REPLY_CREATED, "ann", "t1", WEEK),
                post("c1", EventType.THREAD_CREATED, "cy", "t2", WEEK.plusDays(2)),
                post("d1", EventType.THREAD_CREATED, "dan", "t3", WEEK.plusWeeks(1))));
        emit();

        Map<CommunityDayKey, MaturityScorecard> cards = scorecards.readKeyValuesToMap();
        // WEEK: askers ann (3 weeks before) and cy, repliers bob and ann: only ann did both.
        SignalEvidence week = evidence(cards.get(new CommunityDayKey("window", WEEK)), "reciprocity_28d");
        assertThat(week.getValue()).isEqualTo(1.0 / 3);
        assertThat(week.getInputs()).containsEntry("askersAndRepliers", 1.0).containsEntry("askersOrRepliers", 3.0);
        // The week after: ann's thread left the window; askers cy and dan, repliers bob and ann.
        SignalEvidence next = evidence(cards.get(new CommunityDayKey("window", WEEK.plusWeeks(1))), "reciprocity_28d");
        assertThat(next.getValue()).isEqualTo(0.0);
        assertThat(next.getInputs()).containsEntry("askersOrRepliers", 4.0);
    }

    private static ActivityEvent post(String id, EventType type, String actor, String thread, LocalDate day) {
        ActivityEvent e = TestEvents.event(id, "window", type, actor, day.atTime(10, 0).toInstant(ZoneOffset.UTC));
        e.setThreadId(thread);
        return e;
    }

    static SignalEvidence evidence(MaturityScorecard card, String signal) {
        return card.getCompetencies().stream().flatMap(c -> c.getEvidence().stream())
                .filter(e -> e.getSignal().equals(signal)).findFirst().orElseThrow();
    }

    static Map<CommunityDayKey, MaturityScorecard> withoutTime(Map<CommunityDayKey, MaturityScorecard> in) {
        Map<CommunityDayKey, MaturityScorecard> out = new HashMap<>();
        in.forEach((k, v) -> out.put(k, MaturityScorecard.newBuilder(v).setUpdatedAt(Instant.EPOCH).build()));
        return out;
    }

    private static Map<CommunityDayKey, CommunityHealth> healthWithoutTime(Map<CommunityDayKey, CommunityHealth> in) {
        Map<CommunityDayKey, CommunityHealth> out = new HashMap<>();
        in.forEach((k, v) -> out.put(k, CommunityHealth.newBuilder(v).setUpdatedAt(Instant.EPOCH).build()));
        return out;
    }

    /** Events of a community built to sit at one stage on every competency with the default rules (see docs/maturity.md). */
    static final class ScriptedCommunity {
        private final String community;
        private final List<ActivityEvent> events = new ArrayList<>();
        private int seq;

        private ScriptedCommunity(String community) {
            this.community = community;
        }

        static List<ActivityEvent> events(int stage) {
            ScriptedCommunity s = new ScriptedCommunity("stage-" + stage);
            s.build(stage);
            return s.events;
        }

        private Instant at(int day, int hour) {
            return WINDOW.plusDays(day).atTime(hour, seq % 60).toInstant(ZoneOffset.UTC);
        }

        private ActivityEvent add(EventType type, String actor, Instant at, SourcePlatform source, String... attributes) {
            ActivityEvent e = TestEvents.event(community + "-" + seq++, community, type, actor, at);
            e.setSource(source);
            Map<String, String> map = new HashMap<>();
            for (int i = 0; i < attributes.length; i += 2) {
                map.put(attributes[i], attributes[i + 1]);
            }
            e.setAttributes(map);
            events.add(e);
            return e;
        }

        private void build(int stage) {
            SourcePlatform main = SourcePlatform.GENERATOR;
            // Roles (granted on day 0): team roles filled, required ones among them.
            List<String> roles = switch (stage) {
                case 2 -> List.of("community-manager", "product-manager");
                case 3 -> List.of("sponsor", "community-manager", "product-manager");
                case 4 -> List.of("sponsor", "community-manager", "technical-developer-designer", "product-manager",
                        "project-manager");
                default -> List.of();
            };
            for (String role : roles) {
                add(EventType.ROLE_GRANTED, role, at(0, 9), main, "role", role);
            }
            // Corporate users, the trained ones among them, and who acknowledged the guidelines.
            int corporate = switch (stage) {
                case 2 -> 4;
                case 3, 4 -> 2;
                default -> 0;
            };
            int trained = switch (stage) {
                case 2 -> 1;
                case 3 -> 1;
                case 4 -> 2;
                default -> 0;
            };
            for (int i = 0; i < corporate; i++) {
                add(EventType.ROLE_GRANTED, "corp" + i, at(0, 9), main, "level", "corporate-user");
                if (i < trained) {
                    add(EventType.TRAINING_COMPLETED, "corp" + i, at(0, 10), main, "course", "social-media-guidelines");
                }
            }
            List<String> accountable = new ArrayList<>(roles);
            for (int i = 0; i < corporate; i++) {
                accountable.add("corp" + i);
            }
            int acknowledged = switch (stage) {
                case 2 -> 2;
                case 3 -> 3;
                case 4 -> accountable.size();
                default -> 0;
            };
            for (int i = 0; i < acknowledged; i++) {
                add(EventType.POLICY_ACKNOWLEDGED, accountable.get(i), at(0, 11), main, "policy", "guidelines");
            }
            // Programmed threads by the community manager: weeks and counts.
            int[] programmedPerWeek = switch (stage) {
                case 2 -> new int[] {0, 0, 1, 0};
                case 3 -> new int[] {0, 2, 2, 0};
                case 4 -> new int[] {3, 2, 2, 1};
                default -> new int[] {0, 0, 0, 0};
            };
            for (int w = 0; w < 4; w++) {
                for (int i = 0; i < programmedPerWeek[w]; i++) {
                    ActivityEvent t = add(EventType.THREAD_CREATED, "community-manager", at(7 * w, 8), main,
                            "kind", "event");
                    t.setThreadId(t.getEventId());
                }
            }
            // The week's questions (Monday of the scored week = day 21), answered within an hour or never; askers
            // who reply answer someone else's question (a1's by a2, ...).
            int answered = new int[] {2, 6, 8, 10}[stage - 1];
            List<String> repliers = switch (stage) {
                case 1 -> List.of("r1", "r2");
                case 2 -> List.of("r1", "r2", "community-manager", "product-manager", "community-manager",
                        "product-manager");
                case 3 -> List.of("a2", "a3", "a4", "r1", "r2", "sponsor", "community-manager", "product-manager");
                default -> List.of("a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "community-manager", "sponsor");
            };
            for (int i = 0; i < 10; i++) {
                ActivityEvent t = add(EventType.THREAD_CREATED, "a" + (i + 1), at(21, 10), main);
                t.setThreadId(t.getEventId());
                if (i < answered) {
                    ActivityEvent r = add(EventType.REPLY_CREATED, repliers.get(i), at(21, 11), main);
                    r.setThreadId(t.getEventId());
                    r.setParentId(t.getEventId());
                }
            }
            // Every role holder shows up in the week, so they count as active.
            for (String role : roles) {
                add(EventType.REACTION_ADDED, role, at(21, 12), main);
            }
            // Days with events, and the sources they came through.
            int days = new int[] {3, 10, 16, 26}[stage - 1];
            List<Integer> fillerDays = new ArrayList<>();
            if (stage == 1) {
                fillerDays.addAll(List.of(0, 7));
            } else {
                for (int d = 0; d < days - 1 - (stage == 4 ? 4 : 0); d++) {
                    fillerDays.add(d);
                }
                if (stage == 4) {
                    fillerDays.addAll(List.of(22, 23, 24, 25));
                }
            }
            List<SourcePlatform> sources = switch (stage) {
                case 1 -> List.of(SourcePlatform.DISCOURSE, SourcePlatform.SLACK);
                case 2 -> List.of(main);
                case 3 -> List.of(main, SourcePlatform.DISCOURSE);
                default -> List.of(main, SourcePlatform.DISCOURSE, SourcePlatform.SLACK);
            };
            for (int i = 0; i < fillerDays.size(); i++) {
                add(EventType.REACTION_ADDED, "fan", at(fillerDays.get(i), 13), sources.get(i % sources.size()));
            }
            // Stages 3 and 4 need every source in the scored week too.
            if (stage >= 3) {
                for (SourcePlatform source : sources) {
                    add(EventType.REACTION_ADDED, "fan", at(21, 14), source);
                }
            }
            // Votes without a voter, as Stack Exchange publishes them: complete records all the same.
            add(EventType.REACTION_ADDED, null, at(21, 15), main);
            declareFor(stage);
        }

        /** The declarations of each stage, all effective on the window's first day unless said otherwise. */
        private void declareFor(int stage) {
            if (stage >= 2) {
                // Goals: threads_week 10 of 20 (0.5), of 12.5 (0.8), of 11 (0.91); stage 3 and 4 add more.
                double target = new double[] {0, 20, 12.5, 11}[stage - 1];
                declare(0, "declaration", "goal", "signal", "threads_week", "target", String.valueOf(target),
                        "deadline", "2030-06-30");
                declare(0, "declaration", "policy", "policy", "guidelines");
                declare(0, "declaration", "dashboard", "name", "weekly community dashboard");
            }
            if (stage >= 3) {
                declare(0, "declaration", "goal", "signal", "responded_within_24h_share", "target", "1.0");
                declare(0, "declaration", "strategy", "title", "Community strategy",
                        "evidence", "https://intranet.example/" + community + "/strategy");
                declare(14, "declaration", "metrics-review");
                declare(0, "declaration", "assessment", "competency", "culture", "stage", String.valueOf(stage),
                        "method", "survey");
            }
            if (stage >= 4) {
                declare(0, "declaration", "goal", "signal", "wau", "target", "5");
                declare(0, "declaration", "purpose", "purpose", "Customers help each other",
                        "channels", "forum,slack");
                declare(0, "declaration", "budget", "amount", "50000", "currency", "EUR", "period", "year");
                declare(0, "declaration", "policy", "policy", "moderation");
                declare(0, "declaration", "dashboard", "name", "executive dashboard");
                declare(0, "declaration", "metrics-review", "subject", "review-1");
                declare(7, "declaration", "metrics-review", "subject", "review-2");
            }
        }

        private void declare(int day, String... attributes) {
            Map<String, String> map = new HashMap<>();
            for (int i = 0; i < attributes.length; i += 2) {
                map.put(attributes[i], attributes[i + 1]);
            }
            map.putIfAbsent("evidence", "https://intranet.example/" + community + "/" + seq);
            map.putIfAbsent("declared_by", "community-manager");
            events.add(Declaration.of(community, WINDOW.plusDays(day).atStartOfDay().toInstant(ZoneOffset.UTC), map)
                    .toEvent(community + "-d" + seq++, SourcePlatform.OTHER));
        }
    }
}
