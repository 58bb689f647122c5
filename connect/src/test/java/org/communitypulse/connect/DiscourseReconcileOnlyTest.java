package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Discourse poller's reconcile-only mode against a forum answering {@code /posts.json} in its documented shape:
 * per UTC day of the window the threads and replies the mapping makes of the listed posts, nothing but
 * {@link PlatformDayCount} records, and the catch-up connector's offset neither read nor written.
 */
class DiscourseReconcileOnlyTest {

    private static final String PREFIX = "rec.";
    private static final String COMMUNITY = "forum";
    /** Noon of 2024-06-09: a 7-day window is 2024-06-03 .. 2024-06-09. */
    private static final Instant NOW = Instant.parse("2024-06-09T12:00:00Z");
    /** Regular post and whisper ({@code post_type} 1 and 4): a whisper is no event, so not counted. */
    private static final int REGULAR = 1;
    private static final int WHISPER = 4;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Topic<CommunityDayKey, PlatformDayCount> counts =
            new Topics(PREFIX, new AvroSerdes(registry, true)).platformCounts();
    /** Partitions whose offset the task asked for. */
    private final List<Map<String, ?>> offsetsRead = new CopyOnWriteArrayList<>();
    private FakeForum forum;
    private DiscoursePollerSourceTask task;

    @BeforeEach
    void forum() throws Exception {
        forum = new FakeForum();
        // Page size 4: the listing is read back through ?before= until it reaches a post older than the window.
        forum.post(1, 1, 1, REGULAR, "2024-06-01T10:00:00.000Z");
        forum.post(2, 1, 2, REGULAR, "2024-06-02T23:59:59.999Z");
        forum.post(3, 2, 1, REGULAR, "2024-06-03T00:00:00.000Z");
        forum.post(4, 2, 2, REGULAR, "2024-06-03T10:00:00.000Z");
        forum.post(5, 1, 3, WHISPER, "2024-06-05T10:00:00.000Z");
        forum.post(6, 2, 3, REGULAR, "2024-06-06T10:00:00.000Z");
        forum.post(7, 3, 1, REGULAR, "2024-06-08T08:00:00.000Z");
        forum.post(8, 3, 2, REGULAR, "2024-06-09T11:00:00.000Z");
        forum.post(9, 1, 4, REGULAR, "2024-06-09T11:30:00.000+00:00");
    }

    @AfterEach
    void close() {
        if (task != null) {
            task.stop();
        }
        forum.close();
    }

    @Test
    void shouldPublishTheThreadsAndRepliesOfEveryDayOfTheWindowAndNothingElseWhenReconcileOnly() throws Exception {
        task = started(Clock.fixed(NOW, ZoneOffset.UTC), Map.of());

        List<SourceRecord> records = pollOnce();

        assertThat(records).allSatisfy(r -> assertThat(r.topic()).isEqualTo(PREFIX + "platform.counts"));
        Map<LocalDate, Long> expected = new TreeMap<>();
        expected.put(LocalDate.parse("2024-06-03"), 2L); // topic 2 (its post 1 at 00:00:00.000) and its reply
        expected.put(LocalDate.parse("2024-06-04"), 0L);
        expected.put(LocalDate.parse("2024-06-05"), 0L); // a whisper only
        expected.put(LocalDate.parse("2024-06-06"), 1L);
        expected.put(LocalDate.parse("2024-06-07"), 0L);
        expected.put(LocalDate.parse("2024-06-08"), 1L);
        expected.put(LocalDate.parse("2024-06-09"), 2L);
        assertThat(itemsPerDay(records)).isEqualTo(expected);
        for (SourceRecord record : records) {
            PlatformDayCount count = value(record);
            assertThat(count.getCommunityId()).isEqualTo(COMMUNITY);
            assertThat(count.getSource()).isEqualTo(SourcePlatform.DISCOURSE);
            assertThat(count.getObservedAt()).isEqualTo(NOW);
            assertThat(count.getCompleteThrough()).isEqualTo(NOW);
            CommunityDayKey key = counts.keySerde().deserializer().deserialize(record.topic(), (byte[]) record.key());
            assertThat(key).isEqualTo(new CommunityDayKey(COMMUNITY, count.getDay()));
        }
        // Two pages (9..6, then 5..2, which reaches 06-02): posts before the window are not paged through, and
        // neither users nor likes are asked for.
        assertThat(forum.requests()).containsExactly("/posts.json", "/posts.json?before=6");
    }

