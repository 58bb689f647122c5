package org.communitypulse.streams.intake;

import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.common.ObjectCachingStoreBuilder;
import org.communitypulse.streams.intake.internals.EventValidator;
import org.communitypulse.streams.intake.internals.IntakeMetrics;
import org.communitypulse.streams.intake.internals.IntakeProcessor;

/**
 * The intake (see {@code docs/metrics.md}): deduplicates, validates and dates every activity event, dead-letters
 * what cannot count ({@code <prefix>activity.dlq}) and sets aside what is beyond the lateness horizon
 * ({@code <prefix>activity.late}). Accepted events go to every family's node; identity events to the identity
 * node only.
 */
public final class IntakeTopology {

    public static final String INTAKE = "intake";
    public static final String DEDUP_STORE = "activity-dedup-store";
    public static final String DEAD_LETTER_SINK = "activity-dead-letter-sink";
    public static final String LATE_SINK = "activity-late-sink";
    /** Entity (tag {@code pulse-id}) of the intake's custom Streams metrics. */
    public static final String METRICS_ENTITY = IntakeMetrics.ENTITY;

    private IntakeTopology() {
    }

    /**
     * Adds the intake under {@code source} (the activity topic read as raw bytes); {@code valid}: the nodes that
     * receive every accepted event, {@code identity}: the node of the identity events (null for none). They are
     * added afterwards with {@link #INTAKE} among their parents.
     */
    public static void addTo(Topology topology, String source, Topics topics, IntakeSettings intake,
                             RuntimeHooks hooks, List<String> valid, String identity, int stateCacheEntries) {
        EventValidator validator = new EventValidator(hooks.clock(), intake.maxFutureSkew());
        IntakeProcessor.Children children = new IntakeProcessor.Children(valid, LATE_SINK, DEAD_LETTER_SINK, identity);
        topology.addProcessor(INTAKE, () -> new IntakeProcessor(DEDUP_STORE,
                topics.activity().valueSerde().deserializer(), validator, intake.latenessHorizon(), children,
                hooks.observer()),
                source);
        // Every event reads and writes its id here and the lateness clock's one hot key: object-cached
        // (one write per key per commit, no sorted byte-map lookups), since the ids are nearly all new. Keys are
        // compact (a UUID id is 17 bytes, not 36 characters) and values empty: the store grows by the ids alone.
        topology.addStateStore(new ObjectCachingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEDUP_STORE), Serdes.Bytes(), Serdes.ByteArray()), stateCacheEntries),
                INTAKE);
        topology.addSink(DEAD_LETTER_SINK, topics.activityDeadLetters().name(),
                Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), INTAKE);
        topology.addSink(LATE_SINK, topics.activityLate().name(),
                topics.activityLate().keySerde().serializer(), topics.activityLate().valueSerde().serializer(), INTAKE);
    }

    /**
     * The intake's validation alone: true for an event, keyed by its own community id, that the intake would count
     * rather than dead-letter, with {@code intake}'s future skew against {@code hooks}' clock. For a reference
     * outside the pipeline that must count the same events (the bench's batch peer); duplicates and lateness are
     * not judged here, they depend on what came before.
     */
    public static Predicate<ActivityEvent> accepts(IntakeSettings intake, RuntimeHooks hooks) {
        EventValidator validator = new EventValidator(hooks.clock(), intake.maxFutureSkew());
        return event -> validator.validate(event.getCommunityId(), event).isEmpty();
    }
}
