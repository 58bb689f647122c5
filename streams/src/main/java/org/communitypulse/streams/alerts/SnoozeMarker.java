package org.communitypulse.streams.alerts;

import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertActionLog;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;

/**
 * Between an alert family and the alerts topic: a FIRING record whose event time falls in a snooze of its
 * condition leaves marked {@code snoozed}, which delivery honours. RESOLVED records and tombstones pass as they are.
 */
final class SnoozeMarker implements Processor<AlertKey, Alert, AlertKey, Alert> {

    private ProcessorContext<AlertKey, Alert> context;
    private KeyValueStore<String, AlertActionLog> store;

    @Override
    public void init(ProcessorContext<AlertKey, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(AlertActionsTopology.STORE);
    }

    @Override
    public void process(Record<AlertKey, Alert> record) {
        Alert alert = record.value();
        if (alert != null && alert.getState() == AlertState.FIRING) {
            AlertActionLog log = store.get(AlertActionsTopology.key(alert.getCommunityId().toString(),
                    alert.getCondition()));
            Instant time = AlertActionLogs.eventTime(alert);
            if (AlertActionLogs.snoozedUntil(log, time).isPresent() && !alert.getSnoozed()) {
                context.forward(record.withValue(Alert.newBuilder(alert).setSnoozed(true).build()));
                return;
            }
        }
        context.forward(record);
    }
}