    @Test
    void shouldNeverTouchTheCatchUpCursorAndRecountEverythingAtEachPollWhenReconcileOnly() throws Exception {
        Map<String, Object> catchUp = new HashMap<>();
        catchUp.put(DiscoursePollerSourceTask.OFFSET_POST_ID, 8L);
        catchUp.put(DiscoursePollerSourceTask.OFFSET_USER_ID, 3L);
        catchUp.put(DiscoursePollerSourceTask.OFFSET_DAY_COUNTS, "2024-06-09=1");
        MutableClock clock = new MutableClock(NOW);
        task = started(clock, catchUp);

        List<SourceRecord> first = pollOnce();
        forum.post(10, 3, 3, REGULAR, "2024-06-09T12:30:00.000Z");
        clock.now = NOW.plusSeconds(3600);
        List<SourceRecord> second = pollOnce();

        Map<String, Object> reconcilePartition = Map.of(DiscoursePollerSourceTask.PARTITION_FORUM, forum.url(),
                DiscoursePollerSourceTask.PARTITION_COMMUNITY, COMMUNITY,
                DiscoursePollerSourceTask.PARTITION_MODE, DiscoursePollerSourceTask.MODE_RECONCILE);
        List<SourceRecord> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).allSatisfy(r -> {
            assertThat(r.sourcePartition()).isEqualTo(reconcilePartition);
            assertThat(r.sourceOffset()).containsOnlyKeys(DiscoursePollerSourceTask.OFFSET_COUNTED_AT);
        });
        assertThat(offsetsRead).as("the catch-up offset is not read, so no count starts from it").isEmpty();
        assertThat(itemsPerDay(first)).containsEntry(LocalDate.parse("2024-06-09"), 2L);
        // The next poll counts the whole window again: the new reply, nothing counted twice.
        Map<LocalDate, Long> recounted = new TreeMap<>(itemsPerDay(first));
        recounted.put(LocalDate.parse("2024-06-09"), 3L);
        assertThat(itemsPerDay(second)).isEqualTo(recounted);
        assertThat(second).allSatisfy(r -> assertThat(value(r).getObservedAt()).isEqualTo(clock.now));
    }

    @Test
    void shouldRejectAWindowOfNoDays() {
        Map<String, String> props = props();
        props.put(DiscoursePollerConfig.RECONCILE_DAYS_CONFIG, "0");
        assertThatThrownBy(() -> new DiscoursePollerConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(DiscoursePollerConfig.RECONCILE_DAYS_CONFIG);
        assertThat(new DiscoursePollerConfig(props()).reconcileDays()).isEqualTo(7);
    }

    private List<SourceRecord> pollOnce() throws InterruptedException {
        List<SourceRecord> out = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        // poll() returns null while it waits for the interval, in slices of at most 500 ms.
        while (out == null && System.nanoTime() < deadline) {
            out = task.poll();
        }
        assertThat(out).as("a poll's records").isNotNull();
        assertThat(task.lastFailure()).isEmpty();
        return out;
    }

    private Map<LocalDate, Long> itemsPerDay(List<SourceRecord> records) {
        Map<LocalDate, Long> days = new TreeMap<>();
        records.forEach(r -> days.merge(value(r).getDay(), value(r).getItems(), (a, b) -> {
            throw new AssertionError("two counts of one day in one poll");
        }));
        return days;
    }

    private PlatformDayCount value(SourceRecord record) {
        Deserializer<PlatformDayCount> values = counts.valueSerde().deserializer();
        return values.deserialize(record.topic(), (byte[]) record.value());
    }

    private Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, COMMUNITY);
        props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, PREFIX);
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, "http://127.0.0.1:9");
        props.put(DiscoursePollerConfig.URL_CONFIG, forum.url());
        props.put(DiscoursePollerConfig.API_KEY_CONFIG, FakeForum.KEY);
        props.put(DiscoursePollerConfig.POLL_INTERVAL_MS_CONFIG, "100");
        return props;
    }

    private DiscoursePollerSourceTask started(Clock clock, Map<String, Object> catchUpOffset) {
        Map<String, String> props = props();
        props.put(DiscoursePollerConfig.RECONCILE_ONLY_CONFIG, "true");
        DiscoursePollerSourceTask started = new DiscoursePollerSourceTask(clock, registry);
        return PollerTasks.started(started, props, offsetsRead,
                partition -> partition.containsKey(DiscoursePollerSourceTask.PARTITION_MODE) ? null : catchUpOffset);
    }

    /** A clock the test moves: the second poll is an hour later. */
    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
