package org.communitypulse.streams.engagement.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CohortState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PipelineObserver;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor alone: state on process, records only when its wall-clock punctuator fires. */
class EngagementProcessorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final EngagementProcessor.Children CHILDREN =
            new EngagementProcessor.Children("daily", "trailing", "retention", "members", "alerts");

    private MockProcessorContext<Object, Object> context;
    private EngagementProcessor processor;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(CLOCK.millis());
        setUpStores();
        processor = new EngagementProcessor("days", "threads", "members", "member-days", "communities", "cohorts",
                "dirty",
                CHILDREN,
                new EngagementProcessor.Views("v-daily", "v-trailing", "v-retention", "v-members", "v-alerts"),
                EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                RuntimeHooks.defaults().withClock(CLOCK));
        processor.init(context);
    }

    private void setUpStores() {
        addStore("days", serdes().forKey(CommunityDayKey.class), serdes().forValue(DailyEngagementState.class));
        addStore("threads", Serdes.String(), serdes().forValue(ThreadState.class));
        addStore("members", Serdes.String(), serdes().forValue(MemberState.class));
        addStore("communities", Serdes.String(), serdes().forValue(CommunityState.class));
        addStore("cohorts", serdes().forKey(CommunityDayKey.class), serdes().forValue(CohortState.class));
        addStore("dirty", Serdes.String(), Serdes.ByteArray());
        addStore("member-days", Serdes.String(), Serdes.ByteArray());
        addStore("v-daily", Serdes.String(), serdes().forValue(DailyEngagement.class));
        addStore("v-trailing", Serdes.String(), serdes().forValue(TrailingEngagement.class));
        addStore("v-retention", Serdes.String(), serdes().forValue(CohortRetention.class));
        addStore("v-members", Serdes.String(), serdes().forValue(MemberEngagement.class));
        addStore("v-alerts", Serdes.String(), serdes().forValue(Alert.class));
    }

    /**
     * A registry per store: the mock context serialises every store under one topic name, and one
     * registry subject cannot hold five unrelated schemas.
     */
    private static AvroSerdes serdes() {
        return new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    }

    private <K, V> void addStore(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private void process(String id, EventType type, String actor, String at) {
        ActivityEvent event = ActivityEvent.newBuilder().setEventId(id).setCommunityId("bikes")
                .setSource(SourcePlatform.GENERATOR).setType(type).setActorId(actor).setThreadId("t")
                .setOccurredAt(Instant.parse(at)).setAttributes(Map.of()).build();
        processor.process(new Record<>("bikes", event, 0L));
    }

    @Test
    void shouldReportEachCountedEventAndItsAgeAtEmissionWhenAnObserverIsSet() {
        List<String> accepted = new java.util.ArrayList<>();
        List<Long> ages = new java.util.ArrayList<>();
        MockProcessorContext<Object, Object> observed = new MockProcessorContext<>();
        observed.setCurrentSystemTimeMs(CLOCK.millis());
        context = observed;
        setUpStores();
        EngagementProcessor watched = new EngagementProcessor("days", "threads", "members", "member-days", "communities",
                "cohorts", "dirty", CHILDREN,
                new EngagementProcessor.Views("v-daily", "v-trailing", "v-retention", "v-members", "v-alerts"),
                EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                RuntimeHooks.defaults().withClock(CLOCK).withObserver(new PipelineObserver() {
                    @Override
                    public void accepted(EventType type, SourcePlatform source) {
                        accepted.add(type + "/" + source);
                    }

                    @Override
                    public void emitted(long millis) {
                        ages.add(millis);
                    }
                }));
        watched.init(observed);
        processor = watched;
        process("e1", EventType.THREAD_CREATED, "alice", "2024-05-31T23:00:00Z");
        process("e2", EventType.REPLY_CREATED, "bob", "2024-05-31T23:30:00Z");

        observed.scheduledPunctuators().get(0).getPunctuator().punctuate(CLOCK.millis());

        assertThat(accepted).containsExactly("THREAD_CREATED/GENERATOR", "REPLY_CREATED/GENERATOR");
        // CLOCK is 2024-06-01T00:00Z: one hour and half an hour after the events.
        assertThat(ages).containsExactlyInAnyOrder(3_600_000L, 1_800_000L);
    }

    private CapturedPunctuator punctuator() {
        assertThat(context.scheduledPunctuators()).hasSize(1);
        return context.scheduledPunctuators().get(0);
    }

    @Test
    void shouldScheduleAWallClockPunctuatorAtTheEmitIntervalWhenInitialised() {
        CapturedPunctuator p = punctuator();
        assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        assertThat(p.getInterval()).isEqualTo(EngagementSettings.defaults().emitInterval());
    }

    @Test
    void shouldForwardNothingUntilThePunctuatorFiresAndThenOneRecordPerChangedPeriod() {
        process("e1", EventType.THREAD_CREATED, "alice", "2024-05-30T10:00:00Z");
        process("e2", EventType.REPLY_CREATED, "bob", "2024-05-30T11:00:00Z");
        process("e3", EventType.REPLY_CREATED, "carol", "2024-05-30T12:00:00Z");
        assertThat(context.forwarded()).isEmpty();

        punctuator().getPunctuator().punctuate(CLOCK.millis());

        List<CapturedForward<?, ?>> forwarded = context.forwarded();
        assertThat(forwarded).extracting(f -> f.childName().orElseThrow())
                .containsExactlyInAnyOrder("daily", "trailing", "retention", "members", "members", "members");
        DailyEngagement daily = (DailyEngagement) forwarded.stream()
                .filter(f -> f.childName().orElseThrow().equals("daily")).findFirst().orElseThrow()
                .record().value();
        assertThat(daily.getReplies()).isEqualTo(2);
        assertThat(daily.getFirstResponseP50Seconds()).isEqualTo(3_600);
        assertThat(pending()).isZero();
        // The same record is kept for interactive queries under "community NUL day".
        KeyValueStore<String, DailyEngagement> view = context.getStateStore("v-daily");
        assertThat(view.get("bikes\u00002024-05-30")).isEqualTo(daily);
    }

    @Test
    void shouldForwardNothingWhenThePunctuatorFiresWithNoChangeSinceTheLastEmission() {
        process("e1", EventType.THREAD_CREATED, "alice", "2024-05-30T10:00:00Z");
        assertThat(pending()).isEqualTo(1);
        punctuator().getPunctuator().punctuate(CLOCK.millis());
        context.resetForwards();

        punctuator().getPunctuator().punctuate(CLOCK.millis() + 1_000);

        assertThat(context.forwarded()).isEmpty();
    }

    private long pending() {
        return EngagementProcessor.pendingCommunities(context.getStateStore("communities"),
                context.getStateStore("dirty"), false);
    }

    private static ActivityEvent event(String id, EventType type, String actor, String thread, String at,
                                       Map<String, String> attributes) {
        return ActivityEvent.newBuilder().setEventId(id).setCommunityId("bikes").setSource(SourcePlatform.GENERATOR)
                .setType(type).setActorId(actor).setThreadId(thread).setOccurredAt(Instant.parse(at))
                .setAttributes(attributes).build();
    }

    /** Feeds {@code batches} to a fresh processor, emitting after each; returns the latest trailing record per day. */
    private Map<CommunityDayKey, Object> trailingAfter(List<List<ActivityEvent>> batches) {
        setUp();
        Map<CommunityDayKey, Object> latest = new java.util.TreeMap<>(
                java.util.Comparator.comparing((CommunityDayKey k) -> k.getDay()));
        for (List<ActivityEvent> batch : batches) {
            batch.forEach(e -> processor.process(new Record<>("bikes", e, 0L)));
            context.resetForwards();
            punctuator().getPunctuator().punctuate(CLOCK.millis());
            context.forwarded().stream().filter(f -> f.childName().orElseThrow().equals("trailing"))
                    .forEach(f -> latest.put((CommunityDayKey) f.record().key(), f.record().value()));
        }
        return latest;
    }

    @Test
    void shouldEmitTheTrailingRecordsOfOneLateEmissionWhenEmittingAfterEveryEvent() {
        List<ActivityEvent> events = List.of(
                event("a1", EventType.THREAD_CREATED, "alice", "t1", "2024-05-01T10:00:00Z", Map.of()),
                event("b1", EventType.REPLY_CREATED, "bob", "t0", "2024-05-01T11:00:00Z", Map.of()),
                event("c1", EventType.REPLY_CREATED, "carol", "t0", "2024-05-02T11:00:00Z", Map.of()),
                event("a2", EventType.THREAD_CREATED, "alice", "t2", "2024-05-03T10:00:00Z", Map.of()),
                // Answers t1 two days late: the open threads of May 1-3 change, their windows do not.
                event("d1", EventType.REPLY_CREATED, "dave", "t1", "2024-05-04T09:00:00Z", Map.of()),
                event("b2", EventType.REPLY_CREATED, "bob", "t2", "2024-05-04T12:00:00Z", Map.of()),
                event("c2", EventType.REPLY_CREATED, "carol", "t2", "2024-05-06T12:00:00Z", Map.of()),
                event("e1", EventType.REPLY_CREATED, "erin", "t9", "2024-05-05T08:00:00Z", Map.of()));

        Map<CommunityDayKey, Object> once = trailingAfter(List.of(events));
        Map<CommunityDayKey, Object> live = trailingAfter(events.stream().map(List::of).toList());

        assertThat(live).hasSize(6).isEqualTo(once);
    }

    @Test
    void shouldRecomputeTrailingPeerSharesWhenALateRoleMakesAnEarlierReplierStaff() {
        List<ActivityEvent> replies = List.of(
                event("a1", EventType.THREAD_CREATED, "alice", "t1", "2024-04-01T10:00:00Z", Map.of()),
                event("b1", EventType.REPLY_CREATED, "bob", "t1", "2024-05-10T11:00:00Z", Map.of()),
                event("c1", EventType.REPLY_CREATED, "carol", "t1", "2024-05-11T11:00:00Z", Map.of()),
                event("c2", EventType.REPLY_CREATED, "carol", "t1", "2024-05-12T11:00:00Z", Map.of()));
        // Dated weeks before the replies: outside the windows of the days they are in, yet bob is staff on them.
        ActivityEvent grant = event("g", EventType.ROLE_GRANTED, "bob", null, "2024-04-02T08:00:00Z",
                Map.of("role", "moderator"));

        Map<CommunityDayKey, Object> once = trailingAfter(List.of(
                java.util.stream.Stream.concat(replies.stream(), java.util.stream.Stream.of(grant)).toList()));
        Map<CommunityDayKey, Object> live = trailingAfter(List.of(replies, List.of(grant)));

        CommunityDayKey may12 = new CommunityDayKey("bikes", java.time.LocalDate.parse("2024-05-12"));
        assertThat(((TrailingEngagement) once.get(may12)).getPeerReplyShare28d()).isEqualTo(2 / 3.0);
        assertThat(live).isEqualTo(once);
    }
}
