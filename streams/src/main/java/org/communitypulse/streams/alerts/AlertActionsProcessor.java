package org.communitypulse.streams.alerts;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertActionLog;
import org.communitypulse.schemas.avro.AlertActionType;
import org.communitypulse.schemas.avro.AlertCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each (community, condition)'s actions in {@link AlertActionsTopology#STORE}. Reads raw bytes: a record
 * nobody should have written (unreadable, unknown action, a snooze without an end) is logged and skipped, never
 * a reason to stop the application; the API refuses such actions before they are written.
 */
final class AlertActionsProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertActionsProcessor.class);

    private final String topic;
    private final Deserializer<AlertAction> values;
    private KeyValueStore<String, AlertActionLog> store;

    AlertActionsProcessor(String topic, Deserializer<AlertAction> values) {
        this.topic = topic;
        this.values = values;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(AlertActionsTopology.STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        AlertAction action;
        try {
            action = record.value() == null ? null : values.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            LOG.warn("Skipping an unreadable alert action: {}", e.toString());
            return;
        }
        String problem = problem(action);
        if (problem != null) {
            LOG.warn("Skipping an alert action: {}", problem);
            return;
        }
        String key = AlertActionsTopology.key(action.getCommunityId().toString(), action.getCondition());
        store.put(key, AlertActionLogs.add(store.get(key), action));
    }

    static String problem(AlertAction action) {
        if (action == null) {
            return "tombstone";
        }
        if (action.getCommunityId().isEmpty() || action.getCondition() == AlertCondition.UNKNOWN_CONDITION
                || action.getAction() == AlertActionType.UNKNOWN_ACTION) {
            return "unknown community, condition or action";
        }
        if (action.getAction() == AlertActionType.SNOOZE
                && (action.getUntil() == null || !action.getUntil().isAfter(action.getAt()))) {
            return "a snooze needs an end after its time";
        }
        if (action.getAction() == AlertActionType.ACKNOWLEDGE && action.getAlertId() == null) {
            return "an acknowledgement names its alert";
        }
        return null;
    }
}
