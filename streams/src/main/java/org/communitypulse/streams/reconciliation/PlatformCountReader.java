package org.communitypulse.streams.reconciliation;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code <prefix>platform.counts} from raw bytes and keys each count by its community. A record that cannot
 * be read or makes no sense (no community, no day, a negative count) is logged with where it was read and skipped:
 * with a deserialising source it would stop the stream thread, again on every restart.
 */
final class PlatformCountReader implements Processor<byte[], byte[], String, PlatformDayCount> {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformCountReader.class);

    private final Deserializer<PlatformDayCount> deserializer;
    private ProcessorContext<String, PlatformDayCount> context;

    PlatformCountReader(Deserializer<PlatformDayCount> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<String, PlatformDayCount> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        PlatformDayCount count;
        try {
            count = record.value() == null ? null : deserializer.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            skip("unreadable (" + e.getMessage() + ")");
            return;
        }
        if (count == null) {
            skip("null value");
        } else if (count.getCommunityId() == null || count.getCommunityId().isBlank()) {
            skip("blank communityId");
        } else if (count.getDay() == null || count.getObservedAt() == null) {
            skip("no day or observedAt");
        } else if (count.getItems() < 0) {
            skip("negative items " + count.getItems());
        } else {
            context.forward(record.withKey(count.getCommunityId()).withValue(count));
        }
    }

    private void skip(String why) {
        LOG.warn("Skipped platform count at {}: {}", context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"), why);
    }
}
