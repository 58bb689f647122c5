package org.communitypulse.streams;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.streams.internals.IdentityProcessor;

/**
 * Identity resolution (see {@code docs/identity.md}): one member across platforms.
 *
 * <p>Input: the identity events the intake accepted ({@code IDENTITY_OBSERVED}, {@code IDENTITY_MERGED},
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

    private IdentityTopology() {
    }

    /**
     * Adds the identity family under {@code parent} (the intake); {@code engagement} is the node that receives
     * identity changes and must be added afterwards with {@link #IDENTITY} among its parents and
     * {@link #IDENTITY_STORE} connected. {@code erasures}: nodes also told of erasures, added afterwards
     * with {@link #IDENTITY} among their parents.
     */
    static void addTo(Topology topology, String parent, Topics topics, String engagement, List<String> erasures) {
        IdentityProcessor.Children children = new IdentityProcessor.Children(IDENTITIES_SINK, SUGGESTIONS_SINK,
                engagement, DEAD_LETTER_SINK, erasures);
        String activity = topics.activity().name();
        topology.addProcessor(IDENTITY, () -> new IdentityProcessor(IDENTITY_STORE,
                topics.activity().valueSerde().serializer(), activity, children), parent);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IDENTITY_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), IDENTITY);
        addSink(topology, IDENTITIES_SINK, topics.identities());
        addSink(topology, SUGGESTIONS_SINK, topics.identitySuggestions());
        addSink(topology, DEAD_LETTER_SINK, topics.activityDeadLetters());
    }

    private static <K, V> void addSink(Topology topology, String name, Topic<K, V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), IDENTITY);
    }
}
