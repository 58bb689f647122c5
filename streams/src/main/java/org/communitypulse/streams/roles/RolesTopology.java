package org.communitypulse.streams.roles;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.AlertSnapshot;
import org.communitypulse.schemas.avro.RolesHistory;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.AlertGate;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.alerts.AlertActionsTopology;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.alerts.AlertViews;
import org.communitypulse.streams.common.StateFormat;
import org.communitypulse.streams.common.ObjectCachingStoreBuilder;
import org.communitypulse.streams.identity.IdentityTopology;
import org.communitypulse.streams.roles.internals.RolesProcessor;

/**
 * Roles, access levels, training and policy (see {@code docs/roles.md} and {@code docs/metrics.md}).
 *
 * <p>Input: the events the intake accepted (deduplicated, valid, not late), from {@code EngagementTopology.INTAKE}.
 * State: one store entry per community (the activity topic is keyed by community, so no repartition).
 *
 * <p>Outputs:
 * <ul>
 *   <li>{@code <prefix>members.roles}: ({@code MemberKey}, {@code MemberRoles}), compacted;</li>
 *   <li>{@code <prefix>roles.coverage}: ({@code CommunityRoleKey}, {@code RoleCoverage}), compacted;</li>
 *   <li>{@code <prefix>policy.violations}: ({@code ViolationKey}, {@code PolicyViolation}), OPENED and RESOLVED;</li>
 *   <li>{@code <prefix>training.metrics}: ({@code String} community, {@code TrainingMetrics}), compacted;</li>
 *   <li>{@code <prefix>activity.dlq}: refused role events, {@code pulse.dlq.rejected.by=streams.roles};</li>
 *   <li>{@code <prefix>alerts}: REQUIRED_ROLE_VACANT and VIOLATION_OPEN_TOO_LONG, FIRING and RESOLVED.</li>
 * </ul>
 */
public final class RolesTopology {

    public static final String ROLES = "roles";
    public static final String ROLES_STORE = "roles-community-store";
    public static final String ROLES_ACTIVITY_STORE = "roles-activity-store";
    /** Per community and judged day within alert.rejudge.horizon.days: the role alert state, for live convergence. */
    public static final String ALERT_HISTORY_STORE = "roles-alert-history-store";
    public static final String MEMBER_ROLES_SINK = "member-roles-sink";
    public static final String COVERAGE_SINK = "role-coverage-sink";
    public static final String VIOLATIONS_SINK = "policy-violations-sink";
    public static final String TRAINING_SINK = "training-metrics-sink";
    public static final String DEAD_LETTER_SINK = "roles-dead-letter-sink";
    public static final String ALERTS_SINK = "roles-alerts-sink";
    /**
     * Queryable views for the dashboard, keyed {@code communityId NUL suffix} like the engagement views and
     * living on the same partitions: suffix the role id; {@code rule NUL subject} of each open violation
     * (removed when it resolves); {@link #TRAINING_VIEW_SUFFIX} for the training metrics.
     */
    public static final String COVERAGE_VIEW_STORE = "role-coverage-view-store";
    public static final String OPEN_VIOLATIONS_VIEW_STORE = "open-violations-view-store";
    public static final String TRAINING_VIEW_STORE = "training-view-store";
    /** Key suffix of a community's training metrics in {@link #TRAINING_VIEW_STORE}. */
    public static final String TRAINING_VIEW_SUFFIX = RolesProcessor.TRAINING_VIEW_SUFFIX;

    private RolesTopology() {
    }

