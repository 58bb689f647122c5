package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison input on the real broker and registry: each bad record reaches the dead-letter topic with
 * its reason and source offset, the good ones are counted, and processing goes on.
 */
class PoisonInputIT extends PlatformTestBase {


    @Test
    void shouldDeadLetterEachBadRecordWithItsReasonAndOffsetWhenGoodRecordsSurroundIt(@TempDir Path state)
            throws Exception {
        String prefix = "poison-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        try (PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, appId, state,
                Map.of(PulseStreamsConfig.PARTITIONS_CONFIG, 1)))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            String topic = app.topics().activity().name();
            byte[] good1 = serialize(app, event("e1", EventType.THREAD_CREATED));
            byte[] blankId = serialize(app, event(" ", EventType.REPLY_CREATED));
            byte[] good2 = serialize(app, event("e2", EventType.REPLY_CREATED));

            Map<String, Long> expectedOffsets = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                send(producer, topic, good1);
                expectedOffsets.put("DESERIALIZATION_FAILED/magic", send(producer, topic, new byte[] {7, 0, 0, 0, 1, 2}));
                expectedOffsets.put("DESERIALIZATION_FAILED/unknown-id", send(producer, topic, new byte[] {0, 0, 0x0f, 0x42, 0x3f, 2}));
                expectedOffsets.put("DESERIALIZATION_FAILED/truncated", send(producer, topic, new byte[] {0, 0}));
                expectedOffsets.put("NULL_VALUE", send(producer, topic, null));
                expectedOffsets.put("MISSING_FIELD", send(producer, topic, blankId));
                send(producer, topic, good2);
            }

            awaitProcessedAndEmitted(appId, app, Duration.ofMinutes(3));
            List<ConsumerRecord<byte[], byte[]>> dead = readAll(app.topics().activityDeadLetters().name(), 5);
            assertThat(dead).hasSize(5);
            List<String> reasons = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                reasons.add(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON));
                assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.DETAIL)).isNotBlank();
                assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topic);
            }
            assertThat(reasons).containsExactly("DESERIALIZATION_FAILED", "DESERIALIZATION_FAILED",
                    "DESERIALIZATION_FAILED", "NULL_VALUE", "MISSING_FIELD");
            assertThat(dead.stream().map(r -> Long.parseLong(DeadLetterHeaders.get(r.headers(),
                    DeadLetterHeaders.SOURCE_OFFSET))).toList())
                    .containsExactly(expectedOffsets.get("DESERIALIZATION_FAILED/magic"),
                            expectedOffsets.get("DESERIALIZATION_FAILED/unknown-id"),
                            expectedOffsets.get("DESERIALIZATION_FAILED/truncated"),
                            expectedOffsets.get("NULL_VALUE"), expectedOffsets.get("MISSING_FIELD"));
            assertThat(dead.get(4).value()).isEqualTo(blankId);

            // Input count = accepted + dead-lettered: 7 = 2 + 5. The day's record (emitted once or
            // twice, depending on the emission timing) ends up counting exactly the 2 good events.
            List<ConsumerRecord<byte[], byte[]>> metrics = readAll(app.topics().dailyEngagement().name(), 1);
            assertThat(metrics).isNotEmpty();
            ConsumerRecord<byte[], byte[]> last = metrics.get(metrics.size() - 1);
            DailyEngagement day = app.topics().dailyEngagement().valueSerde().deserializer()
                    .deserialize(last.topic(), last.value());
            assertThat(day.getEvents()).isEqualTo(2);
            assertThat(day.getThreads()).isEqualTo(1);
            assertThat(day.getReplies()).isEqualTo(1);
        }
    }

    private static ActivityEvent event(String id, EventType type) {
        return ActivityEvent.newBuilder().setEventId(id).setCommunityId("c1").setSource(SourcePlatform.OTHER)
                .setType(type).setActorId("a1").setThreadId("t1").setParentId(null)
                .setOccurredAt(Instant.parse("2024-05-01T12:00:00Z")).setChannel(null).setAttributes(Map.of())
                .build();
    }

    private static byte[] serialize(PulseStreamsApp app, ActivityEvent event) {
        return app.topics().activity().valueSerde().serializer().serialize(app.topics().activity().name(), event);
    }

    private static long send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) throws Exception {
        RecordMetadata meta = producer.send(new ProducerRecord<>(topic, "c1".getBytes(), value)).get(20, TimeUnit.SECONDS);
        return meta.offset();
    }

    /** Every committed record of a topic, in offset order (single partition topics here). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(SharedPlatform.committedReader(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                if (records.size() >= atLeast) {
                    // A little longer, so that an unexpected extra record would be seen too.
                    consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
                    break;
                }
            }
        }
        return records;
    }
}
