package org.communitypulse.streams.alerts;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertActionLog;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.common.ViewKeys;

/**
 * Acknowledgements and snoozes (docs/alerts.md#acknowledge-and-snooze): the actions topic feeds
 * {@link #STORE}, and every alert family's output goes through a {@link SnoozeMarker} that reads it. The
 * actions topic is keyed by community id like the activity topic, so the task holding a community's alerts
 * holds its actions too (the store joins them into the activity sub-topology; both topics need the same
 * number of partitions, as every pipeline topic has).
 */
public final class AlertActionsTopology {

    public static final String SOURCE = "alert-actions-source";
    public static final String PROCESSOR = "alert-actions";
    /** Queryable: {@code communityId NUL condition} to that condition's {@link AlertActionLog}. */
    public static final String STORE = "alert-actions-store";
    /**
     * The latest alert per {@code communityId NUL condition} of every family that alerts, for the dashboard: the
     * engagement family adds it, the others write to it too.
     */
    public static final String ALERTS_VIEW_STORE = "alerts-view-store";

    private AlertActionsTopology() {
    }

    /** The actions' source, node and store; call once, before {@link #addOutput}. */
    public static void addTo(Topology topology, Topics topics, AvroSerdes serdes) {
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.alertActions().name());
        topology.addProcessor(PROCESSOR, () -> new AlertActionsProcessor(topics.alertActions().name(),
                topics.alertActions().valueSerde().deserializer()), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                serdes.forValue(AlertActionLog.class)), PROCESSOR);
    }

    /**
     * The alerts output of one family: a marker node called {@code name} (the child the family forwards its
     * alerts to) under {@code parent}, then the alerts topic.
     */
    public static void addOutput(Topology topology, String name, String parent, Topics topics) {
        Topic<AlertKey, Alert> alerts = topics.alerts();
        topology.addProcessor(name, SnoozeMarker::new, parent);
        topology.connectProcessorAndStateStores(name, STORE);
        topology.addSink(name + "-topic", alerts.name(), alerts.keySerde().serializer(),
                alerts.valueSerde().serializer(), name);
    }

    public static String key(String communityId, AlertCondition condition) {
        return communityId + ViewKeys.SEPARATOR + condition.name();
    }
}