    /**
     * Adds the roles family to {@code topology}, under {@code parent} (the intake) and the identity node (for
     * erasures: {@code topology} must come from {@code EngagementTopology.build} with {@link #ROLES} among its
     * extra children). With {@code alerting} not null, also its alert conditions (REQUIRED_ROLE_VACANT,
     * VIOLATION_OPEN_TOO_LONG), written to {@code <prefix>alerts} with the lifecycle of {@code alerting} behind
     * {@code gate}, judged every {@code interval}; the latest alert per (community, condition) also goes to
     * {@link AlertViews#ALERTS}, which {@code topology} must already have, and the alert state of each judged day
     * within {@code alert.rejudge.horizon.days} to {@link #ALERT_HISTORY_STORE} ({@code serdes}), so late events
     * re-judge the days they land on. Up to {@code stateCacheEntries}
     * communities' role histories, and four times as many activity entries, are kept as objects between commits
     * ({@link PulseStreamsConfig#STATE_CACHE_ENTRIES_CONFIG}).
     */
    public static Topology addTo(Topology topology, String parent, Topics topics, AvroSerdes serdes, RolesModel config,
                                 AlertSettings alerting, AlertGate gate, RoleAlertSettings thresholds,
                                 java.time.Duration interval, int stateCacheEntries) {
        boolean alerts = alerting != null;
        RolesProcessor.Children children = new RolesProcessor.Children(MEMBER_ROLES_SINK, COVERAGE_SINK,
                VIOLATIONS_SINK, TRAINING_SINK, DEAD_LETTER_SINK, alerts ? ALERTS_SINK : null);
        RolesProcessor.Alerting judging = alerts ? new RolesProcessor.Alerting(alerting, gate, thresholds, interval,
                AlertViews.ALERTS.store(), ALERT_HISTORY_STORE) : null;
        String activity = topics.activity().name();
        topology.addProcessor(ROLES, () -> new RolesProcessor(ROLES_STORE, ROLES_ACTIVITY_STORE, config,
                topics.activity().valueSerde().serializer(), activity, children, judging,
                new RolesProcessor.Views(COVERAGE_VIEW_STORE, OPEN_VIOLATIONS_VIEW_STORE, TRAINING_VIEW_STORE)), parent,
                IdentityTopology.IDENTITY);
        addView(topology, COVERAGE_VIEW_STORE, topics.roleCoverage());
        addView(topology, OPEN_VIOLATIONS_VIEW_STORE, topics.policyViolations());
        addView(topology, TRAINING_VIEW_STORE, topics.trainingMetrics());
        if (alerts) {
            topology.connectProcessorAndStateStores(ROLES, AlertViews.ALERTS.store());
            AlertActionsTopology.addOutput(topology, ALERTS_SINK, ROLES, topics);
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_HISTORY_STORE),
                    Serdes.String(), serdes.forValue(AlertSnapshot.class)).withCachingEnabled(), ROLES);
        }
        // The role history is kept as an object between commits (written down once per commit, not read and
        // re-serialised per event). It is never range-scanned nor queried from other threads, as that cache needs.
        topology.addStateStore(new ObjectCachingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ROLES_STORE), Serdes.String(), historySerde(serdes)),
                stateCacheEntries), ROLES);
        // The activity store is read and written several times per event (the community's clock, the actor's
        // activity): kept as objects, each changed entry written down once per commit. Replays ask it from other
        // threads (pendingAlerts): they read what the last commit wrote down. A few entries
        // per member (activity, its day, holder): four per role history kept.
        topology.addStateStore(new ObjectCachingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ROLES_ACTIVITY_STORE), Serdes.String(), Serdes.Long()),
                (int) Math.min(Integer.MAX_VALUE, 4L * stateCacheEntries)), ROLES);
        addSink(topology, MEMBER_ROLES_SINK, topics.memberRoles());
        addSink(topology, COVERAGE_SINK, topics.roleCoverage());
        addSink(topology, VIOLATIONS_SINK, topics.policyViolations());
        addSink(topology, TRAINING_SINK, topics.trainingMetrics());
        addSink(topology, DEAD_LETTER_SINK, topics.activityDeadLetters());
        return topology;
    }

    /**
     * Communities of this instance whose role alerts are not judged up to the day before their latest event:
     * a replay waits for 0 after opening its {@link AlertGate}, as with
     * {@code EngagementTopology.pendingCommunities}.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store is not queryable
     */
    public static long pendingAlerts(org.apache.kafka.streams.KafkaStreams streams) {
        return RolesProcessor.pendingAlerts(streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                ROLES_ACTIVITY_STORE, org.apache.kafka.streams.state.QueryableStoreTypes.<String, Long>keyValueStore())));
    }

    /** The value serde of {@link #ROLES_STORE}: Avro, refusing the JSON documents of earlier versions. */
    public static Serde<RolesHistory> historySerde(AvroSerdes serdes) {
        return StateFormat.guarded(ROLES_STORE, serdes.forValue(RolesHistory.class));
    }

    private static <K, V> void addView(Topology topology, String store, Topic<K, V> topic) {
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                topic.valueSerde()), ROLES);
    }

    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), ROLES);
    }
}
