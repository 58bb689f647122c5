package org.communitypulse.streams.engagement;

import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.AlertSnapshot;
import org.communitypulse.schemas.avro.CohortState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.AlertGate;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertActionsTopology;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.ObjectCachingStoreBuilder;
import org.communitypulse.streams.common.ViewKeys;
import org.communitypulse.streams.engagement.internals.EngagementProcessor;
import org.communitypulse.streams.identity.IdentityTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.intake.IntakeTopology;
import org.communitypulse.streams.maturity.MaturityTopology;
import org.communitypulse.streams.roles.RolesTopology;

/**
 * Intake and the engagement metrics (see {@code docs/metrics.md}).
 *
 * <p>Input: {@code <prefix>activity} ({@code String} community id, {@code ActivityEvent}), read as raw
 * bytes so unreadable records can be dead-lettered.
 *
 * <p>Outputs (the latest record per key is the metric):
 * <ul>
 *   <li>{@code <prefix>engagement.daily}: ({@code CommunityDayKey}, {@code DailyEngagement});</li>
 *   <li>{@code <prefix>engagement.trailing}: ({@code CommunityDayKey}, {@code TrailingEngagement}), every
 *       calendar day from a community's first active day to its latest day;</li>
 *   <li>{@code <prefix>engagement.retention}: ({@code CommunityDayKey} of the cohort's Monday,
 *       {@code CohortRetention}), a tombstone when a cohort turns out empty;</li>
 *   <li>{@code <prefix>members.levels}: ({@code MemberKey}, {@code MemberEngagement}), one per member (identities
 *       resolved by the {@link IdentityTopology} nodes, added here: the engagement node reads their store);</li>
 *   <li>{@code <prefix>identities}, {@code <prefix>identities.suggestions}: see {@link IdentityTopology};</li>
 *   <li>{@code <prefix>alerts}: ({@code AlertKey}, {@code Alert}), FIRING and RESOLVED, once each;</li>
 *   <li>{@code <prefix>activity.dlq}: original key and value bytes with {@code pulse.dlq.*} headers;</li>
 *   <li>{@code <prefix>activity.late}: ({@code String}, {@code ActivityEvent}) beyond the lateness horizon.</li>
 * </ul>
 *
 * <p>Every node and store is named: renaming one changes the internal topics, and with them the
 * state an upgraded application finds.
 */
public final class EngagementTopology {

    public static final String ACTIVITY_SOURCE = "activity-source";
    public static final String INTAKE = IntakeTopology.INTAKE;
    public static final String DEDUP_STORE = IntakeTopology.DEDUP_STORE;
    public static final String DEAD_LETTER_SINK = IntakeTopology.DEAD_LETTER_SINK;
    public static final String LATE_SINK = IntakeTopology.LATE_SINK;
    public static final String ENGAGEMENT = "engagement";
    public static final String DAY_STORE = "engagement-day-store";
    public static final String THREAD_STORE = "engagement-thread-store";
    public static final String MEMBER_STORE = "engagement-member-store";
    public static final String MEMBER_DAYS_STORE = "engagement-member-days-store";
    public static final String COMMUNITY_STORE = "engagement-community-store";
    public static final String COHORT_STORE = "engagement-cohort-store";
    public static final String DIRTY_STORE = "engagement-dirty-store";
    /** Per community and judged day within alert.rejudge.horizon.days: the alert state, for live convergence. */
    public static final String ALERT_HISTORY_STORE = "engagement-alert-history-store";
    public static final String DAILY_SINK = "engagement-daily-sink";
    public static final String TRAILING_SINK = "engagement-trailing-sink";
    public static final String RETENTION_SINK = "engagement-retention-sink";
    public static final String MEMBER_LEVELS_SINK = "member-levels-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    /**
     * Queryable copies of the latest emitted records, for interactive queries: String keys
     * {@code communityId NUL suffix} (suffix: ISO day for daily and trailing, cohort Monday for
     * retention, member id for levels, condition name for alerts), so one community is a prefix range
     * and lives on the task (and instance) that owns the community's activity partition.
     */
    public static final String DAILY_VIEW_STORE = "daily-view-store";
    public static final String TRAILING_VIEW_STORE = "trailing-view-store";
    public static final String RETENTION_VIEW_STORE = "retention-view-store";
    public static final String MEMBER_LEVELS_VIEW_STORE = "member-levels-view-store";
    public static final String ALERTS_VIEW_STORE = AlertActionsTopology.ALERTS_VIEW_STORE;
    /** Separator between community id and the rest of a view-store key. */
    public static final char VIEW_KEY_SEPARATOR = ViewKeys.SEPARATOR;

