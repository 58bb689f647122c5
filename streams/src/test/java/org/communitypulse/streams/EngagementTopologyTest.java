package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.TestEvents.copy;
import static org.communitypulse.streams.TestEvents.event;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PipelineObserver.IntakeOutcome;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.http.MicrometerPipelineObserver;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.intake.RejectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngagementTopologyTest {

    /** Wall clock of every test: the future check and updatedAt stamps are deterministic. */
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final LocalDate DAY_1 = LocalDate.parse("2024-05-30");
    private static final LocalDate DAY_2 = LocalDate.parse("2024-05-31");
    private static final Instant LAST_MS_OF_DAY_1 = Instant.parse("2024-05-30T23:59:59.999Z");
    private static final Instant START_OF_DAY_2 = Instant.parse("2024-05-31T00:00:00Z");
    private static final String METRIC_GROUP = "stream-pulse-metrics";

    @TempDir
    Path stateDirs;

    private final List<TopologyTestDriver> drivers = new ArrayList<>();
    private int runs;

    /** One running topology with its topics; several may exist in a test (one per replay). */
    private final class Run {
        final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        final Topics topics = new Topics("t.", serdes);
        final TopologyTestDriver driver;
        final TestInputTopic<String, ActivityEvent> activity;
        final TestInputTopic<byte[], byte[]> rawActivity;
        final TestOutputTopic<CommunityDayKey, DailyEngagement> daily;
        final TestOutputTopic<byte[], byte[]> deadLetters;
        final TestOutputTopic<String, ActivityEvent> late;
        /** Where the process-wide intake counter ({@code pulse_intake_events_total}) is registered. */
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();

        Run(IntakeSettings settings) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "engagement-topology-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve("run-" + runs++).toString());
            driver = new TopologyTestDriver(
                    EngagementTopology.build(topics, serdes, settings, EngagementSettings.defaults(),
                    AlertSettings.defaults().withWallClock(false),
                    RuntimeHooks.defaults().withClock(CLOCK).withObserver(new MicrometerPipelineObserver(meters))),
                    props);
            drivers.add(driver);
            activity = driver.createInputTopic(topics.activity().name(),
                    topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
            rawActivity = driver.createInputTopic(topics.activity().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            daily = driver.createOutputTopic(topics.dailyEngagement().name(),
                    topics.dailyEngagement().keySerde().deserializer(),
                    topics.dailyEngagement().valueSerde().deserializer());
            deadLetters = driver.createOutputTopic(topics.activityDeadLetters().name(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            late = driver.createOutputTopic(topics.activityLate().name(),
                    topics.activityLate().keySerde().deserializer(), topics.activityLate().valueSerde().deserializer());
        }

        void pipe(ActivityEvent event) {
            activity.pipeInput(event.getCommunityId(), event);
        }

        /** The wire bytes the activity serializer writes for {@code event}. */
        byte[] bytes(ActivityEvent event) {
            Serializer<ActivityEvent> serializer = topics.activity().valueSerde().serializer();
            return serializer.serialize(topics.activity().name(), event);
        }

        /** Lets the emission punctuator run, as a second of wall-clock time passing would. */
        void emit() {
            driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
        }

        /** The counts of the latest daily record per key (the fields this test is about). */
        Map<CommunityDayKey, DailyEngagement> latestDaily() {
            emit();
            Map<CommunityDayKey, DailyEngagement> latest = new HashMap<>();
            daily.readKeyValuesToMap().forEach((k, v) -> latest.put(k, counts(v)));
            return latest;
        }

        /** Sum of a pulse metric over every metric with that name whose tags include {@code tags}. */
        double metric(String name, Map<String, String> tags) {
            Map<MetricName, ? extends Metric> all = driver.metrics();
            List<Metric> matching = all.entrySet().stream()
                    .filter(e -> e.getKey().group().equals(METRIC_GROUP) && e.getKey().name().equals(name)
                            && e.getKey().tags().entrySet().containsAll(tags.entrySet()))
                    .map(Map.Entry::getValue)
                    .collect(Collectors.toList());
            assertThat(matching).as("metric %s %s among %s", name, tags, all.keySet()).isNotEmpty();
            return matching.stream().mapToDouble(m -> ((Number) m.metricValue()).doubleValue()).sum();
        }

        double metric(String name) {
            return metric(name, Map.of());
        }

        /** The Micrometer intake counter of one outcome and reason ({@code none} unless dead-lettered). */
        double intake(IntakeOutcome outcome, String reason) {
            return meters.get(MicrometerPipelineObserver.INTAKE_EVENTS).tag("outcome", outcome.label())
                    .tag("reason", reason).counter().count();
        }

        double intake(IntakeOutcome outcome) {
            return intake(outcome, MicrometerPipelineObserver.NO_REASON);
        }
    }

    @AfterEach
    void closeDrivers() {
        drivers.forEach(TopologyTestDriver::close);
    }

    private static IntakeSettings settings() {
        return new IntakeSettings(Optional.empty(), Duration.ofDays(1));
    }

    private static CommunityDayKey key(String community, LocalDate day) {
        return new CommunityDayKey(community, day);
    }

    private static DailyEngagement engagement(String community, LocalDate day, long threads, long replies,
                                              long reactions, long accepted, long newMembers, long active,
                                              long events) {
        return DailyEngagement.newBuilder().setCommunityId(community).setDay(day).setThreads(threads)
                .setReplies(replies).setReactions(reactions).setAcceptedAnswers(accepted).setNewMembers(newMembers)
                .setActiveMembers(active).setEvents(events).setUpdatedAt(NOW).build();
    }

    private static DailyEngagement counts(DailyEngagement d) {
        return engagement(d.getCommunityId(), d.getDay(), d.getThreads(), d.getReplies(), d.getReactions(),
                d.getAcceptedAnswers(), d.getNewMembers(), d.getActiveMembers(), d.getEvents());
    }

    @Test
    void shouldCountPerCommunityAndUtcDayWhenEventsSpanTwoCommunitiesAndMidnight() {
        Run run = new Run(settings());
        // bikes, day 1: everything at the last millisecond of the day.
        run.pipe(event("b1", "bikes", EventType.THREAD_CREATED, "alice", LAST_MS_OF_DAY_1));
        run.pipe(event("b2", "bikes", EventType.REPLY_CREATED, "bob", LAST_MS_OF_DAY_1));
        run.pipe(event("b3", "bikes", EventType.REPLY_CREATED, "alice", LAST_MS_OF_DAY_1));
        run.pipe(event("b4", "bikes", EventType.REACTION_ADDED, "carol", LAST_MS_OF_DAY_1));
        run.pipe(event("b5", "bikes", EventType.ANSWER_ACCEPTED, "alice", LAST_MS_OF_DAY_1));
        run.pipe(event("b6", "bikes", EventType.MEMBER_JOINED, "dave", LAST_MS_OF_DAY_1));
        run.pipe(event("b7", "bikes", EventType.MODERATION_ACTION, "mod", LAST_MS_OF_DAY_1));
        // bikes, day 2: the first millisecond belongs to the next UTC day.
        run.pipe(event("b8", "bikes", EventType.THREAD_CREATED, "erin", START_OF_DAY_2));
        run.pipe(event("b9", "bikes", EventType.REPLY_CREATED, null, START_OF_DAY_2));
        // cooking: same actor name, different community, counted separately.
        run.pipe(event("c1", "cooking", EventType.REPLY_CREATED, "alice", LAST_MS_OF_DAY_1));
        run.pipe(event("c2", "cooking", EventType.REACTION_ADDED, "bob", START_OF_DAY_2));
        run.pipe(event("c3", "cooking", EventType.MEMBER_JOINED, "frank", START_OF_DAY_2));

        assertThat(run.latestDaily()).containsExactlyInAnyOrderEntriesOf(Map.of(
                key("bikes", DAY_1), engagement("bikes", DAY_1, 1, 2, 1, 1, 1, 2, 7),
                key("bikes", DAY_2), engagement("bikes", DAY_2, 1, 1, 0, 0, 0, 1, 2),
                key("cooking", DAY_1), engagement("cooking", DAY_1, 0, 1, 0, 0, 0, 1, 1),
                key("cooking", DAY_2), engagement("cooking", DAY_2, 0, 0, 1, 0, 1, 0, 2)));
        assertThat(run.deadLetters.isEmpty()).isTrue();
        assertThat(run.late.isEmpty()).isTrue();
        assertThat(run.metric("accepted-total")).isEqualTo(12.0);
    }

    @Test
    void shouldCountOnceAndMeterDuplicatesWhenSameEventIdArrivesTwice() {
        Run run = new Run(settings());
        ActivityEvent thread = event("e1", "bikes", EventType.THREAD_CREATED, "alice", LAST_MS_OF_DAY_1);
        ActivityEvent reply = event("e2", "bikes", EventType.REPLY_CREATED, "bob", LAST_MS_OF_DAY_1);
        run.pipe(thread);
        run.pipe(reply);
        run.pipe(thread);
        // A redelivery may differ in payload; the id alone decides.
        ActivityEvent changedReply = copy(reply);
        changedReply.setActorId("mallory");
        run.pipe(changedReply);

        run.emit();
        List<TestRecord<CommunityDayKey, DailyEngagement>> updates = run.daily.readRecordsToList();
        // One emission for the day, however many events changed it since the last one.
        assertThat(updates).hasSize(1);
        assertThat(counts(updates.get(0).value())).isEqualTo(engagement("bikes", DAY_1, 1, 1, 0, 0, 0, 2, 2));
        assertThat(run.metric("duplicates-total")).isEqualTo(2.0);
        assertThat(run.metric("accepted-total")).isEqualTo(2.0);
        assertThat(run.intake(IntakeOutcome.DUPLICATE)).isEqualTo(2.0);
        assertThat(run.intake(IntakeOutcome.ACCEPTED)).isEqualTo(2.0);
        assertThat(run.intake(IntakeOutcome.LATE)).isZero();
    }

    @Test
    void shouldDropARepeatedIdOnAnotherDayAndTellIdsApartByTheirExactText() {
        Run run = new Run(settings());
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        ActivityEvent grant = event(uuid, "bikes", EventType.THREAD_CREATED, "alice", LAST_MS_OF_DAY_1);
        run.pipe(grant);
        // A source may repeat an id at a later time (a profile update repeats its role grant): still the same event.
        ActivityEvent repeated = copy(grant);
        repeated.setOccurredAt(START_OF_DAY_2.plus(Duration.ofDays(1)));
        run.pipe(repeated);
        // The same UUID in capitals, and an id that is not a UUID, are ids of their own.
        run.pipe(event(uuid.toUpperCase(java.util.Locale.ROOT), "bikes", EventType.THREAD_CREATED, "bob",
                START_OF_DAY_2));
        ActivityEvent slack = event("C024BE91L/1355517523.000005", "bikes", EventType.THREAD_CREATED, "carol",
                START_OF_DAY_2);
        run.pipe(slack);
        run.pipe(copy(slack));

        assertThat(run.latestDaily()).containsExactlyInAnyOrderEntriesOf(Map.of(
                key("bikes", DAY_1), engagement("bikes", DAY_1, 1, 0, 0, 0, 0, 1, 1),
                key("bikes", DAY_2), engagement("bikes", DAY_2, 2, 0, 0, 0, 0, 2, 2)));
        assertThat(run.metric("duplicates-total")).isEqualTo(2.0);
        assertThat(run.metric("accepted-total")).isEqualTo(3.0);
    }

    @Test
    void shouldProduceSameEngagementWhenRandomEventsArriveInAnyOrderOrTwice() {
        List<ActivityEvent> events = randomEvents(new Random(42), 200);
        List<ActivityEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(7));
        List<ActivityEvent> doubled = new ArrayList<>(events);
        doubled.addAll(events);
        Collections.shuffle(doubled, new Random(11));

        Map<CommunityDayKey, DailyEngagement> inOrder = replay(events);
        assertThat(replay(shuffled)).isEqualTo(inOrder);
        assertThat(replay(doubled)).isEqualTo(inOrder);

        // The result is not just stable but right: recount independently.
        assertThat(inOrder.values().stream().mapToLong(DailyEngagement::getEvents).sum()).isEqualTo(200);
        assertThat(inOrder).isEqualTo(expectedEngagement(events));
    }

    private Map<CommunityDayKey, DailyEngagement> replay(List<ActivityEvent> events) {
        Run run = new Run(settings());
        events.forEach(run::pipe);
        assertThat(run.deadLetters.isEmpty()).isTrue();
        return run.latestDaily();
    }

    private static List<ActivityEvent> randomEvents(Random random, int count) {
        String[] communities = {"bikes", "cooking", "chess"};
        // Identity events and declarations are not activity (IdentityResolutionTest, DeclarationsIgnoredTest).
        EventType[] types = Arrays.stream(EventType.values()).filter(t -> t != EventType.UNKNOWN
                        && t != EventType.EVIDENCE_DECLARED
                        && !org.communitypulse.streams.identity.IdentityEvents.isIdentityEvent(t))
                .toArray(EventType[]::new);
        Instant start = Instant.parse("2024-05-29T00:00:00Z");
        List<ActivityEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EventType type = types[random.nextInt(types.length)];
            // Thread and reply authors are sometimes unknown (deleted users); other types always have one.
            boolean anonymous = (type == EventType.THREAD_CREATED || type == EventType.REPLY_CREATED)
                    && random.nextInt(10) == 0;
            String actor = anonymous ? null : "u" + random.nextInt(12);
            Instant at = start.plusMillis(random.nextLong(Duration.ofDays(3).toMillis()));
            events.add(event("r" + i, communities[random.nextInt(communities.length)], type, actor, at));
        }
        return events;
    }

    /** A straightforward recount, written independently of the processor. */
    private static Map<CommunityDayKey, DailyEngagement> expectedEngagement(List<ActivityEvent> events) {
        Map<CommunityDayKey, List<ActivityEvent>> byDay = events.stream().collect(Collectors.groupingBy(
                e -> key(e.getCommunityId(), LocalDate.ofInstant(e.getOccurredAt(), ZoneOffset.UTC))));
        Map<CommunityDayKey, DailyEngagement> expected = new HashMap<>();
        byDay.forEach((k, dayEvents) -> {
            Map<EventType, Long> byType = dayEvents.stream()
                    .collect(Collectors.groupingBy(ActivityEvent::getType, Collectors.counting()));
            long active = dayEvents.stream()
                    .filter(e -> e.getType() == EventType.THREAD_CREATED || e.getType() == EventType.REPLY_CREATED)
                    .map(ActivityEvent::getActorId).filter(a -> a != null).distinct().count();
            expected.put(k, engagement(k.getCommunityId(), k.getDay(),
                    byType.getOrDefault(EventType.THREAD_CREATED, 0L),
                    byType.getOrDefault(EventType.REPLY_CREATED, 0L),
                    byType.getOrDefault(EventType.REACTION_ADDED, 0L),
                    byType.getOrDefault(EventType.ANSWER_ACCEPTED, 0L),
                    byType.getOrDefault(EventType.MEMBER_JOINED, 0L), active, dayEvents.size()));
        });
        return expected;
    }

    /** One poison record: what was piped and why it must be refused. */
    private record Poison(String name, byte[] key, byte[] value, RejectReason reason) {
    }

    @Test
    void shouldDeadLetterOriginalBytesWithReasonHeadersWhenRecordsCannotBeCounted() {
        Run run = new Run(settings());
        byte[] bikes = "bikes".getBytes(StandardCharsets.UTF_8);
        byte[] good = run.bytes(event("ok", "bikes", EventType.THREAD_CREATED, "alice", LAST_MS_OF_DAY_1));
        byte[] badMagic = good.clone();
        badMagic[0] = 0x7;
        ActivityEvent blankId = event(" ", "bikes", EventType.THREAD_CREATED, "alice", LAST_MS_OF_DAY_1);
        ActivityEvent unknown = event("u", "bikes", EventType.UNKNOWN, "alice", LAST_MS_OF_DAY_1);
        ActivityEvent epoch = event("old", "bikes", EventType.THREAD_CREATED, "alice", Instant.EPOCH);
        ActivityEvent future = event("future", "bikes", EventType.THREAD_CREATED, "alice", NOW.plus(Duration.ofDays(2)));
        ActivityEvent otherCommunity = event("moved", "cooking", EventType.THREAD_CREATED, "alice", LAST_MS_OF_DAY_1);

        List<Poison> poisons = List.of(
                new Poison("wrong magic byte", bikes, badMagic, RejectReason.DESERIALIZATION_FAILED),
                new Poison("truncated", bikes, Arrays.copyOf(good, good.length / 2),
                        RejectReason.DESERIALIZATION_FAILED),
                new Poison("null value", bikes, null, RejectReason.NULL_VALUE),
                new Poison("blank eventId", bikes, run.bytes(blankId), RejectReason.MISSING_FIELD),
                new Poison("UNKNOWN type", bikes, run.bytes(unknown), RejectReason.UNKNOWN_EVENT_TYPE),
                new Poison("1970", bikes, run.bytes(epoch), RejectReason.INVALID_TIMESTAMP),
                new Poison("future", bikes, run.bytes(future), RejectReason.INVALID_TIMESTAMP),
                new Poison("key mismatch", bikes, run.bytes(otherCommunity), RejectReason.KEY_MISMATCH));

        // Valid traffic around the poison: two events and one duplicate.
        run.rawActivity.pipeInput(bikes, good);
        poisons.forEach(p -> run.rawActivity.pipeInput(p.key(), p.value()));
        run.pipe(event("ok2", "bikes", EventType.REPLY_CREATED, "bob", LAST_MS_OF_DAY_1));
        run.rawActivity.pipeInput(bikes, good);

        List<TestRecord<byte[], byte[]>> dead = run.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(poisons.size());
        for (int i = 0; i < poisons.size(); i++) {
            Poison poison = poisons.get(i);
            TestRecord<byte[], byte[]> record = dead.get(i);
            assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON)).as(poison.name())
                    .isEqualTo(poison.reason().name());
            assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.DETAIL)).as(poison.name())
                    .isNotBlank();
            assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REJECTED_BY)).as(poison.name())
                    .isEqualTo("streams.intake");
            assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.SOURCE_TOPIC)).as(poison.name())
                    .isEqualTo("t.activity");
            assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.SOURCE_PARTITION)).as(poison.name())
                    .isEqualTo("0");
            // The good record took offset 0.
            assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.SOURCE_OFFSET)).as(poison.name())
                    .isEqualTo(Integer.toString(i + 1));
            assertThat(record.key()).as(poison.name()).isEqualTo(poison.key());
            assertThat(record.value()).as(poison.name()).isEqualTo(poison.value());
        }

        Map<RejectReason, Long> expectedByReason = poisons.stream()
                .collect(Collectors.groupingBy(Poison::reason, Collectors.counting()));
        for (RejectReason reason : RejectReason.values()) {
            assertThat(run.metric("dead-lettered-total", Map.of("reason", reason.name()))).as(reason.name())
                    .isEqualTo(expectedByReason.getOrDefault(reason, 0L).doubleValue());
            assertThat(run.intake(IntakeOutcome.DEAD_LETTERED, reason.name())).as("pulse_intake_events_total " + reason)
                    .isEqualTo(expectedByReason.getOrDefault(reason, 0L).doubleValue());
        }
        // One process-wide counter: three outcomes without a reason, one dead_lettered series per reason, no other.
        assertThat(run.meters.find(MicrometerPipelineObserver.INTAKE_EVENTS).counters())
                .hasSize(3 + RejectReason.values().length);
        assertThat(run.meters.find(MicrometerPipelineObserver.INTAKE_EVENTS).tag("reason", "none").counters())
                .extracting(c -> c.getId().getTag("outcome")).containsExactlyInAnyOrder("accepted", "duplicate", "late");
        assertThat(run.intake(IntakeOutcome.ACCEPTED)).isEqualTo(2.0);
        assertThat(run.intake(IntakeOutcome.DUPLICATE)).isEqualTo(1.0);
        double accepted = run.metric("accepted-total");
        double duplicates = run.metric("duplicates-total");
        double deadLettered = run.metric("dead-lettered-total");
        assertThat(accepted).isEqualTo(2.0);
        assertThat(duplicates).isEqualTo(1.0);
        assertThat(accepted + duplicates + deadLettered).isEqualTo(poisons.size() + 3.0);
        assertThat(run.latestDaily()).containsOnlyKeys(key("bikes", DAY_1));
    }

    @Test
    void shouldDivertToLateTopicWhenOlderThanHorizonBehindNewestEvent() {
        Run run = new Run(new IntakeSettings(Optional.of(Duration.ofDays(7)), Duration.ofDays(1)));
        Instant newest = Instant.parse("2024-05-31T10:00:00Z");
        ActivityEvent current = event("now", "bikes", EventType.THREAD_CREATED, "alice", newest);
        ActivityEvent sixDaysOld = event("six", "bikes", EventType.THREAD_CREATED, "bob", newest.minus(Duration.ofDays(6)));
        ActivityEvent eightDaysOld = event("eight", "bikes", EventType.THREAD_CREATED, "carol",
                newest.minus(Duration.ofDays(8)));
        run.pipe(current);
        run.pipe(sixDaysOld);
        run.pipe(eightDaysOld);

        assertThat(run.late.readValuesToList()).containsExactly(eightDaysOld);
        assertThat(run.latestDaily()).containsOnlyKeys(key("bikes", LocalDate.parse("2024-05-31")),
                key("bikes", LocalDate.parse("2024-05-25")));
        assertThat(run.metric("late-total")).isEqualTo(1.0);
        assertThat(run.metric("accepted-total")).isEqualTo(2.0);
        assertThat(run.intake(IntakeOutcome.LATE)).isEqualTo(1.0);
        assertThat(run.intake(IntakeOutcome.ACCEPTED)).isEqualTo(2.0);
    }

    @Test
    void shouldCountEventsOfAnyAgeWhenNoLatenessHorizonIsSet() {
        Run run = new Run(settings());
        Instant newest = Instant.parse("2024-05-31T10:00:00Z");
        run.pipe(event("now", "bikes", EventType.THREAD_CREATED, "alice", newest));
        Instant old = newest.minus(Duration.ofDays(800));
        run.pipe(event("old", "bikes", EventType.THREAD_CREATED, "carol", old));

        assertThat(run.late.isEmpty()).isTrue();
        assertThat(run.latestDaily()).containsOnlyKeys(key("bikes", LocalDate.parse("2024-05-31")),
                key("bikes", LocalDate.ofInstant(old, ZoneOffset.UTC)));
        assertThat(run.metric("late-total")).isZero();
    }
}
