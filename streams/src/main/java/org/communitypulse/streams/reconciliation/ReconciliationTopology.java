package org.communitypulse.streams.reconciliation;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.streams.alerts.AlertActionsTopology;
import org.communitypulse.streams.common.ObjectCachingStoreBuilder;

/**
 * Reconciliation: what each platform's API says was created per community and UTC day, against what the
 * pipeline counted (see {@code docs/metrics.md#reconciliation}).
 *
 * <p>Inputs: the events the intake accepted (deduplicated, valid, not late), of which THREAD_CREATED and
 * REPLY_CREATED are counted per (community, source, day); and {@code <prefix>platform.counts}, re-keyed by
 * community through the repartition topic {@code <application.id>-reconciliation-platform-repartition}, so that
 * both sides of a community meet on the task that holds its activity partition (and its dashboard views).
 *
 * <p>Outputs:
 * <ul>
 *   <li>{@code <prefix>reconciliation}: ({@code CommunityDayKey}, {@code Reconciliation}) for every observed day
 *       whose platform or pipeline count changed, once per emission interval;</li>
 *   <li>{@code <prefix>alerts}: DATA_GAP, FIRING while a day of the community is GAP_NOT_CLOSED, RESOLVED when
 *       none is (latest record per community also in the engagement family's alerts view store).</li>
 * </ul>
 */
public final class ReconciliationTopology {

    public static final String RECONCILIATION = "reconciliation";
    public static final String PLATFORM_SOURCE = "reconciliation-platform-source";
    /** Reads the counts from bytes (skipping unreadable ones, see {@code PlatformCountReader}), keyed by community. */
    public static final String PLATFORM_BY_COMMUNITY = "reconciliation-platform-by-community";
    /** The repartition's name: topic {@code <application.id>-reconciliation-platform-repartition}. */
    public static final String PLATFORM_REPARTITION = "reconciliation-platform";
    /** The node reading the repartition topic (named by Kafka Streams after {@link #PLATFORM_REPARTITION}). */
    static final String PLATFORM_REPARTITION_SOURCE = PLATFORM_REPARTITION + "-repartition-source";
    /** Pipeline count per {@code community NUL day NUL source}. */
    public static final String COUNT_STORE = "reconciliation-count-store";
    /** Latest reconciliation per {@code community NUL day} (ISO): the state of the gaps and the dashboard's view. */
    public static final String VIEW_STORE = "reconciliation-view-store";
    /** Days (and communities' DATA_GAP judgements) waiting for the next emission. */
    public static final String DIRTY_STORE = "reconciliation-dirty-store";
    public static final String RECONCILIATION_SINK = "reconciliation-sink";
    public static final String ALERTS_SINK = "reconciliation-alerts-sink";

    private ReconciliationTopology() {
    }

    /**
     * Re-keys {@code <prefix>platform.counts} by community into the repartition topic, in {@code builder} (only the
     * DSL declares internal topics); {@link #addTo} then adds the rest to the topology built from it.
     */
    public static void addPlatformCounts(StreamsBuilder builder, Topics topics) {
        Topic<CommunityDayKey, PlatformDayCount> counts = topics.platformCounts();
        builder.stream(counts.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(PLATFORM_SOURCE))
                .process(() -> new PlatformCountReader(counts.valueSerde().deserializer()),
                        Named.as(PLATFORM_BY_COMMUNITY))
                .repartition(Repartitioned.<String, PlatformDayCount>as(PLATFORM_REPARTITION)
                        .withKeySerde(Serdes.String()).withValueSerde(counts.valueSerde()));
    }

    /**
     * Adds the reconciliation node under {@code intake} (which must list {@link #RECONCILIATION} among its
     * children) and the platform counts' repartition source. {@code topology} must be built from
     * a builder given to {@link #addPlatformCounts} and hold {@code alertsViewStore}, where every alert's latest record lives.
     * Up to {@code stateCacheEntries} counts and dirty marks are kept as objects between commits.
     */
    public static Topology addTo(Topology topology, String intake, Topics topics, ReconciliationSettings settings,
                                 String alertsViewStore, int stateCacheEntries) {
        ReconciliationProcessor.Names names = new ReconciliationProcessor.Names(COUNT_STORE, VIEW_STORE, DIRTY_STORE,
                alertsViewStore, RECONCILIATION_SINK, ALERTS_SINK);
        topology.addProcessor(RECONCILIATION, () -> new ReconciliationProcessor(names, settings), intake,
                PLATFORM_REPARTITION_SOURCE);
        // Object caches: a busy day's count and dirty mark are written once per commit, not once per event, and
        // only this node reads them (a record cache would re-serialise and meter every read).
        topology.addStateStore(new ObjectCachingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(COUNT_STORE), Serdes.String(), Serdes.Long()), stateCacheEntries),
                RECONCILIATION);
        topology.addStateStore(new ObjectCachingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DIRTY_STORE), Serdes.String(), Serdes.ByteArray()), stateCacheEntries),
                RECONCILIATION);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VIEW_STORE),
                Serdes.String(), topics.reconciliation().valueSerde()), RECONCILIATION);
        topology.connectProcessorAndStateStores(RECONCILIATION, alertsViewStore);
        addSink(topology, RECONCILIATION_SINK, topics.reconciliation());
        AlertActionsTopology.addOutput(topology, ALERTS_SINK, RECONCILIATION, topics);
        return topology;
    }

    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(),
                RECONCILIATION);
    }
}
