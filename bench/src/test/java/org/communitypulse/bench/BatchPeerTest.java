package org.communitypulse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch peer's SQL against the real engagement topology on the same events, for every compared kind
 * (daily, trailing, retention): generated history plus the edge cases of docs/metrics.md (staff intervals,
 * a revoke at midnight, anonymous and self replies, a thread started twice, a reply before its thread) and
 * of the windows (top shares with ties, a member leaving the 28 days, a cohort at the complete boundary,
 * threads answered just before and just after midnight). Needs PostgreSQL; skipped without it, as the
 * suite skips the peer.
 */
class BatchPeerTest {

    private static final String EDGE = "edge";
    private static final String WINDOW = "window";
    private static final String BACKLOG = "backlog";
    /** A Monday, the first day of the window and backlog cases. */
    private static final Instant MONDAY = Instant.parse("2024-05-06T00:00:00Z");
    private static final Instant DAY_1 = Instant.parse("2024-03-04T00:00:00Z");
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private static PostgresCluster cluster;
    private static String unavailable;

    @TempDir
    Path stateDir;

    private int sequence;

    @BeforeAll
    static void startPostgres() throws Exception {
        try {
            cluster = PostgresCluster.start();
        } catch (PostgresCluster.Unavailable e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldEqualThePipelinesRecordsOfEveryKindWhenGivenTheSameEvents() throws Exception {
        assumeTrue(cluster != null, () -> "PostgreSQL unavailable: " + unavailable);
        List<ActivityEvent> events = new ArrayList<>(new SimulatedActivity(new SimulationPlan(
                SimulationPlan.numberedCommunities(3), 300, LocalDate.parse("2024-01-01"), 120, 7, Map.of()))
                .events().limit(30_000).toList());
        events.addAll(edgeCases());
        events.addAll(windowCases());
        events.addAll(backlogCases());

        Map<PeerRecordKind, Map<String, Map<String, Object>>> pipeline = pipeline(events);
        Map<PeerRecordKind, Map<String, Map<String, Object>>> peer;
        try (BatchPeer batch = new BatchPeer(cluster.connect(),
                EngagementSettings.defaults().staffRoles())) {
            assertThat(batch.load(events.iterator(), Long.MAX_VALUE)).isEqualTo(events.size());
            assertThat(batch.recompute()).containsOnlyKeys(BatchPeer.COMMON_STEP, "daily", "trailing", "retention");
            peer = batch.records();
        }

        for (PeerRecordKind kind : PeerRecordKind.values()) {
            PeerComparison.Result result = PeerComparison.compare(kind, pipeline.get(kind), peer.get(kind));
            assertThat(result.examples()).as(kind.label).isEmpty();
            assertThat(result.differing()).as(kind.label).isZero();
        }
        assertThat(peer.get(PeerRecordKind.DAILY)).hasSizeGreaterThan(300);
        // 3 generated communities over 120 days, every calendar day from the first active one.
        assertThat(peer.get(PeerRecordKind.TRAILING)).hasSizeGreaterThan(350);
        assertThat(peer.get(PeerRecordKind.RETENTION)).hasSizeGreaterThan(40);
        // The edge community's days are there and carry the staff and response cases.
        Map<String, Object> day1 = peer.get(PeerRecordKind.DAILY).get(PeerComparison.key(EDGE, day(0)));
        assertThat(day1.get("peerReplies")).isEqualTo(4L);
        assertThat(day1.get("replies")).isEqualTo(5L);
        assertThat(day1.get("peerAcceptedAnswers")).isEqualTo(0L);
        assertThat(peer.get(PeerRecordKind.DAILY).get(PeerComparison.key(EDGE, day(1))).get("peerReplies"))
                .isEqualTo(2L);
        assertWindowCases(peer);
    }

    /** The window and backlog cases as worked out by hand (the pipeline must equal them through the peer). */
    private static void assertWindowCases(Map<PeerRecordKind, Map<String, Map<String, Object>>> peer) {
        Map<String, Map<String, Object>> trailing = peer.get(PeerRecordKind.TRAILING);
        Map<String, Object> first = trailing.get(PeerComparison.key(WINDOW, monday(0)));
        // 11 members, 17 contributions; three tie at 3: the top ceil(0.11) = 1 and ceil(1.1) = 2 take 3 and 6.
        assertThat(first.get("mau")).isEqualTo(11L);
        assertThat(first.get("contributions28d")).isEqualTo(17L);
        assertThat((Double) first.get("top1PercentShare")).isEqualTo(3 / 17.0);
        assertThat((Double) first.get("top10PercentShare")).isEqualTo(6 / 17.0);
        assertThat((Double) first.get("stickiness")).isEqualTo(11 / 28.0 / 11);
        // Day 0's members leave the 28 days after day 27 (but those active again on days 6 and 7).
        assertThat(trailing.get(PeerComparison.key(WINDOW, monday(27))).get("mau")).isEqualTo(12L);
        assertThat(trailing.get(PeerComparison.key(WINDOW, monday(28))).get("mau")).isEqualTo(3L);
        assertThat(trailing.get(PeerComparison.key(WINDOW, monday(28))).get("wau")).isEqualTo(0L);
        assertThat(trailing).containsKey(PeerComparison.key(WINDOW, monday(34)))
                .doesNotContainKey(PeerComparison.key(WINDOW, monday(35)));

        Map<String, Map<String, Object>> retention = peer.get(PeerRecordKind.RETENTION);
        // Retained on the first (day 7) and the last (day 34) day of the follow-up, not within the cohort week;
        // the latest day is exactly cohortWeek + 34: complete.
        assertThat(retention.get(PeerComparison.key(WINDOW, monday(0))))
                .containsEntry("cohortSize", 11L).containsEntry("retained", 2L).containsEntry("complete", true);
        assertThat(retention.get(PeerComparison.key(WINDOW, monday(14))))
                .containsEntry("cohortSize", 1L).containsEntry("retained", 0L).containsEntry("complete", false);

        // b1 answered at the next midnight is open at the end of day 0 only; b2, answered a millisecond before
        // midnight, never; b3 (unanswered) until day 27; b4 (answered by its author only) until day 28.
        long[] open = {2, 2, 2, 1, 0};
        int[] days = {0, 1, 27, 28, 29};
        for (int j = 0; j < days.length; j++) {
            assertThat(trailing.get(PeerComparison.key(BACKLOG, monday(days[j]))).get("openThreads"))
                    .as("open threads on day %d", days[j]).isEqualTo(open[j]);
        }
    }

    @Test
    void shouldCountDifferingRecordsWhenAFieldOrARecordDiffers() {
        Map<String, Map<String, Object>> a = new TreeMap<>();
        Map<String, Map<String, Object>> b = new TreeMap<>();
        a.put("c/1", new HashMap<>(Map.of("threads", 3L, "peerReplyShare", 0.5)));
        b.put("c/1", new HashMap<>(Map.of("threads", 3L, "peerReplyShare", 0.5)));
        a.put("c/2", new HashMap<>(Map.of("threads", 3L)));
        b.put("c/2", new HashMap<>(Map.of("threads", 4L)));
        a.put("c/3", new HashMap<>(Map.of("threads", 1L)));

        PeerComparison.Result result = PeerComparison.compare(PeerRecordKind.DAILY, a, b);

        assertThat(result.records()).isEqualTo(3);
        assertThat(result.differing()).isEqualTo(2);
        assertThat(result.onlyPipeline()).isEqualTo(1);
        assertThat(result.examples()).anyMatch(e -> e.startsWith("daily c/2: threads pipeline=3 peer=4"));
    }

    @Test
    void shouldCompareACohortsFlagAndSizesButNotItsKeyOrTime() {
        assertThat(PeerRecordKind.RETENTION.fields)
                .containsExactly("cohortSize", "retained", "retainedShare", "complete");
        assertThat(PeerRecordKind.TRAILING.fields).contains("dau", "openThreads", "top1PercentShare")
                .doesNotContain("communityId", "day", "updatedAt");
        Map<String, Map<String, Object>> a = Map.of("c/1", Map.of("cohortSize", 2L, "retained", 1L,
                "retainedShare", 0.5, "complete", true));
        Map<String, Map<String, Object>> b = Map.of("c/1", Map.of("cohortSize", 2L, "retained", 1L,
                "retainedShare", 0.5, "complete", false));

        PeerComparison.Result result = PeerComparison.compare(PeerRecordKind.RETENTION, a, b);

        assertThat(result.differing()).isEqualTo(1);
        assertThat(result.examples()).containsExactly("retention c/1: complete pipeline=true peer=false");
    }

    @Test
    void shouldSkipThePeerWithTheReasonWhenPostgresIsNotInstalled() throws Exception {
        String previous = System.getProperty(PostgresCluster.BIN_PROPERTY);
        System.setProperty(PostgresCluster.BIN_PROPERTY, stateDir.resolve("no-postgres-here").toString());
        Map<String, Object> results = new HashMap<>();
        try (PeerSession session = PeerSession.open("auto", results)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) results.get("batchPeerStatus");
            assertThat((String) status.get("skipped")).contains("PostgreSQL is not installed")
                    .contains("apt-get install postgresql");
            assertThat(session.compare(null, 1, 1, 0)).isEmpty();
        } finally {
            if (previous == null) {
                System.clearProperty(PostgresCluster.BIN_PROPERTY);
            } else {
                System.setProperty(PostgresCluster.BIN_PROPERTY, previous);
            }
        }
    }

    @Test
    void shouldEscapeCopyTextWhenValuesHoldTabsNewlinesOrBackslashes() {
        assertThat(BatchPeer.escape("a\tb\nc\\d")).isEqualTo("a\\tb\\nc\\\\d");
    }

    /** Day d of the edge community as an epoch day. */
    private static long day(int d) {
        return (DAY_1.toEpochMilli() + d * DAY) / DAY;
    }

    /** Day d after {@link #MONDAY} as an epoch day. */
    private static long monday(int d) {
        return MONDAY.toEpochMilli() / DAY + d;
    }

    /** Top shares with ties, members leaving the 28 days, and two cohorts, one complete on its last day. */
    private List<ActivityEvent> windowCases() {
        List<ActivityEvent> e = new ArrayList<>();
        for (int m = 0; m <= 10; m++) {
            for (int n = 0; n < (m < 3 ? 3 : 1); n++) {
                e.add(event(WINDOW, EventType.REPLY_CREATED, "m" + m, "chat", MONDAY, HOUR + n * 60_000L, Map.of()));
            }
        }
        // The same ISO week (not a follow-up), then the follow-up's first and last day.
        e.add(event(WINDOW, EventType.REPLY_CREATED, "m2", "chat", MONDAY, 6 * DAY, Map.of()));
        e.add(event(WINDOW, EventType.REPLY_CREATED, "m0", "chat", MONDAY, 7 * DAY, Map.of()));
        e.add(event(WINDOW, EventType.THREAD_CREATED, "late", null, MONDAY, 20 * DAY, Map.of()));
        e.add(event(WINDOW, EventType.REPLY_CREATED, "m1", "chat", MONDAY, 34 * DAY + 23 * HOUR, Map.of()));
        return e;
    }

    /** Threads answered around midnight, never, or only by their author; the series runs to day 30. */
    private List<ActivityEvent> backlogCases() {
        List<ActivityEvent> e = new ArrayList<>();
        e.add(event(BACKLOG, EventType.THREAD_CREATED, "p1", "b1", MONDAY, 10 * HOUR, Map.of()));
        e.add(event(BACKLOG, EventType.REPLY_CREATED, "p2", "b1", MONDAY, DAY, Map.of()));
        e.add(event(BACKLOG, EventType.THREAD_CREATED, "p3", "b2", MONDAY, 11 * HOUR, Map.of()));
        e.add(event(BACKLOG, EventType.REPLY_CREATED, "p4", "b2", MONDAY, DAY - 1, Map.of()));
        e.add(event(BACKLOG, EventType.THREAD_CREATED, "p5", "b3", MONDAY, 12 * HOUR, Map.of()));
        e.add(event(BACKLOG, EventType.THREAD_CREATED, "p6", "b4", MONDAY, DAY + 9 * HOUR, Map.of()));
        e.add(event(BACKLOG, EventType.REPLY_CREATED, "p6", "b4", MONDAY, 2 * DAY, Map.of()));
        e.add(event(BACKLOG, EventType.REACTION_ADDED, "p7", "b4", MONDAY, 30 * DAY, Map.of()));
        return e;
    }

    private List<ActivityEvent> edgeCases() {
        List<ActivityEvent> e = new ArrayList<>();
        // "mod" is staff from day 1, 10:00, until a revoke at the very start of day 2: not staff on day 2.
        e.add(edge(EventType.ROLE_GRANTED, "mod", null, 10 * HOUR, Map.of("role", " Moderator ")));
        e.add(edge(EventType.ROLE_REVOKED, "mod", null, DAY, Map.of("role", "moderator")));
        // A helper is not a staff role.
        e.add(edge(EventType.ROLE_GRANTED, "helper", null, HOUR, Map.of("role", "helper")));
        e.add(edge(EventType.THREAD_CREATED, "alice", "t1", 9 * HOUR, Map.of()));
        e.add(edge(EventType.REPLY_CREATED, "alice", "t1", 9 * HOUR + 5_000, Map.of("kind", "comment")));
        e.add(edge(EventType.REPLY_CREATED, "mod", "t1", 11 * HOUR, Map.of("kind", "answer")));
        e.add(edge(EventType.REPLY_CREATED, null, "t1", 12 * HOUR, Map.of()));
        e.add(edge(EventType.REPLY_CREATED, "helper", "t1", 13 * HOUR, Map.of("kind", "note")));
        e.add(edge(EventType.ANSWER_ACCEPTED, "alice", "t1", 14 * HOUR, Map.of("answerAuthorId", "mod")));
        // Started twice: the earlier start (day 1) owns the thread; its reply came before either start.
        e.add(edge(EventType.THREAD_CREATED, "bob", "t2", DAY + 8 * HOUR, Map.of()));
        e.add(edge(EventType.THREAD_CREATED, "bob", "t2", 15 * HOUR, Map.of()));
        e.add(edge(EventType.REPLY_CREATED, "carol", "t2", 14 * HOUR, Map.of("kind", "answer")));
        // Answered only by its author: no response. No thread id: counted, never answered.
        e.add(edge(EventType.THREAD_CREATED, "dave", "t3", DAY + HOUR, Map.of()));
        e.add(edge(EventType.REPLY_CREATED, "dave", "t3", DAY + 2 * HOUR, Map.of("kind", "answer")));
        e.add(edge(EventType.THREAD_CREATED, "erin", null, DAY + 3 * HOUR, Map.of()));
        e.add(edge(EventType.REACTION_ADDED, "  ", "t3", DAY + 4 * HOUR, Map.of()));
        e.add(edge(EventType.REPLY_CREATED, "mod", "t3", DAY + 9 * DAY, Map.of("kind", "answer")));
        e.add(edge(EventType.MEMBER_JOINED, "frank", null, DAY + 5 * HOUR, Map.of()));
        e.add(edge(EventType.REPLY_CREATED, "mod", "t1", DAY + 6 * HOUR, Map.of("kind", "comment")));
        return e;
    }

    private ActivityEvent edge(EventType type, String actor, String thread, long offsetMillis,
                               Map<String, String> attributes) {
        return event(EDGE, type, actor, thread, DAY_1, offsetMillis, attributes);
    }

    private ActivityEvent event(String community, EventType type, String actor, String thread, Instant from,
                                long offsetMillis, Map<String, String> attributes) {
        return ActivityEvent.newBuilder().setEventId(community + "-" + sequence++).setCommunityId(community)
                .setSource(SourcePlatform.GENERATOR).setType(type).setActorId(actor).setThreadId(thread)
                .setOccurredAt(from.plusMillis(offsetMillis)).setAttributes(attributes).build();
    }

    /** The latest record of every kind per key from the real topology, fed the events in order. */
    private Map<PeerRecordKind, Map<String, Map<String, Object>>> pipeline(List<ActivityEvent> events) {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("peer.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "batch-peer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(EngagementTopology.build(topics, serdes,
                IntakeSettings.defaults(), EngagementSettings.defaults(),
                AlertSettings.defaults().withWallClock(false)), props)) {
            TestInputTopic<String, ActivityEvent> in = driver.createInputTopic(topics.activity().name(),
                    topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
            Map<PeerRecordKind, TestOutputTopic<CommunityDayKey, ? extends SpecificRecord>> out =
                    new EnumMap<>(PeerRecordKind.class);
            for (PeerRecordKind kind : PeerRecordKind.values()) {
                out.put(kind, output(driver, kind.topic(topics)));
            }
            int n = 0;
            for (ActivityEvent e : events) {
                in.pipeInput(e.getCommunityId(), e);
                if (++n % 5_000 == 0) {
                    driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
                }
            }
            driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
            Map<PeerRecordKind, Map<String, Map<String, Object>>> latest = new EnumMap<>(PeerRecordKind.class);
            out.forEach((kind, topic) -> {
                Map<String, Map<String, Object>> records = new TreeMap<>();
                topic.readKeyValuesToList().forEach(kv -> {
                    String key = PeerComparison.key(kv.key.getCommunityId(), kv.key.getDay().toEpochDay());
                    if (kv.value == null) {
                        records.remove(key);
                    } else {
                        records.put(key, PeerComparison.fields(kind, (GenericRecord) kv.value));
                    }
                });
                latest.put(kind, records);
            });
            return latest;
        }
    }

    private static <V> TestOutputTopic<CommunityDayKey, V> output(TopologyTestDriver driver,
                                                                  Topic<CommunityDayKey, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
