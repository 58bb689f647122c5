package org.communitypulse.streams;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.internals.DailyEngagementProcessor;
import org.communitypulse.streams.internals.EventValidator;
import org.communitypulse.streams.internals.IntakeProcessor;

/**
 * Intake and daily engagement.
 *
 * <p>Input: {@code <prefix>activity} ({@code String} community id, {@code ActivityEvent}), read as raw
 * bytes so unreadable records can be dead-lettered.
 *
 * <p>Outputs:
 * <ul>
 *   <li>{@code <prefix>engagement.daily}: ({@code CommunityDayKey}, {@code DailyEngagement}), one update per
 *       counted event; the latest record per key is the day's value.</li>
 *   <li>{@code <prefix>activity.dlq}: original key and value bytes with {@code pulse.dlq.*} headers.</li>
 *   <li>{@code <prefix>activity.late}: ({@code String}, {@code ActivityEvent}) beyond the lateness horizon.</li>
 * </ul>
 *
 * <p>Every node and store is named: renaming one changes the internal topics, and with them the
 * state an upgraded application finds.
 */
public final class EngagementTopology {

    public static final String ACTIVITY_SOURCE = "activity-source";
    public static final String INTAKE = "intake";
    public static final String DEDUP_STORE = "activity-dedup-store";
    public static final String DEAD_LETTER_SINK = "activity-dead-letter-sink";
    public static final String LATE_SINK = "activity-late-sink";
    public static final String DAILY_ENGAGEMENT = "daily-engagement";
    public static final String DAILY_ENGAGEMENT_STORE = "daily-engagement-store";
    public static final String DAILY_ENGAGEMENT_SINK = "daily-engagement-sink";

    private EngagementTopology() {
    }

    public static Topology build(Topics topics, AvroSerdes serdes, IntakeSettings settings) {
        Topology topology = new Topology();
        topology.addSource(ACTIVITY_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.activity().name());

        EventValidator validator = new EventValidator(settings.clock(), settings.maxFutureSkew());
        IntakeProcessor.Children children =
                new IntakeProcessor.Children(DAILY_ENGAGEMENT, LATE_SINK, DEAD_LETTER_SINK);
        topology.addProcessor(INTAKE, () -> new IntakeProcessor(DEDUP_STORE,
                topics.activity().valueSerde().deserializer(), validator, settings.latenessHorizon(), children),
                ACTIVITY_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEDUP_STORE),
                Serdes.String(), Serdes.Long()), INTAKE);

        topology.addSink(DEAD_LETTER_SINK, topics.activityDeadLetters().name(),
                Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), INTAKE);
        topology.addSink(LATE_SINK, topics.activityLate().name(),
                topics.activityLate().keySerde().serializer(), topics.activityLate().valueSerde().serializer(), INTAKE);

        topology.addProcessor(DAILY_ENGAGEMENT,
                () -> new DailyEngagementProcessor(DAILY_ENGAGEMENT_STORE, settings.clock()), INTAKE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DAILY_ENGAGEMENT_STORE),
                serdes.forKey(CommunityDayKey.class), serdes.forValue(DailyEngagementState.class)),
                DAILY_ENGAGEMENT);
        topology.addSink(DAILY_ENGAGEMENT_SINK, topics.dailyEngagement().name(),
                topics.dailyEngagement().keySerde().serializer(), topics.dailyEngagement().valueSerde().serializer(),
                DAILY_ENGAGEMENT);
        return topology;
    }
}