    private static final EngagementProcessor.Children OUTPUTS = new EngagementProcessor.Children(DAILY_SINK,
            TRAILING_SINK, RETENTION_SINK, MEMBER_LEVELS_SINK, ALERTS_SINK);
    private static final EngagementProcessor.Views VIEWS = new EngagementProcessor.Views(DAILY_VIEW_STORE,
            TRAILING_VIEW_STORE, RETENTION_VIEW_STORE, MEMBER_LEVELS_VIEW_STORE, ALERTS_VIEW_STORE);

    private EngagementTopology() {
    }

    /**
     * The {@link #ENGAGEMENT} node's processor on its own, for a micro-benchmark of the fold (bench's
     * {@code EngagementProcessorBenchmark}, on a {@code MockProcessorContext}). The caller adds the stores it
     * opens: {@link #DAY_STORE}, {@link #THREAD_STORE}, {@link #MEMBER_STORE}, {@link #MEMBER_DAYS_STORE},
     * {@link #COMMUNITY_STORE},
     * {@link #COHORT_STORE}, {@link #DIRTY_STORE} and the five {@code *_VIEW_STORE}s; it forwards to the
     * {@code *_SINK} children. Unlike the topology's node it has no identity store (events count per platform
     * identity) and no alert history (a decision once written stands): the fold and the emission are the same.
     */
    public static Processor<String, Object, Object, Object> foldProcessor(EngagementSettings engagement,
                                                                          AlertSettings alerting, RuntimeHooks hooks) {
        return new EngagementProcessor(DAY_STORE, THREAD_STORE, MEMBER_STORE, MEMBER_DAYS_STORE, COMMUNITY_STORE,
                COHORT_STORE, DIRTY_STORE, OUTPUTS, VIEWS, engagement, alerting, hooks);
    }

