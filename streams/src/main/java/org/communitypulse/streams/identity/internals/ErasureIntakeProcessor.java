package org.communitypulse.streams.identity.internals;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.common.DeadLetterRecords;

/**
 * Reads the erasures control topic (see {@code docs/identity.md}): the only way a {@code MEMBER_ERASED} reaches the
 * identity node, since the intake refuses it on the activity topic, where any importer or file can write. Passes
 * each readable {@code MEMBER_ERASED} naming an identity to the identity node; dead-letters anything else with
 * {@code pulse.dlq.rejected.by=streams.erasures} (counted as the identity family's dead letters).
 */
public final class ErasureIntakeProcessor implements Processor<byte[], byte[], Object, Object> {

    /** Where erasure requests go, and where refused records go. */
    public record Children(String identity, String deadLetter) {
    }

    private final Deserializer<ActivityEvent> deserializer;
    private final Children children;
    private ProcessorContext<Object, Object> context;
    private IdentityMetrics metrics;

    public ErasureIntakeProcessor(Deserializer<ActivityEvent> deserializer, Children children) {
        this.deserializer = deserializer;
        this.children = children;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.metrics = new IdentityMetrics(context.metrics());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            deadLetter(record, IdentityRejectReason.NOT_AN_ERASURE, "record has no value");
            return;
        }
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        ActivityEvent event;
        try {
            event = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (SerializationException | org.apache.avro.AvroRuntimeException e) {
            deadLetter(record, IdentityRejectReason.NOT_AN_ERASURE, "unreadable: " + e.getMessage());
            return;
        }
        if (event.getType() != EventType.MEMBER_ERASED) {
            deadLetter(record, IdentityRejectReason.NOT_AN_ERASURE, "the erasures topic takes MEMBER_ERASED only, not "
                    + event.getType() + " (event " + event.getEventId() + ")");
            return;
        }
        if (event.getActorId() == null || event.getActorId().isBlank()) {
            deadLetter(record, IdentityRejectReason.MISSING_IDENTITY, "MEMBER_ERASED names no identity (actorId)");
            return;
        }
        context.forward(new Record<>(event.getCommunityId(), event, record.timestamp()), children.identity());
    }

    private void deadLetter(Record<byte[], byte[]> record, IdentityRejectReason reason, String detail) {
        metrics.deadLettered(reason);
        RecordHeaders headers = DeadLetterRecords.headers(new RecordHeaders(record.headers().toArray()), reason, detail,
                "streams.erasures", context.recordMetadata());
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), children.deadLetter());
    }
}
