package org.communitypulse.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.TestEvents.event;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DailyEngagementProcessorTest {

    private static final String STORE = "daily";
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final Instant NOON = Instant.parse("2024-05-30T12:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2024-05-30");

    private MockProcessorContext<CommunityDayKey, DailyEngagement> context;
    private KeyValueStore<CommunityDayKey, DailyEngagementState> store;
    private DailyEngagementProcessor processor;

    @BeforeEach
    void setUp() {
        // A serialising store: the state takes the same Avro round trip it takes in RocksDB.
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE),
                        serdes.forKey(CommunityDayKey.class), serdes.forValue(DailyEngagementState.class))
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        processor = new DailyEngagementProcessor(STORE, Clock.fixed(NOW, ZoneOffset.UTC));
        processor.init(context);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private void process(ActivityEvent event, long timestamp) {
        processor.process(new Record<>(event.getCommunityId(), event, timestamp));
    }

    private List<DailyEngagement> forwardedValues() {
        List<DailyEngagement> values = new ArrayList<>();
        for (CapturedForward<? extends CommunityDayKey, ? extends DailyEngagement> forward : context.forwarded()) {
            values.add(forward.record().value());
        }
        return values;
    }

    @Test
    void shouldForwardUpdatedDayWithInputTimestampWhenEventArrives() {
        process(event("e1", "bikes", EventType.THREAD_CREATED, "alice", NOON), 1234L);

        List<CapturedForward<? extends CommunityDayKey, ? extends DailyEngagement>> forwarded = context.forwarded();
        assertThat(forwarded).hasSize(1);
        Record<? extends CommunityDayKey, ? extends DailyEngagement> record = forwarded.get(0).record();
        assertThat(record.key()).isEqualTo(new CommunityDayKey("bikes", DAY));
        assertThat(record.timestamp()).isEqualTo(1234L);
        assertThat(forwarded.get(0).childName()).isEmpty();
        assertThat(record.value()).isEqualTo(DailyEngagement.newBuilder().setCommunityId("bikes").setDay(DAY)
                .setThreads(1).setReplies(0).setReactions(0).setAcceptedAnswers(0).setNewMembers(0)
                .setActiveMembers(1).setEvents(1).setUpdatedAt(NOW).build());
    }

    @Test
    void shouldCountDistinctActiveMembersWhenSameActorPostsAgain() {
        process(event("e1", "bikes", EventType.THREAD_CREATED, "bob", NOON), 1L);
        process(event("e2", "bikes", EventType.REPLY_CREATED, "alice", NOON), 2L);
        process(event("e3", "bikes", EventType.REPLY_CREATED, "bob", NOON), 3L);
        // Reactions, accepted answers and joins do not make someone active; neither does an unknown author.
        process(event("e4", "bikes", EventType.REACTION_ADDED, "carol", NOON), 4L);
        process(event("e5", "bikes", EventType.ANSWER_ACCEPTED, "dave", NOON), 5L);
        process(event("e6", "bikes", EventType.MEMBER_JOINED, "erin", NOON), 6L);
        process(event("e7", "bikes", EventType.REPLY_CREATED, null, NOON), 7L);

        List<DailyEngagement> values = forwardedValues();
        assertThat(values).extracting(DailyEngagement::getActiveMembers).containsExactly(1L, 2L, 2L, 2L, 2L, 2L, 2L);
        assertThat(values).extracting(DailyEngagement::getEvents).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        DailyEngagement last = values.get(values.size() - 1);
        assertThat(last.getThreads()).isEqualTo(1);
        assertThat(last.getReplies()).isEqualTo(3);
        assertThat(last.getReactions()).isEqualTo(1);
        assertThat(last.getAcceptedAnswers()).isEqualTo(1);
        assertThat(last.getNewMembers()).isEqualTo(1);
        assertThat(store.get(new CommunityDayKey("bikes", DAY)).getActiveMemberIds()).containsExactly("alice", "bob");
    }

    @Test
    void shouldKeepSeparateStateWhenEventsFallOnDifferentDaysOrCommunities() {
        process(event("e1", "bikes", EventType.THREAD_CREATED, "alice", Instant.parse("2024-05-30T23:59:59.999Z")), 1L);
        process(event("e2", "bikes", EventType.THREAD_CREATED, "alice", Instant.parse("2024-05-31T00:00:00Z")), 2L);
        process(event("e3", "cooking", EventType.THREAD_CREATED, "alice", NOON), 3L);

        assertThat(context.forwarded()).extracting(f -> (Object) f.record().key()).containsExactly(
                new CommunityDayKey("bikes", DAY),
                new CommunityDayKey("bikes", DAY.plusDays(1)),
                new CommunityDayKey("cooking", DAY));
        assertThat(forwardedValues()).allSatisfy(v -> {
            assertThat(v.getThreads()).isEqualTo(1);
            assertThat(v.getActiveMembers()).isEqualTo(1);
        });
    }

    @Test
    void shouldKeepActiveIdsSortedWhenActorsArriveInAnyOrder() {
        DailyEngagementState state = new DailyEngagementState(0L, 0L, 0L, 0L, 0L, 0L, new ArrayList<>());
        for (String actor : List.of("m", "c", "x", "c", "a", "m")) {
            DailyEngagementProcessor.apply(state, event("e-" + actor, "bikes", EventType.REPLY_CREATED, actor, NOON));
        }
        assertThat(state.getActiveMemberIds()).containsExactly("a", "c", "m", "x");
        assertThat(state.getReplies()).isEqualTo(6);
        assertThat(state.getEvents()).isEqualTo(6);
    }
}
