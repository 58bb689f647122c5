package org.communitypulse.streams.maturity;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.HealthAlertLifecycle;
import org.communitypulse.schemas.avro.MaturityStateValue;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.AlertGate;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertActionsTopology;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.alerts.AlertViews;
import org.communitypulse.streams.common.MixedAvroStateSerde;
import org.communitypulse.streams.common.StateFormat;
import org.communitypulse.streams.common.ObjectCachingStoreBuilder;
import org.communitypulse.streams.engagement.EngagementViews;
import org.communitypulse.streams.identity.IdentityTopology;
import org.communitypulse.streams.maturity.internals.MaturityProcessor;
import org.communitypulse.streams.roles.RolesModel;
import org.communitypulse.streams.roles.RolesViews;

/**
 * The Community Maturity Model scorecard and the health score (see {@code docs/maturity.md}).
 *
 * <p>Input: the events the intake accepted, from {@code EngagementTopology.INTAKE}, plus read access to the
 * engagement view stores and the roles state of the same task (the activity topic is keyed by community,
 * so everything a community's scorecard needs is on one task: no repartition topic).
 *
 * <p>Outputs, per community and ISO week (key {@code CommunityDayKey} of the week's Monday):
 * <ul>
 *   <li>{@code <prefix>maturity.scorecard}: {@code MaturityScorecard}, compacted;</li>
 *   <li>{@code <prefix>community.health}: {@code CommunityHealth}, compacted;</li>
 *   <li>{@code <prefix>staff.share}: {@code StaffShare}, compacted;</li>
 *   <li>{@code <prefix>alerts} (when built with alert settings): HEALTH_AT_RISK, FIRING and RESOLVED, judged on
 *       completed weeks' health records (see {@code docs/alerts.md}).</li>
 * </ul>
 */
public final class MaturityTopology {

    public static final String MATURITY = "maturity";
    public static final String STATE_STORE = "maturity-state-store";
    public static final String DIRTY_STORE = "maturity-dirty-store";
    /** Latest scorecard per {@code communityId NUL Monday} (ISO date), for interactive queries. */
    public static final String SCORECARD_VIEW_STORE = "maturity-scorecard-view-store";
    /** Latest health record per {@code communityId NUL Monday}, for interactive queries. */
    public static final String HEALTH_VIEW_STORE = "community-health-view-store";
    /** Accepted declarations (their Avro events) per community, kind, subject, effective instant and event id. */
    public static final String DECLARATIONS_STORE = "maturity-declarations-store";
    /** Latest staff share per {@code communityId NUL Monday}: the trend reads the one 4 weeks before. */
    public static final String STAFF_SHARE_VIEW_STORE = "staff-share-view-store";
    public static final String STAFF_SHARE_SINK = "staff-share-sink";
    public static final String SCORECARD_SINK = "maturity-scorecard-sink";
    public static final String HEALTH_SINK = "community-health-sink";
    /** HEALTH_AT_RISK lifecycle per community ({@code HealthAlertLifecycle}). */
    public static final String HEALTH_ALERT_STORE = "maturity-health-alert-store";
    public static final String ALERTS_SINK = "maturity-alerts-sink";

    private MaturityTopology() {
    }

