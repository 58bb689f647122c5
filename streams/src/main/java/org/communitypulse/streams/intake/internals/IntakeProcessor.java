package org.communitypulse.streams.intake.internals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.streams.PipelineObserver;
import org.communitypulse.streams.PipelineObserver.IntakeOutcome;
import org.communitypulse.streams.common.DeadLetterRecords;
import org.communitypulse.streams.identity.IdentityEvents;
import org.communitypulse.streams.intake.RejectReason;

/**
 * The gate every activity record passes: deserialise, validate, deduplicate by event id, divert
 * late events. Raw bytes come in so that unreadable records reach the dead-letter topic instead of
 * killing the stream thread in the deserialiser.
 *
 * <p>{@link Children}: each of {@code valid} gets {@code (communityId, ActivityEvent)}, {@code late}
 * gets late events, {@code deadLetter} gets the original bytes with {@link DeadLetterHeaders}.
 *
 * <p>Store {@code dedupStore}: every event id seen ({@link DedupKeys}, an empty value), plus one reserved
 * entry holding the newest occurredAt of the partition (the lateness clock, 8 bytes), so both survive
 * restarts via the changelog.
 */
public final class IntakeProcessor implements Processor<byte[], byte[], Object, Object> {

    /**
     * Names of the downstream nodes that receive each kind of outcome. {@code identity}, when set, receives
     * the identity events ({@link IdentityEvents#isIdentityEvent}) instead of {@code valid}: they are not
     * activity, and no other family should count them.
     */
    public record Children(List<String> valid, String late, String deadLetter, String identity) {
        public Children {
            valid = List.copyOf(valid);
        }

        /** Without an identity family: identity events go to {@code valid} like any other. */
        public Children(List<String> valid, String late, String deadLetter) {
            this(valid, late, deadLetter, null);
        }

        /** One family of valid-event consumers. */
        public Children(String valid, String late, String deadLetter) {
            this(List.of(valid), late, deadLetter);
        }
    }

    private static final byte[] SEEN = new byte[0];

    private final String dedupStoreName;
    private final Deserializer<ActivityEvent> deserializer;
    private final EventValidator validator;
    private final Optional<Duration> latenessHorizon;
    private final Children children;
    private final PipelineObserver observer;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, byte[]> seen;
    private IntakeMetrics metrics;

    public IntakeProcessor(String dedupStoreName, Deserializer<ActivityEvent> deserializer, EventValidator validator,
                           Optional<Duration> latenessHorizon, Children children) {
        this(dedupStoreName, deserializer, validator, latenessHorizon, children, PipelineObserver.NONE);
    }

    /** As above, also telling {@code observer} each record's outcome (the process-wide intake counter). */
    public IntakeProcessor(String dedupStoreName, Deserializer<ActivityEvent> deserializer, EventValidator validator,
                           Optional<Duration> latenessHorizon, Children children, PipelineObserver observer) {
        this.dedupStoreName = dedupStoreName;
        this.deserializer = deserializer;
        this.validator = validator;
        this.latenessHorizon = latenessHorizon;
        this.children = children;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.seen = context.getStateStore(dedupStoreName);
        this.metrics = new IntakeMetrics(context.metrics());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            deadLetter(record, RejectReason.NULL_VALUE, "record has no value (key '" + key + "')");
            return;
        }
        ActivityEvent event;
        try {
            event = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (SerializationException | org.apache.avro.AvroRuntimeException e) {
            deadLetter(record, RejectReason.DESERIALIZATION_FAILED, describe(e));
            return;
        }
        Optional<Rejection> rejection = validator.validate(key, event);
        if (rejection.isPresent()) {
            deadLetter(record, rejection.get().reason(), rejection.get().detail());
            return;
        }
        long occurredAt = event.getOccurredAt().toEpochMilli();
        Bytes id = DedupKeys.of(event.getEventId());
        if (seen.get(id) != null) {
            // Re-imports and redeliveries are expected, not errors: drop silently but count.
            metrics.duplicate();
            observer.intake(IntakeOutcome.DUPLICATE, null);
            return;
        }
        seen.put(id, SEEN);
        Record<Object, Object> out = new Record<>(event.getCommunityId(), event, record.timestamp(), record.headers());
        if (isLate(occurredAt)) {
            metrics.late();
            observer.intake(IntakeOutcome.LATE, null);
            context.forward(out, children.late());
            return;
        }
        metrics.accepted();
        observer.intake(IntakeOutcome.ACCEPTED, null);
        if (children.identity() != null && IdentityEvents.isIdentityEvent(event.getType())) {
            context.forward(out, children.identity());
            return;
        }
        for (String child : children.valid()) {
            context.forward(out, child);
        }
    }

    private boolean isLate(long occurredAt) {
        if (latenessHorizon.isEmpty()) {
            return false;
        }
        byte[] stored = seen.get(DedupKeys.CLOCK);
        long newest = stored == null ? Long.MIN_VALUE : ByteBuffer.wrap(stored).getLong();
        if (stored == null || occurredAt > newest) {
            seen.put(DedupKeys.CLOCK, ByteBuffer.allocate(Long.BYTES).putLong(occurredAt).array());
            return false;
        }
        return occurredAt < newest - latenessHorizon.get().toMillis();
    }

    private void deadLetter(Record<byte[], byte[]> record, RejectReason reason, String detail) {
        metrics.deadLettered(reason);
        observer.intake(IntakeOutcome.DEAD_LETTERED, reason);
        RecordHeaders headers = DeadLetterRecords.headers(new RecordHeaders(record.headers().toArray()), reason, detail,
                "streams.intake", context.recordMetadata());
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), children.deadLetter());
    }

    private static String describe(Exception e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        // The root cause (EOF, unknown id...) is what a person needs; keep it short.
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null) {
            sb.append(": ").append(cause.getMessage());
        }
        return sb.toString();
    }
}
