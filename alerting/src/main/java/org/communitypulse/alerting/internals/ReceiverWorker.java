package org.communitypulse.alerting.internals;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.alerting.Receiver;
import org.communitypulse.alerting.Route;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alert topic to one receiver, in order per partition, one record at a time: POST, retry
 * transient failures with backoff for as long as it takes, then commit the record's offset synchronously
 * before the next record. The receiver's consumer group (its own) holds its position, so a receiver that is
 * down blocks only itself.
 *
 * <p>The consumer uses the cooperative-sticky assignor, so a rebalance revokes only partitions that move to
 * another member. While one record is being retried, every assigned partition is paused and the consumer keeps polling
 * (heartbeats, {@code max.poll.interval.ms}); if a rebalance takes a partition away meanwhile, its remaining
 * records of the batch are dropped unsent, because its new owner (or this consumer, re-assigned) starts again
 * from the committed offset.
 *
 * <p>A stop request ends the loop before the next attempt; a delivery already acknowledged is still committed.
 * {@link #crash()} simulates a process dying between the receiver's 2xx and the commit: that alert is sent
 * again, with the same delivery id, after a restart.
 */
public final class ReceiverWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverWorker.class);
    /** Longest a poll or a backoff slice blocks, hence the longest a stop request waits (besides one POST). */
    static final Duration SLICE = Duration.ofMillis(200);

    private final Receiver receiver;
    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Deserializer<Alert> values;
    private final WebhookSender sender;
    private final Backoff backoff;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    /** Reading the routed topic: only records whose route names this receiver are delivered. */
    private final boolean routed;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Partitions revoked since the last main poll: their remaining batch records must not be sent. */
    private final Set<TopicPartition> revoked = new HashSet<>();
    private boolean processing;
    private volatile boolean stopping;
    private volatile boolean crashing;
    private volatile Throwable failure;

    public ReceiverWorker(Receiver receiver, Consumer<byte[], byte[]> consumer, String topic,
                          Deserializer<Alert> values, WebhookSender sender, Backoff backoff, DeadLetters deadLetters,
                          DeliveryMetrics metrics) {
        this(receiver, consumer, topic, values, sender, backoff, deadLetters, metrics, false);
    }

    /** With {@code routed}, {@code topic} is the routed topic and records routed elsewhere are skipped. */
    public ReceiverWorker(Receiver receiver, Consumer<byte[], byte[]> consumer, String topic,
                          Deserializer<Alert> values, WebhookSender sender, Backoff backoff, DeadLetters deadLetters,
                          DeliveryMetrics metrics, boolean routed) {
        this.routed = routed;
        this.receiver = receiver;
        this.consumer = consumer;
        this.topic = topic;
        this.values = values;
        this.sender = sender;
        this.backoff = backoff;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Listener());
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(SLICE);
                // What this poll returned belongs to the current assignment (cooperative rebalancing: a
                // partition taken away is gone from it, and one that comes back starts at its committed offset).
                revoked.clear();
                if (!records.isEmpty()) {
                    deliver(records);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("Delivery to {} stopped by an unexpected error", receiver, e);
        } finally {
            try {
                // No auto-commit: closing commits nothing, so a crash leaves the last acknowledged alert uncommitted.
                consumer.close();
            } finally {
                finished.countDown();
            }
        }
    }

    private void deliver(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        processing = true;
        consumer.pause(consumer.assignment());
        try {
            for (TopicPartition partition : records.partitions()) {
                for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                    if (stopping) {
                        return;
                    }
                    if (revoked.contains(partition) || !handle(partition, record)) {
                        break;
                    }
                }
            }
        } finally {
            processing = false;
            consumer.resume(consumer.assignment());
        }
    }

    /** Delivers or dead-letters one record and commits it; false when it was abandoned (stop or revocation). */
    private boolean handle(TopicPartition partition, ConsumerRecord<byte[], byte[]> record)
            throws InterruptedException {
        Route route = null;
        if (routed) {
            route = Route.read(record.headers()).orElse(null);
            if (route == null || !route.receivers().contains(receiver.name())) {
                // Routed elsewhere (the decision is in the record, so a re-read skips it again): just move on.
                return !crashing && commit(partition, record.offset() + 1);
            }
        }
        Alert alert;
        try {
            alert = record.value() == null ? null : values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            return deadLetter(partition, record, "DESERIALIZATION_FAILED",
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (alert == null) {
            return deadLetter(partition, record, "NULL_VALUE", "a record without an alert (tombstone)");
        }
        if (isSnoozed(alert)) {
            // Someone snoozed the condition (docs/alerts.md#acknowledge-and-snooze): kept on the topic, not sent.
            LOG.info("Not delivering {} to {}: its condition is snoozed", AlertFormats.deliveryId(alert),
                    receiver.name());
            return !crashing && commit(partition, record.offset() + 1);
        }
        String deliveryId = AlertFormats.deliveryId(alert);
        String body = AlertFormats.body(receiver.format(), alert, route);
        long start = System.nanoTime();
        int failures = 0;
        try {
            while (!stopping) {
                Attempt attempt = sender.post(receiver.url(), body, deliveryId);
                switch (attempt.kind()) {
                    case DELIVERED -> {
                        metrics.delivered(receiver.name(), alert.getState().name(),
                                Duration.ofNanos(System.nanoTime() - start),
                                Duration.ofMillis(System.currentTimeMillis() - record.timestamp()));
                        if (failures > 0) {
                            LOG.info("Delivered {} to {} after {} failed attempts", deliveryId, receiver.name(), failures);
                        }
                        return !crashing && commit(partition, record.offset() + 1);
                    }
                    case PERMANENT -> {
                        LOG.warn("Receiver {} refused {} for good ({}): dead-lettered to {}", receiver, deliveryId,
                                attempt.detail(), deadLetters.topic());
                        return deadLetter(partition, record, attempt.reason().toUpperCase(Locale.ROOT),
                                attempt.detail());
                    }
                    case TRANSIENT -> {
                        failures++;
                        metrics.retried(receiver.name(), attempt.reason());
                        metrics.retrying(receiver.name(), true);
                        Duration wait = backoff.delay(failures, attempt.retryAfter());
                        // Every attempt is counted; the log gets the 1st, 2nd, 4th, 8th, ... so an outage stays readable.
                        if (Integer.bitCount(failures) == 1) {
                            LOG.warn("Delivery of {} to {} failed ({}), attempt {}; retrying in {} ms", deliveryId,
                                    receiver, attempt.detail(), failures, wait.toMillis());
                        }
                        if (!keepAlive(wait, partition)) {
                            return false;
                        }
                    }
                    default -> throw new IllegalStateException("unknown attempt kind " + attempt.kind());
                }
            }
            return false;
        } finally {
            metrics.retrying(receiver.name(), false);
        }
    }

    /** A FIRING record produced during a snooze; a RESOLVED is always delivered, snoozed or not. */
    static boolean isSnoozed(Alert alert) {
        return alert.getState() == AlertState.FIRING && alert.getSnoozed();
    }

    private boolean deadLetter(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, String reason,
                               String detail) throws InterruptedException {
        metrics.failed(receiver.name(), reason.toLowerCase(Locale.ROOT));
        int failures = 0;
        while (!deadLetters.publish(record, receiver.name(), reason, detail)) {
            failures++;
            metrics.retried(receiver.name(), "dlq_unavailable");
            LOG.warn("Cannot write dead letter {}-{}@{} to {} (attempt {}); retrying", record.topic(),
                    record.partition(), record.offset(), deadLetters.topic(), failures);
            if (!keepAlive(backoff.delay(failures, null), partition)) {
                return false;
            }
        }
        return !crashing && commit(partition, record.offset() + 1);
    }

    private boolean commit(TopicPartition partition, long next) throws InterruptedException {
        int failures = 0;
        while (true) {
            try {
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
                return true;
            } catch (CommitFailedException e) {
                return commitLost(partition, next, e);
            } catch (RebalanceInProgressException | RetriableException e) {
                failures++;
                if (!keepAlive(backoff.delay(failures, null), partition)) {
                    return commitLost(partition, next, e);
                }
            }
        }
    }

    private boolean commitLost(TopicPartition partition, long next, Exception e) {
        metrics.commitFailed(receiver.name());
        if (consumer.assignment().contains(partition)) {
            // Still ours: continue after the delivered record; the next commit covers it.
            consumer.seek(partition, next);
        }
        revoked.add(partition);
        LOG.warn("Offset {} of {} not committed for {} ({}): the alert before it will be sent again, with the same "
                + "delivery id", next, partition, receiver.name(), e.getClass().getSimpleName());
        return false;
    }

    /**
     * Waits {@code wait} while polling the (paused) consumer, so the group keeps this member.
     *
     * @return false when the record should be abandoned: stopping, or its partition was revoked
     */
    private boolean keepAlive(Duration wait, TopicPartition partition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (stopping || revoked.contains(partition)) {
                return false;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            ConsumerRecords<byte[], byte[]> stray = consumer.poll(Duration.ofNanos(Math.min(left, SLICE.toNanos())));
            // Nothing should arrive (all paused); if a partition slipped through, rewind it: it is read again later.
            for (TopicPartition p : stray.partitions()) {
                consumer.seek(p, stray.records(p).get(0).offset());
                consumer.pause(Set.of(p));
            }
        }
    }

    /** Ends the loop before the next attempt; an acknowledged delivery is still committed. */
    public void stop() {
        stopping = true;
    }

    /** Ends the loop without committing an acknowledged delivery: what a crash after the 2xx looks like. */
    public void crash() {
        crashing = true;
        stopping = true;
    }

    /** Waits for the loop to end and the consumer to close. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean finished() {
        return finished.getCount() == 0;
    }

    /** The error that ended the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    public Receiver receiver() {
        return receiver;
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (processing) {
                // Keep the one-record-at-a-time order: nothing new is fetched until the batch is done.
                consumer.pause(partitions);
            }
        }
    }
}
