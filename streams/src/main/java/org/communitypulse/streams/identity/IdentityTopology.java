package org.communitypulse.streams.identity;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.IdentityStateValue;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.common.ObjectCachingStoreBuilder;
import org.communitypulse.streams.identity.internals.ErasureIntakeProcessor;
import org.communitypulse.streams.identity.internals.IdentityProcessor;
import org.communitypulse.streams.identity.internals.IdentityStore;

/**
 * Identity resolution (see {@code docs/identity.md}): one member across platforms.
 *
 * <p>Input: {@code <prefix>erasures}, the erasure requests (the only source of {@code MEMBER_ERASED}), and the
 * identity events the intake accepted ({@code IDENTITY_OBSERVED}, {@code IDENTITY_MERGED},
 * {@code IDENTITY_SPLIT}, {@code MEMBER_ERASED}), routed here only. State: one store per task, scoped by
 * community (the activity topic is keyed by community, so no repartition). It is also connected to the
 * engagement node, which resolves identities to members when it computes its records.
 *
 * <p>Outputs:
 * <ul>
 *   <li>{@code <prefix>identities}: ({@code IdentityKey}, {@code Identity}), compacted, tombstone on erasure;</li>
 *   <li>{@code <prefix>identities.suggestions}: ({@code IdentitySuggestionKey}, {@code IdentitySuggestion}),
 *       compacted, tombstone once settled;</li>
 *   <li>the engagement node: in-memory identity changes, so merged, split and erased identities are recomputed;</li>
 *   <li>{@code <prefix>activity.dlq}: refused identity events, {@code pulse.dlq.rejected.by=streams.identities}.</li>
 * </ul>
 */
public final class IdentityTopology {

    public static final String IDENTITY = "identity";
    public static final String IDENTITY_STORE = "identity-store";
    public static final String IDENTITIES_SINK = "identities-sink";
    public static final String SUGGESTIONS_SINK = "identity-suggestions-sink";
    public static final String DEAD_LETTER_SINK = "identity-dead-letter-sink";
    public static final String ERASURE_SOURCE = "erasure-source";
    public static final String ERASURE_INTAKE = "erasure-intake";

    private IdentityTopology() {
    }

    /**
     * Adds the identity family under {@code parent} (the intake); {@code engagement} is the node that receives
     * identity changes and must be added afterwards with {@link #IDENTITY} among its parents and
     * {@link #IDENTITY_STORE} connected. {@code erasures}: nodes also told of erasures, added afterwards
     * with {@link #IDENTITY} among their parents. {@code communityStore}: a store keyed by community id that the
     * caller adds and connects to {@link #IDENTITY} afterwards, listing the communities an erasure must reach
     * beyond those with identity events. Erasure requests come only from {@code <prefix>erasures} (node
     * {@link #ERASURE_SOURCE}); the intake refuses {@code MEMBER_ERASED} on the activity topic. The state is Avro
     * ({@code serdes}); up to {@code stateCacheEntries} of its values are kept as objects between commits.
     */
    public static void addTo(Topology topology, String parent, Topics topics, AvroSerdes serdes, String engagement,
                             List<String> erasures, String communityStore, int stateCacheEntries) {
        IdentityProcessor.Children children = new IdentityProcessor.Children(IDENTITIES_SINK, SUGGESTIONS_SINK,
                engagement, DEAD_LETTER_SINK, erasures);
        String activity = topics.activity().name();
        // Same partition count as the activity topic (both created by the application): one sub-topology, so the
        // erasure meets the identity, engagement and roles state of the communities on each task.
        topology.addSource(ERASURE_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.erasures().name());
        topology.addProcessor(ERASURE_INTAKE, () -> new ErasureIntakeProcessor(
                topics.erasures().valueSerde().deserializer(),
                new ErasureIntakeProcessor.Children(IDENTITY, DEAD_LETTER_SINK)), ERASURE_SOURCE);
        topology.addProcessor(IDENTITY, () -> new IdentityProcessor(IDENTITY_STORE, communityStore,
                topics.activity().valueSerde().serializer(), activity, children), parent, ERASURE_INTAKE);
        // Read by this node and the engagement node, both on the task's own thread: an object cache (values
        // decoded once, written down once per commit) costs less than a record cache that meters every read.
        topology.addStateStore(new ObjectCachingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IDENTITY_STORE), Serdes.String(),
                IdentityStore.serde(IDENTITY_STORE, serdes.forValue(IdentityStateValue.class))),
                stateCacheEntries), IDENTITY);
        addSink(topology, IDENTITIES_SINK, topics.identities());
        addSink(topology, SUGGESTIONS_SINK, topics.identitySuggestions());
        topology.addSink(DEAD_LETTER_SINK, topics.activityDeadLetters().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), IDENTITY, ERASURE_INTAKE);
    }

    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), IDENTITY);
    }
}
