package org.communitypulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.communitypulse.alerting.internals.AlertFormats;
import org.communitypulse.alerting.internals.Backoff;
import org.communitypulse.alerting.internals.DeadLetters;
import org.communitypulse.alerting.internals.DeliveryMetrics;
import org.communitypulse.alerting.internals.ReceiverWorker;
import org.communitypulse.alerting.internals.WebhookSender;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.Test;

/**
 * A FIRING record marked {@code snoozed} (docs/alerts.md#acknowledge-and-snooze) is committed without being sent;
 * the RESOLVED of the same alert and unsnoozed FIRING records are delivered. A real worker on a mock consumer,
 * posting to a local receiver.
 */
class SnoozedAlertDeliveryTest {

    private static final String TOPIC = "t.alerts";

    private static Alert alert(String since, AlertState state, boolean snoozed) {
        return Alert.newBuilder().setAlertId("forum/NO_ACTIVITY/" + since).setCommunityId("forum")
                .setCondition(AlertCondition.NO_ACTIVITY).setState(state).setSeverity(AlertSeverity.WARNING)
                .setSince(LocalDate.parse(since)).setDay(LocalDate.parse(since).plusDays(2)).setSummary("quiet")
                .setEvidence(Map.of()).setSnoozed(snoozed).build();
    }

    @Test
    void shouldSkipSnoozedFiringRecordsButDeliverTheirResolvedWhenDelivering() throws Exception {
        Serde<Alert> serde = new AvroSerdes(new InMemorySchemaRegistryClient(), true).forValue(Alert.class);
        List<Alert> alerts = List.of(alert("2026-03-02", AlertState.FIRING, true),
                alert("2026-03-02", AlertState.RESOLVED, false),
                alert("2026-03-20", AlertState.FIRING, false),
                alert("2026-03-20", AlertState.RESOLVED, false));
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(partition));
            for (int i = 0; i < alerts.size(); i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, null, serde.serializer().serialize(TOPIC,
                        alerts.get(i))));
            }
        });
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        try (TestReceiver receiver = new TestReceiver()) {
            ReceiverWorker worker = new ReceiverWorker(new Receiver("ops", ReceiverFormat.JSON, receiver.url()),
                    consumer, TOPIC, serde.deserializer(),
                    new WebhookSender(Duration.ofSeconds(2), Duration.ofSeconds(5)),
                    new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), 2, 0, () -> 0.5),
                    new DeadLetters(producer, "t.alerts.dlq", Duration.ofSeconds(5)), new DeliveryMetrics());
            Thread thread = new Thread(worker, "snoozed-delivery-test");
            thread.start();
            try {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumer.committed(
                        java.util.Set.of(partition))).containsEntry(partition, new OffsetAndMetadata(4)));
            } finally {
                worker.stop();
                assertThat(worker.awaitFinished(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(receiver.delivered()).containsExactly(AlertFormats.deliveryId(alerts.get(1)),
                    AlertFormats.deliveryId(alerts.get(2)), AlertFormats.deliveryId(alerts.get(3)));
            assertThat(producer.history()).as("nothing dead-lettered").isEmpty();
        }
    }
}
