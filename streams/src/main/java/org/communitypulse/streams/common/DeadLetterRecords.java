package org.communitypulse.streams.common;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.avro.ActivityEvent;

/** The records the processors send to the activity dead-letter topic, with the same headers whoever rejects. */
public final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    /**
     * Adds to {@code headers} why the record was rejected, by which stage, and where it was read when it came
     * from a topic (a punctuation has no source record), so it can be found and replayed.
     */
    public static RecordHeaders headers(RecordHeaders headers, Enum<?> reason, String detail, String rejectedBy,
                                 Optional<RecordMetadata> source) {
        DeadLetterHeaders.put(headers, DeadLetterHeaders.REASON, reason.name());
        DeadLetterHeaders.put(headers, DeadLetterHeaders.DETAIL, detail);
        DeadLetterHeaders.put(headers, DeadLetterHeaders.REJECTED_BY, rejectedBy);
        source.ifPresent(meta -> {
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_TOPIC, meta.topic());
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(meta.partition()));
            DeadLetterHeaders.put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(meta.offset()));
        });
        return headers;
    }

    /**
     * A decoded activity event rejected downstream of the intake, serialized again as it stood on the activity
     * topic (keyed by community, at its event time).
     */
    public static Record<byte[], byte[]> of(ActivityEvent event, Serializer<ActivityEvent> serializer, String activityTopic,
                                     Enum<?> reason, String detail, String rejectedBy, Optional<RecordMetadata> source) {
        byte[] key = event.getCommunityId().getBytes(StandardCharsets.UTF_8);
        byte[] value = serializer.serialize(activityTopic, event);
        return new Record<>(key, value, event.getOccurredAt().toEpochMilli(),
                headers(new RecordHeaders(), reason, detail, rejectedBy, source));
    }
}
