package org.communitypulse.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CohortState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.ObjectCachingKeyValueStore;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-record aggregation step: one generated event folded into the engagement state (day,
 * thread, member, cohort and community stores, serialised with the real Avro serdes), without
 * Kafka. In-memory stores, so this is the CPU cost, not RocksDB's. The processor is the engagement node's,
 * from {@link EngagementTopology#foldProcessor} (without the identity store and alert history).
 *
 * <p>{@code objectCacheEntries}: 0 folds straight into the serialising stores (before the object
 * cache); otherwise the fold stores are wrapped as in the topology, and written down every
 * {@link #COMMIT_EVERY} events, as a 100 ms commit does at about 10k events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngagementProcessorBenchmark {

    static final int COMMIT_EVERY = 1_000;
    private static final Set<String> FOLD_STORES = Set.of(EngagementTopology.DAY_STORE,
            EngagementTopology.THREAD_STORE, EngagementTopology.MEMBER_STORE, EngagementTopology.COHORT_STORE);

    @Param({"0", "10000"})
    public int objectCacheEntries;

    private final List<ObjectCachingKeyValueStore<?, ?>> caches = new ArrayList<>();
    private Processor<String, Object, Object, Object> processor;
    private List<ActivityEvent> events;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        events = new SimulatedActivity(new SimulationPlan(SimulationPlan.numberedCommunities(5), 2_000,
                LocalDate.parse("2024-01-01"), 365, 42, Map.of())).events().limit(200_000).toList();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(0);
        addStore(context, EngagementTopology.DAY_STORE, serdes().forKey(CommunityDayKey.class),
                serdes().forValue(DailyEngagementState.class));
        addStore(context, EngagementTopology.THREAD_STORE, Serdes.String(), serdes().forValue(ThreadState.class));
        addStore(context, EngagementTopology.MEMBER_STORE, Serdes.String(), serdes().forValue(MemberState.class));
        addStore(context, EngagementTopology.COMMUNITY_STORE, Serdes.String(), serdes().forValue(CommunityState.class));
        addStore(context, EngagementTopology.COHORT_STORE, serdes().forKey(CommunityDayKey.class),
                serdes().forValue(CohortState.class));
        addStore(context, EngagementTopology.DIRTY_STORE, Serdes.String(), Serdes.ByteArray());
        addStore(context, EngagementTopology.MEMBER_DAYS_STORE, Serdes.String(), Serdes.ByteArray());
        addStore(context, EngagementTopology.DAILY_VIEW_STORE, Serdes.String(), serdes().forValue(DailyEngagement.class));
        addStore(context, EngagementTopology.TRAILING_VIEW_STORE, Serdes.String(),
                serdes().forValue(TrailingEngagement.class));
        addStore(context, EngagementTopology.RETENTION_VIEW_STORE, Serdes.String(),
                serdes().forValue(CohortRetention.class));
        addStore(context, EngagementTopology.MEMBER_LEVELS_VIEW_STORE, Serdes.String(),
                serdes().forValue(MemberEngagement.class));
        addStore(context, EngagementTopology.ALERTS_VIEW_STORE, Serdes.String(), serdes().forValue(Alert.class));
        processor = EngagementTopology.foldProcessor(EngagementSettings.defaults(),
                AlertSettings.defaults().withWallClock(false), RuntimeHooks.defaults());
        processor.init(context);
    }

    /** One registry per store: the mock context serialises every store under one topic name. */
    private static AvroSerdes serdes() {
        return new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    }

    private <K, V> void addStore(MockProcessorContext<Object, Object> context, String name, Serde<K> keys,
                                 Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        if (objectCacheEntries > 0 && FOLD_STORES.contains(name)) {
            ObjectCachingKeyValueStore<K, V> cached = new ObjectCachingKeyValueStore<>(store, objectCacheEntries);
            caches.add(cached);
            store = cached;
        }
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    @Benchmark
    public void foldOneEvent() {
        ActivityEvent event = events.get(next);
        next = next + 1 == events.size() ? 0 : next + 1;
        processor.process(new Record<>(event.getCommunityId(), event, 0L));
        if (next % COMMIT_EVERY == 0) {
            caches.forEach(ObjectCachingKeyValueStore::flushCache);
        }
    }
}
