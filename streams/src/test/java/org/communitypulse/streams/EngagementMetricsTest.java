package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EngagementLevel;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engagement metrics on a scripted community whose every value is worked out by hand in the
 * comments, and their independence from arrival order and duplicates. See docs/metrics.md.
 */
class EngagementMetricsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String C = "bikes";
    private static final LocalDate MON = LocalDate.parse("2024-04-01");

    @TempDir
    Path stateDirs;

    private final List<TopologyTestDriver> drivers = new ArrayList<>();
    private int runs;

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    /** Latest record per key of every engagement output after all events and one emission. */
    private record Outputs(Map<CommunityDayKey, DailyEngagement> daily,
                           Map<CommunityDayKey, TrailingEngagement> trailing,
                           Map<CommunityDayKey, CohortRetention> retention,
                           Map<MemberKey, MemberEngagement> members) {
    }

    private Outputs run(List<ActivityEvent> events) {
        return run(events, EngagementSettings.defaults());
    }

    private Outputs run(List<ActivityEvent> events, EngagementSettings settings) {
        return run(events, settings, 7);
    }

    /** With an emission after every {@code emitEvery} events, and one after the last. */
    private Outputs run(List<ActivityEvent> events, EngagementSettings settings, int emitEvery) {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("t.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "engagement-metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve("run-" + runs++).toString());
        TopologyTestDriver driver = new TopologyTestDriver(EngagementTopology.build(topics, serdes,
                new IntakeSettings(Optional.empty(), Duration.ofDays(1)), settings,
                AlertSettings.defaults().withWallClock(false), RuntimeHooks.defaults().withClock(CLOCK)), props);
        drivers.add(driver);
        TestInputTopic<String, ActivityEvent> in = driver.createInputTopic(topics.activity().name(),
                topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
        for (int i = 0; i < events.size(); i++) {
            in.pipeInput(events.get(i).getCommunityId(), events.get(i));
            // Emissions in the middle of the stream must not change the final values.
            if (i % emitEvery == 3) {
                driver.advanceWallClockTime(settings.emitInterval());
            }
        }
        driver.advanceWallClockTime(settings.emitInterval());
        return new Outputs(latest(driver, topics.dailyEngagement()), latest(driver, topics.trailingEngagement()),
                latest(driver, topics.retention()), latest(driver, topics.memberLevels()));
    }

    private static <K, V> Map<K, V> latest(TopologyTestDriver driver, Topic<K, V> topic) {
        TestOutputTopic<K, V> out = driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        Map<K, V> latest = new HashMap<>();
        out.readKeyValuesToList().forEach(kv -> {
            if (kv.value == null) {
                latest.remove(kv.key);
            } else {
                latest.put(kv.key, kv.value);
            }
        });
        return latest;
    }

    private static ActivityEvent event(String id, EventType type, String actor, String thread, String at,
                                       Map<String, String> attributes) {
        return ActivityEvent.newBuilder().setEventId(id).setCommunityId(C).setSource(SourcePlatform.GENERATOR)
                .setType(type).setActorId(actor).setThreadId(thread).setOccurredAt(Instant.parse(at))
                .setAttributes(attributes).build();
    }

    /**
     * The script. Week of Monday 2024-04-01:
     * 04-01 alice starts t1 at 10:00 and replies to herself at 10:30 (a comment, not a response);
     * bob, a moderator since 03-31, answers at 12:00 (first response: 7,200 s); carol starts t2 at
     * 11:00, never answered; bob's answer is accepted at 13:00.
     * 04-03 dave starts t3 at 09:00; a reply with no actor comes 04-05 09:00 (172,800 s).
     * 04-15 alice replies again (no kind). 05-06 someone joins: the community's latest day.
     */
    private static List<ActivityEvent> script() {
        return new ArrayList<>(List.of(
                event("g", EventType.ROLE_GRANTED, "bob", null, "2024-03-31T08:00:00Z", Map.of("role", "Moderator")),
                event("t1", EventType.THREAD_CREATED, "alice", "t1", "2024-04-01T10:00:00Z", Map.of()),
                event("r1", EventType.REPLY_CREATED, "alice", "t1", "2024-04-01T10:30:00Z", Map.of("kind", "comment")),
                event("t2", EventType.THREAD_CREATED, "carol", "t2", "2024-04-01T11:00:00Z", Map.of()),
                event("r2", EventType.REPLY_CREATED, "bob", "t1", "2024-04-01T12:00:00Z", Map.of("kind", "answer")),
                event("a1", EventType.ANSWER_ACCEPTED, "alice", "t1", "2024-04-01T13:00:00Z",
                        Map.of("answerAuthorId", "bob")),
                event("t3", EventType.THREAD_CREATED, "dave", "t3", "2024-04-03T09:00:00Z", Map.of()),
                event("r3", EventType.REPLY_CREATED, null, "t3", "2024-04-05T09:00:00Z", Map.of("kind", "comment")),
                event("r4", EventType.REPLY_CREATED, "alice", "t1", "2024-04-15T16:00:00Z", Map.of()),
                event("j1", EventType.MEMBER_JOINED, "erin", null, "2024-05-06T07:00:00Z", Map.of())));
    }

    private static CommunityDayKey day(String date) {
        return new CommunityDayKey(C, LocalDate.parse(date));
    }

    @Test
    void shouldComputeEveryDailyFieldWhenTheScriptedCommunityIsReplayed() {
        Outputs out = run(script());

        DailyEngagement first = out.daily().get(day("2024-04-01"));
        assertThat(first.getThreads()).isEqualTo(2);
        assertThat(first.getReplies()).isEqualTo(2);
        assertThat(first.getAnswers()).isEqualTo(1);
        assertThat(first.getComments()).isEqualTo(1);
        assertThat(first.getOtherReplies()).isZero();
        assertThat(first.getActiveMembers()).isEqualTo(3);
        assertThat(first.getEvents()).isEqualTo(5);
        // bob is staff that day: only alice's reply is a peer's, and the accepted answer is bob's.
        assertThat(first.getPeerReplies()).isEqualTo(1);
        assertThat(first.getPeerReplyShare()).isEqualTo(0.5);
        assertThat(first.getPeerAcceptedAnswers()).isZero();
        assertThat(first.getPeerAcceptedShare()).isEqualTo(0.0);
        // t1 answered after 2 h by bob (alice's own reply does not count), t2 never.
        assertThat(first.getThreadsResponded()).isEqualTo(1);
        assertThat(first.getThreadsUnanswered()).isEqualTo(1);
        assertThat(first.getFirstResponseP50Seconds()).isEqualTo(7_200);
        assertThat(first.getFirstResponseP90Seconds()).isEqualTo(7_200);
        assertThat(first.getRespondedWithin24hShare()).isEqualTo(0.5);
        assertThat(first.getRespondedWithin7dShare()).isEqualTo(0.5);

        DailyEngagement third = out.daily().get(day("2024-04-03"));
        assertThat(third.getFirstResponseP50Seconds()).isEqualTo(172_800);
        assertThat(third.getRespondedWithin24hShare()).isEqualTo(0.0);
        assertThat(third.getRespondedWithin7dShare()).isEqualTo(1.0);

        DailyEngagement fifth = out.daily().get(day("2024-04-05"));
        // A reply with no actor is a peer's and makes no member active.
        assertThat(fifth.getPeerReplyShare()).isEqualTo(1.0);
        assertThat(fifth.getActiveMembers()).isZero();
        assertThat(out.daily().get(day("2024-04-15")).getOtherReplies()).isEqualTo(1);
        assertThat(out.daily().get(day("2024-04-02"))).as("no events that day").isNull();
    }

    @Test
    void shouldComputeTrailingWindowsForEveryCalendarDayWhenDaysHaveNoEvents() {
        Outputs out = run(script());

        // Dense from the first active day (04-01) to the latest day (05-06): 36 days.
        assertThat(out.trailing()).hasSize(36);
        TrailingEngagement t = out.trailing().get(day("2024-04-03"));
        assertThat(t.getDau()).isEqualTo(1);
        assertThat(t.getWau()).isEqualTo(4);
        assertThat(t.getMau()).isEqualTo(4);
        // DAU 3 on 04-01 and 1 on 04-03, over 28 days, over MAU 4.
        assertThat(t.getStickiness()).isCloseTo(4 / 28.0 / 4, within(1e-12));
        assertThat(t.getThreads7d()).isEqualTo(3);
        assertThat(t.getReplies7d()).isEqualTo(2);
        // alice 2, bob 1, carol 1, dave 1: the top 1% and 10% (one member each) is alice.
        assertThat(t.getContributions28d()).isEqualTo(5);
        assertThat(t.getTop1PercentShare()).isEqualTo(0.4);
        assertThat(t.getTop10PercentShare()).isEqualTo(0.4);
        assertThat(t.getPeerReplyShare28d()).isEqualTo(0.5);
        // t2 never answered, t3 answered only on 04-05.
        assertThat(t.getOpenThreads()).isEqualTo(2);

        TrailingEngagement fifth = out.trailing().get(day("2024-04-05"));
        assertThat(fifth.getOpenThreads()).isEqualTo(1);
        assertThat(fifth.getReplies7d()).isEqualTo(3);
        assertThat(fifth.getPeerReplyShare28d()).isCloseTo(2 / 3.0, within(1e-12));

        TrailingEngagement quiet = out.trailing().get(day("2024-04-20"));
        assertThat(quiet.getDau()).isZero();
        assertThat(quiet.getWau()).as("alice on 04-15").isEqualTo(1);
        TrailingEngagement last = out.trailing().get(day("2024-05-06"));
        assertThat(last.getMau()).as("alice on 04-15 only").isEqualTo(1);
        assertThat(last.getWau()).isZero();
        assertThat(last.getStickiness()).as("DAU 1 on one day of 28, MAU 1").isCloseTo(1 / 28.0, within(1e-12));
        assertThat(last.getOpenThreads()).isZero();
    }

    @Test
    void shouldReportCohortRetentionAndMemberLevelsAsOfTheLatestDay() {
        Outputs out = run(script());

        // alice, bob, carol and dave all started in the week of 04-01; only alice came back (04-15).
        assertThat(out.retention()).containsOnlyKeys(day("2024-04-01"));
        CohortRetention cohort = out.retention().get(day("2024-04-01"));
        assertThat(cohort.getCohortSize()).isEqualTo(4);
        assertThat(cohort.getRetained()).isEqualTo(1);
        assertThat(cohort.getRetainedShare()).isEqualTo(0.25);
        assertThat(cohort.getComplete()).as("05-06 is past 04-01 + 34 days").isTrue();

        // As of 05-06 the 28-day window starts 04-09.
        assertThat(out.members()).hasSize(4);
        MemberEngagement alice = out.members().get(new MemberKey(C, "alice"));
        assertThat(alice.getLevel()).isEqualTo(EngagementLevel.PARTICIPANT);
        assertThat(alice.getContributions28d()).isEqualTo(1);
        assertThat(alice.getContributionsTotal()).isEqualTo(3);
        MemberEngagement bob = out.members().get(new MemberKey(C, "bob"));
        assertThat(bob.getLevel()).isEqualTo(EngagementLevel.INACTIVE);
        assertThat(bob.getStaff()).isTrue();
        assertThat(out.members().get(new MemberKey(C, "erin"))).as("joining is not contributing").isNull();
    }

    @Test
    void shouldTreatAMemberAsPeerWhenTheStaffRoleWasRevokedBeforeTheDay() {
        List<ActivityEvent> events = script();
        // Revoked before 04-01 starts; delivered first, before the grant it closes.
        events.add(0, event("v", EventType.ROLE_REVOKED, "bob", null, "2024-03-31T23:00:00Z",
                Map.of("role", "moderator")));
        Outputs out = run(events);

        DailyEngagement first = out.daily().get(day("2024-04-01"));
        assertThat(first.getPeerReplies()).isEqualTo(2);
        assertThat(first.getPeerAcceptedAnswers()).isEqualTo(1);
        assertThat(out.members().get(new MemberKey(C, "bob")).getStaff()).isFalse();
    }

    @Test
    void shouldNameChampionsContributorsAndNewcomersFromTheirLast28Days() {
        List<ActivityEvent> events = new ArrayList<>();
        Instant base = Instant.parse("2024-05-01T00:00:00Z");
        for (int i = 0; i < 20; i++) {
            events.add(event("c" + i, EventType.REPLY_CREATED, "champ", "x", base.plus(Duration.ofHours(i)).toString(),
                    Map.of()));
        }
        for (int i = 0; i < 5; i++) {
            events.add(event("k" + i, EventType.REPLY_CREATED, "regular", "x", base.plus(Duration.ofHours(i)).toString(),
                    Map.of()));
        }
        // "old" contributed long ago and once recently; "new" first contributed within the window.
        events.add(event("o1", EventType.THREAD_CREATED, "old", "x", "2024-01-10T00:00:00Z", Map.of()));
        events.add(event("o2", EventType.REPLY_CREATED, "old", "x", "2024-05-10T00:00:00Z", Map.of()));
        events.add(event("n1", EventType.REPLY_CREATED, "new", "x", "2024-05-20T00:00:00Z", Map.of()));
        Map<MemberKey, MemberEngagement> members = run(events).members();

        assertThat(members.get(new MemberKey(C, "champ")).getLevel()).isEqualTo(EngagementLevel.CHAMPION);
        assertThat(members.get(new MemberKey(C, "regular")).getLevel()).isEqualTo(EngagementLevel.CONTRIBUTOR);
        assertThat(members.get(new MemberKey(C, "old")).getLevel()).isEqualTo(EngagementLevel.PARTICIPANT);
        assertThat(members.get(new MemberKey(C, "new")).getLevel()).isEqualTo(EngagementLevel.NEWCOMER);
    }

    @Test
    void shouldEmitIdenticalOutputsWhenEventsArriveShuffledOrTwice() {
        List<ActivityEvent> events = randomCommunity(new Random(3), 400);
        Outputs inOrder = run(events);
        assertThat(inOrder.trailing()).isNotEmpty();
        assertThat(inOrder.retention()).isNotEmpty();
        for (long seed : new long[] {1, 2, 3}) {
            List<ActivityEvent> shuffled = new ArrayList<>(events);
            shuffled.addAll(events.subList(0, events.size() / 10));
            Collections.shuffle(shuffled, new Random(seed));
            Outputs again = run(shuffled);
            assertSame("daily, seed " + seed, again.daily(), inOrder.daily());
            assertSame("trailing, seed " + seed, again.trailing(), inOrder.trailing());
            assertSame("retention, seed " + seed, again.retention(), inOrder.retention());
            assertSame("members, seed " + seed, again.members(), inOrder.members());
        }
    }

    /**
     * A member's state keeps only the days its level and retention read, the rest of its history is in the
     * member-day index: a role change, an accepted answer or a first contribution arriving late for a day long
     * pruned from the state must still reach every day of that history.
     */
    @Test
    void shouldEmitIdenticalOutputsWhenLateEventsReachBackOverHistoriesLongerThanTheKeptDays() {
        List<ActivityEvent> events = randomCommunity(new Random(11), 4000, 300);
        // Fewer emissions than the other replays: 4,000 events, and the pruning does not depend on them.
        Outputs inOrder = run(sortedByTime(events), EngagementSettings.defaults(), 100);
        KeyValueStore<String, MemberState> members = drivers.get(drivers.size() - 1)
                .getKeyValueStore(EngagementTopology.MEMBER_STORE);
        int longest = 0;
        try (var all = members.all()) {
            while (all.hasNext()) {
                longest = Math.max(longest, all.next().value.getDays().size());
            }
        }
        // 15 members over 300 days, each active on about 90 of them: more than the 28 + 35 a state keeps.
        assertThat(longest).isBetween(1, 28 + 35);
        List<ActivityEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(1));
        Outputs again = run(shuffled, EngagementSettings.defaults(), 100);
        assertSame("daily", again.daily(), inOrder.daily());
        assertSame("trailing", again.trailing(), inOrder.trailing());
        assertSame("retention", again.retention(), inOrder.retention());
        assertSame("members", again.members(), inOrder.members());
    }

    private static List<ActivityEvent> sortedByTime(List<ActivityEvent> events) {
        List<ActivityEvent> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparing(ActivityEvent::getOccurredAt));
        return sorted;
    }

    @Test
    void shouldCountTheWeeksCohortBeforeItsFollowUpWhenAMemberMovesToAnEarlierWeek() {
        List<ActivityEvent> events = List.of(
                event("x", EventType.THREAD_CREATED, "xavier", "tx", "2024-04-09T10:00:00Z", Map.of()),
                event("y", EventType.THREAD_CREATED, "yan", "ty", "2024-04-10T10:00:00Z", Map.of()),
                event("z", EventType.REPLY_CREATED, "zoe", "tx", "2024-04-11T10:00:00Z", Map.of()),
                // Late: yan's first contribution was the week before, so yan leaves the 04-08 cohort.
                event("y0", EventType.REPLY_CREATED, "yan", "tx", "2024-04-02T10:00:00Z", Map.of()));

        Outputs out = run(events);

        // The latest day (04-11) is before the 04-08 cohort's follow-up (from 04-15): xavier and zoe, none retained.
        CohortRetention current = out.retention().get(day("2024-04-08"));
        assertThat(current.getCohortSize()).isEqualTo(2);
        assertThat(current.getRetained()).isZero();
        assertThat(current.getComplete()).isFalse();
        // yan's cohort is 04-01, and 04-10 is in its follow-up: retained.
        CohortRetention earlier = out.retention().get(day("2024-04-01"));
        assertThat(earlier.getCohortSize()).isEqualTo(1);
        assertThat(earlier.getRetained()).isEqualTo(1);
    }

    @Test
    void shouldEmitIdenticalOutputsWhenTheStateCacheEvictsOnEveryAccess() {
        List<ActivityEvent> events = randomCommunity(new Random(5), 400);
        Outputs cached = run(events);
        // One entry per store: every read of another key writes the previous one down and drops it.
        Outputs evicting = run(events, EngagementSettings.defaults().withStateCacheEntries(1));
        assertThat(cached.daily()).isNotEmpty();
        assertSame("daily", evicting.daily(), cached.daily());
        assertSame("trailing", evicting.trailing(), cached.trailing());
        assertSame("retention", evicting.retention(), cached.retention());
        assertSame("members", evicting.members(), cached.members());
    }

    /** Equal maps, or a failure naming the first keys that differ (a whole-map diff is unreadable). */
    private static <K, V> void assertSame(String what, Map<K, V> actual, Map<K, V> expected) {
        List<String> differences = new ArrayList<>();
        for (K key : expected.keySet()) {
            if (!java.util.Objects.equals(actual.get(key), expected.get(key)) && differences.size() < 3) {
                differences.add(key + ":\n  expected " + expected.get(key) + "\n  actual   " + actual.get(key));
            }
        }
        actual.keySet().stream().filter(k -> !expected.containsKey(k)).limit(3)
                .forEach(k -> differences.add(k + ": unexpected " + actual.get(k)));
        assertThat(differences).as(what).isEmpty();
    }

    /** Threads, replies (some anonymous), reactions, acceptances and staff-role churn over ten weeks. */
    private static List<ActivityEvent> randomCommunity(Random random, int count) {
        return randomCommunity(random, count, 70);
    }

    private static List<ActivityEvent> randomCommunity(Random random, int count, int spanDays) {
        EventType[] types = {EventType.THREAD_CREATED, EventType.REPLY_CREATED, EventType.REPLY_CREATED,
            EventType.REACTION_ADDED, EventType.ANSWER_ACCEPTED, EventType.MEMBER_JOINED, EventType.ROLE_GRANTED,
            EventType.ROLE_REVOKED};
        // Every span ends on 2024-04-11, before the test's clock: the intake takes no future events.
        Instant start = Instant.parse("2024-04-11T00:00:00Z").minus(Duration.ofDays(spanDays));
        List<ActivityEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EventType type = types[random.nextInt(types.length)];
            String actor = random.nextInt(12) == 0 ? null : "u" + random.nextInt(15);
            Instant at = start.plusMillis(random.nextLong(Duration.ofDays(spanDays).toMillis()));
            Map<String, String> attributes = switch (type) {
                case REPLY_CREATED -> Map.of("kind", random.nextBoolean() ? "answer" : "comment");
                case ROLE_GRANTED, ROLE_REVOKED -> Map.of("role", random.nextBoolean() ? "moderator" : "helper");
                case ANSWER_ACCEPTED -> Map.of("answerAuthorId", "u" + random.nextInt(15));
                default -> Map.of();
            };
            events.add(event("e" + i, type, actor, "th" + random.nextInt(40), at.toString(), attributes));
        }
        return events;
    }
}
