package org.communitypulse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
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
 * The batch peer's SQL against the real engagement topology on the same events: generated history
 * plus the edge cases of docs/metrics.md (staff intervals, a revoke at midnight, anonymous and
 * self replies, a thread started twice, a reply before its thread). Needs PostgreSQL; skipped
 * without it, as the suite skips the peer.
 */
class BatchPeerTest {

    private static final String EDGE = "edge";
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
    void shouldEqualThePipelinesDailyRecordsWhenGivenTheSameEvents() throws Exception {
        assumeTrue(cluster != null, () -> "PostgreSQL unavailable: " + unavailable);
        List<ActivityEvent> events = new ArrayList<>(new SimulatedActivity(new SimulationPlan(
                SimulationPlan.numberedCommunities(3), 300, LocalDate.parse("2024-01-01"), 120, 7, Map.of()))
                .events().limit(30_000).toList());
        events.addAll(edgeCases());

        Map<String, Map<String, Object>> pipeline = pipeline(events);
        Map<String, Map<String, Object>> peer;
        try (BatchPeer batch = new BatchPeer(cluster.connect(),
                EngagementSettings.defaults().staffRoles())) {
            assertThat(batch.load(events.iterator(), Long.MAX_VALUE)).isEqualTo(events.size());
            batch.recompute();
            peer = batch.daily();
        }

        DailyComparison.Result result = DailyComparison.compare(pipeline, peer);
        assertThat(result.examples()).isEmpty();
        assertThat(result.differing()).isZero();
        assertThat(result.records()).isGreaterThan(300);
        // The edge community's days are there and carry the staff and response cases.
        Map<String, Object> day1 = peer.get(DailyComparison.key(EDGE, day(0)));
        assertThat(day1.get("peerReplies")).isEqualTo(4L);
        assertThat(day1.get("replies")).isEqualTo(5L);
        assertThat(day1.get("peerAcceptedAnswers")).isEqualTo(0L);
        assertThat(peer.get(DailyComparison.key(EDGE, day(1))).get("peerReplies")).isEqualTo(2L);
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

        DailyComparison.Result result = DailyComparison.compare(a, b);

        assertThat(result.records()).isEqualTo(3);
        assertThat(result.differing()).isEqualTo(2);
        assertThat(result.onlyPipeline()).isEqualTo(1);
        assertThat(result.examples()).anyMatch(e -> e.startsWith("c/2: threads pipeline=3 peer=4"));
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
        return ActivityEvent.newBuilder().setEventId("edge-" + sequence++).setCommunityId(EDGE)
                .setSource(SourcePlatform.GENERATOR).setType(type).setActorId(actor).setThreadId(thread)
                .setOccurredAt(DAY_1.plusMillis(offsetMillis)).setAttributes(attributes).build();
    }

    /** The latest daily record per key from the real topology, fed the events in order. */
    private Map<String, Map<String, Object>> pipeline(List<ActivityEvent> events) {
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
            TestOutputTopic<CommunityDayKey, DailyEngagement> out = driver.createOutputTopic(
                    topics.dailyEngagement().name(), topics.dailyEngagement().keySerde().deserializer(),
                    topics.dailyEngagement().valueSerde().deserializer());
            Map<String, Map<String, Object>> latest = new TreeMap<>();
            int n = 0;
            for (ActivityEvent e : events) {
                in.pipeInput(e.getCommunityId(), e);
                if (++n % 5_000 == 0) {
                    driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
                }
            }
            driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
            out.readKeyValuesToList().forEach(kv -> latest.put(
                    DailyComparison.key(kv.key.getCommunityId(), kv.key.getDay().toEpochDay()),
                    DailyComparison.fields(kv.value)));
            return latest;
        }
    }
}