    /**
     * Adds the maturity family under {@code parent} (the intake). The engagement family and the roles family
     * must already be in {@code topology}: their views are read. With {@code alerting} not null, also judges
     * HEALTH_AT_RISK for every completed week (resolving after {@code resolveAfterWeeks} healthy weeks) behind
     * {@code hooks}' gate, written to {@code <prefix>alerts} and to {@link AlertViews#ALERTS}, which
     * {@code topology} must have. Up to {@code stateCacheEntries} entries of the per-event state (spans, weeks,
     * marks) are kept as objects between commits ({@link PulseStreamsConfig#STATE_CACHE_ENTRIES_CONFIG}).
     */
    public static Topology addTo(Topology topology, String parent, Topics topics, AvroSerdes serdes, MaturityRules config,
                                 RolesModel roles, Duration interval, RuntimeHooks hooks, AlertSettings alerting,
                                 int resolveAfterWeeks, int stateCacheEntries) {
        MaturityProcessor.Alerting judging = alerting == null ? null : new MaturityProcessor.Alerting(
                HEALTH_ALERT_STORE, AlertViews.ALERTS.store(), ALERTS_SINK, resolveAfterWeeks,
                hooks.gate(), alerting.rejudgeHorizonDays());
        MaturityProcessor.Stores stores = new MaturityProcessor.Stores(STATE_STORE, DIRTY_STORE, SCORECARD_VIEW_STORE,
                HEALTH_VIEW_STORE, EngagementViews.DAILY.store(), EngagementViews.TRAILING.store(),
                EngagementViews.PENDING.store(), EngagementViews.THREADS.store(), RolesViews.STATE.store(),
                DECLARATIONS_STORE, STAFF_SHARE_VIEW_STORE);
        MaturityProcessor.Children children = new MaturityProcessor.Children(SCORECARD_SINK, HEALTH_SINK,
                STAFF_SHARE_SINK);
        MixedAvroStateSerde<MaturityStateValue> stateValues = MaturityProcessor.stateSerde(STATE_STORE,
                serdes.forValue(MaturityStateValue.class));
        topology.addProcessor(MATURITY, () -> new MaturityProcessor(stores, children, config, roles, interval, hooks.clock(),
                judging, stateValues),
                parent, IdentityTopology.IDENTITY);
        // Every event reads and writes the community's span and week: kept as objects between commits, written
        // down once per commit. The emitter's range reads write the dirty entries down first; the store is not
        // queried from other threads.
        topology.addStateStore(new ObjectCachingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), stateValues), stateCacheEntries),
                MATURITY);
        // Record cache: queried from other threads (pendingCommunities), so not object-cached.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DIRTY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), MATURITY);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCORECARD_VIEW_STORE),
                Serdes.String(), topics.maturityScorecard().valueSerde()), MATURITY);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEALTH_VIEW_STORE),
                Serdes.String(), topics.communityHealth().valueSerde()), MATURITY);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECLARATIONS_STORE),
                Serdes.String(), topics.activity().valueSerde()), MATURITY);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STAFF_SHARE_VIEW_STORE),
                Serdes.String(), topics.staffShare().valueSerde()), MATURITY);
        topology.connectProcessorAndStateStores(MATURITY, EngagementViews.DAILY.store(),
                EngagementViews.TRAILING.store(), EngagementViews.PENDING.store(), EngagementViews.THREADS.store(),
                RolesViews.STATE.store());
        addSink(topology, SCORECARD_SINK, topics.maturityScorecard());
        addSink(topology, HEALTH_SINK, topics.communityHealth());
        addSink(topology, STAFF_SHARE_SINK, topics.staffShare());
        if (judging != null) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEALTH_ALERT_STORE),
                    Serdes.String(), StateFormat.guarded(HEALTH_ALERT_STORE,
                            serdes.forValue(HealthAlertLifecycle.class))), MATURITY);
            topology.connectProcessorAndStateStores(MATURITY, AlertViews.ALERTS.store());
            AlertActionsTopology.addOutput(topology, ALERTS_SINK, MATURITY, topics);
        }
        return topology;
    }

    /**
     * Communities of this instance whose scorecards have not been emitted yet: a replay waits for 0 (and for
     * {@code EngagementTopology.pendingCommunities}) before it reads the outputs.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store is not queryable
     */
    public static long pendingCommunities(KafkaStreams streams) {
        return MaturityProcessor.pendingCommunities(streams.store(
                StoreQueryParameters.fromNameAndType(DIRTY_STORE, QueryableStoreTypes.keyValueStore())));
    }

    /**
     * Communities whose completed weeks are not all judged for HEALTH_AT_RISK: a replay waits for 0 after
     * opening its {@link AlertGate}. 0 when the topology has no alerts.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store is not queryable
     */
    public static long pendingAlerts(KafkaStreams streams) {
        try {
            return MaturityProcessor.pendingAlerts(streams.store(
                    StoreQueryParameters.fromNameAndType(HEALTH_ALERT_STORE, QueryableStoreTypes.keyValueStore())));
        } catch (org.apache.kafka.streams.errors.UnknownStateStoreException e) {
            return 0; // built without alerts
        }
    }

    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), MATURITY);
    }
}
