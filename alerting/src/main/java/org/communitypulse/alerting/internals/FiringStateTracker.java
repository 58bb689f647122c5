package org.communitypulse.alerting.internals;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code pulse_alerts_firing} gauge from the lifecycle records. It reads the whole alerts topic from
 * the beginning with its own group-less consumer (assigned every partition), independent of any receiver: the
 * gauge is right after a restart and while a receiver is down.
 */
public final class FiringStateTracker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FiringStateTracker.class);
    private static final Duration SLICE = Duration.ofMillis(200);
    /** How often the partition list is checked (the topic may not exist yet, or grow). */
    private static final Duration REFRESH = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Deserializer<Alert> values;
    private final DeliveryMetrics metrics;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;

    public FiringStateTracker(Consumer<byte[], byte[]> consumer, String topic, Deserializer<Alert> values,
                              DeliveryMetrics metrics) {
        this.consumer = consumer;
        this.topic = topic;
        this.values = values;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (!stopping) {
                if (System.nanoTime() - nextRefresh >= 0) {
                    nextRefresh = System.nanoTime() + (assigned.isEmpty() ? SLICE : REFRESH).toNanos();
                    refresh(assigned);
                }
                if (assigned.isEmpty()) {
                    // No topic yet: wait a slice (the consumer has nothing to poll).
                    finished.await(SLICE.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(SLICE)) {
                    track(record);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("The firing gauge stopped following {}", topic, e);
        } finally {
            try {
                consumer.close();
            } finally {
                finished.countDown();
            }
        }
    }

    private void refresh(Set<TopicPartition> assigned) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, SLICE.multipliedBy(10));
        } catch (KafkaException e) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>();
        for (PartitionInfo info : infos) {
            all.add(new TopicPartition(info.topic(), info.partition()));
        }
        if (all.equals(assigned) || all.isEmpty()) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>(all);
        added.removeAll(assigned);
        consumer.assign(all);
        consumer.seekToBeginning(added);
        assigned.clear();
        assigned.addAll(all);
    }

    private void track(ConsumerRecord<byte[], byte[]> record) {
        Alert alert;
        try {
            alert = record.value() == null ? null : values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            metrics.unreadable("deserialization_failed");
            LOG.warn("Alert record {}-{}@{} is unreadable ({}); the firing gauge ignores it", record.topic(),
                    record.partition(), record.offset(), e.getClass().getSimpleName());
            return;
        }
        if (alert == null) {
            metrics.unreadable("null_value");
        } else if (alert.getState() == AlertState.UNKNOWN_STATE) {
            metrics.unreadable("unknown_state");
        } else {
            metrics.firing(alert.getCommunityId(), alert.getCondition().name(), alert.getState() == AlertState.FIRING);
        }
    }

    public void stop() {
        stopping = true;
    }

    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