    /** The intake, identity and engagement families alone, with the default {@link RuntimeHooks}. */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake,
                                 EngagementSettings engagement, AlertSettings alerting) {
        return build(topics, serdes, intake, engagement, alerting, RuntimeHooks.defaults());
    }

    /** As above, with {@code hooks} (a test's clock, an observer, an alert gate). */
    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings intake,
                                 EngagementSettings engagement, AlertSettings alerting, RuntimeHooks hooks) {
        Topology topology = new Topology();
        topology.addSource(ACTIVITY_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.activity().name());
        return addTo(topology, topics, serdes, intake, engagement, alerting, hooks, List.of());
    }

    /**
     * Reads the activity topic as raw bytes in the node {@link #ACTIVITY_SOURCE} of a DSL builder (for a topology
     * with DSL parts: only the DSL declares internal topics). Call it first: sub-topologies are numbered in the
     * order of their sources, and the activity one must stay 0, the id of its tasks and state directories.
     */
    public static void addSource(StreamsBuilder builder, Topics topics) {
        builder.stream(topics.activity().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName(ACTIVITY_SOURCE));
    }

    /**
     * As the build, adding to {@code topology}, which already has {@link #addSource}; {@code moreValidChildren}:
     * further nodes (added by the caller with {@link #INTAKE} as parent) that receive every accepted event too.
     */
    public static Topology addTo(Topology topology, Topics topics, AvroSerdes serdes, IntakeSettings intake,
                                 EngagementSettings engagement, AlertSettings alerting, RuntimeHooks hooks,
                                 List<String> moreValidChildren) {

        IntakeTopology.addTo(topology, ACTIVITY_SOURCE, topics, intake, hooks,
                Stream.concat(Stream.of(ENGAGEMENT), moreValidChildren.stream()).toList(), IdentityTopology.IDENTITY,
                engagement.stateCacheEntries());

        // The roles and maturity nodes forget erased members too (docs/identity.md); PulseTopology adds them later.
        IdentityTopology.addTo(topology, INTAKE, topics, serdes, ENGAGEMENT, moreValidChildren.stream()
                .filter(n -> n.equals(RolesTopology.ROLES) || n.equals(MaturityTopology.MATURITY)).toList(),
                COMMUNITY_STORE, engagement.stateCacheEntries());

        topology.addProcessor(ENGAGEMENT, () -> new EngagementProcessor(DAY_STORE, THREAD_STORE, MEMBER_STORE,
                MEMBER_DAYS_STORE, COMMUNITY_STORE, COHORT_STORE, DIRTY_STORE, IdentityTopology.IDENTITY_STORE, OUTPUTS,
                VIEWS, engagement, alerting, hooks).withAlertHistory(ALERT_HISTORY_STORE), INTAKE, IdentityTopology.IDENTITY);
        topology.connectProcessorAndStateStores(ENGAGEMENT, IdentityTopology.IDENTITY_STORE);
        topology.addStateStore(objectCached(engagement, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DAY_STORE),
                serdes.forKey(CommunityDayKey.class), serdes.forValue(DailyEngagementState.class))), ENGAGEMENT);
        topology.addStateStore(objectCached(engagement, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(THREAD_STORE),
                Serdes.String(), serdes.forValue(ThreadState.class))), ENGAGEMENT);
        topology.addStateStore(objectCached(engagement, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBER_STORE),
                Serdes.String(), serdes.forValue(MemberState.class))), ENGAGEMENT);
        // Insert-only, read only by the rare changes that reach over a member's whole history: no cache.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBER_DAYS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), ENGAGEMENT);
        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMUNITY_STORE),
                Serdes.String(), serdes.forValue(CommunityState.class))), ENGAGEMENT);
        // An erasure names a person, not a community: the identity node finds the task's communities here.
        topology.connectProcessorAndStateStores(IdentityTopology.IDENTITY, COMMUNITY_STORE);
        topology.addStateStore(objectCached(engagement, Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COHORT_STORE),
                serdes.forKey(CommunityDayKey.class), serdes.forValue(CohortState.class))), ENGAGEMENT);

        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DIRTY_STORE),
                Serdes.String(), Serdes.ByteArray())), ENGAGEMENT);
        topology.addStateStore(cached(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_HISTORY_STORE),
                Serdes.String(), serdes.forValue(AlertSnapshot.class))), ENGAGEMENT);
        addView(topology, DAILY_VIEW_STORE, topics.dailyEngagement());
        addView(topology, TRAILING_VIEW_STORE, topics.trailingEngagement());
        addView(topology, RETENTION_VIEW_STORE, topics.retention());
        addView(topology, MEMBER_LEVELS_VIEW_STORE, topics.memberLevels());
        addView(topology, ALERTS_VIEW_STORE, topics.alerts());

        addSink(topology, DAILY_SINK, topics.dailyEngagement());
        addSink(topology, TRAILING_SINK, topics.trailingEngagement());
        addSink(topology, RETENTION_SINK, topics.retention());
        addSink(topology, MEMBER_LEVELS_SINK, topics.memberLevels());
        AlertActionsTopology.addTo(topology, topics, serdes);
        AlertActionsTopology.addOutput(topology, ALERTS_SINK, ENGAGEMENT, topics);
        return topology;
    }

    /**
     * Communities of this instance whose changed periods have not been emitted yet. A replay waits for 0
     * (after every input record is processed) before it reads the outputs: records are emitted by a
     * wall-clock punctuator, not as each event is processed.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store is not queryable
     *         (rebalancing, restoring): ask again
     */
    public static long pendingCommunities(KafkaStreams streams) {
        return pendingCommunities(streams, false);
    }

    /**
     * As {@link #pendingCommunities(KafkaStreams)}; with {@code alertsDue}, communities whose alerts
     * are not judged up to the day before their latest day count as pending too (a replay after
     * opening its {@link AlertGate}).
     */
    public static long pendingCommunities(KafkaStreams streams, boolean alertsDue) {
        ReadOnlyKeyValueStore<String, CommunityState> communities = streams.store(
                StoreQueryParameters.fromNameAndType(COMMUNITY_STORE, QueryableStoreTypes.keyValueStore()));
        ReadOnlyKeyValueStore<String, byte[]> dirty = streams.store(
                StoreQueryParameters.fromNameAndType(DIRTY_STORE, QueryableStoreTypes.keyValueStore()));
        return EngagementProcessor.pendingCommunities(communities, dirty, alertsDue);
    }

    /**
     * The fold writes the same day, member and thread entries many times between two commits. The record
     * cache keeps the latest bytes per key and hands one write per key to RocksDB and the changelog at
     * commit (or on eviction), instead of one per event; exactly-once is unchanged, because the cache is
     * flushed before the transaction commits.
     */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> cached(StoreBuilder<KeyValueStore<K, V>> builder) {
        return builder.withCachingEnabled();
    }

    /**
     * Fold state read and written on every event: kept as objects between commits. No record cache below:
     * the object cache already hands one write per key per commit down, and a second, byte-level cache
     * under it only added its sorted-map lookups and a second flush to every commit (10% of the stream
     * thread in the 1M-event profile).
     */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> objectCached(EngagementSettings engagement,
                                                                         StoreBuilder<KeyValueStore<K, V>> builder) {
        return new ObjectCachingStoreBuilder<>(builder, engagement.stateCacheEntries());
    }

    private static <K, V> void addView(Topology topology, String store, Topic<K, V> topic) {
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                topic.valueSerde()), ENGAGEMENT);
    }

    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), ENGAGEMENT);
    }
}
