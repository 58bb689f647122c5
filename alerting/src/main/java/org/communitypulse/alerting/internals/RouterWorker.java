package org.communitypulse.alerting.internals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.alerting.OwnerRouting;
import org.communitypulse.alerting.Route;
import org.communitypulse.schemas.avro.Alert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once where each alert goes and writes it, with the decision as headers, to the routed topic: read the
 * alerts topic in its own consumer group, bring the role table up to date, route the batch, and write the routed
 * records together with the consumed offsets in one Kafka transaction. A crash or an aborted transaction leaves
 * neither routed records nor offsets, so each alert is routed exactly once and every routed receiver sees the
 * same decision, however late it delivers.
 */
public final class RouterWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final String alertsTopic;
    private final String routedTopic;
    private final Deserializer<Alert> values;
    private final OwnerRouting routing;
    private final RoleTable roles;
    private final DeliveryMetrics metrics;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Throwable failure;

    public RouterWorker(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, String alertsTopic,
                        String routedTopic, Deserializer<Alert> values, OwnerRouting routing, RoleTable roles,
                        DeliveryMetrics metrics) {
        this.consumer = consumer;
        this.producer = producer;
        this.alertsTopic = alertsTopic;
        this.routedTopic = routedTopic;
        this.values = values;
        this.routing = routing;
        this.roles = roles;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(alertsTopic));
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty() || !roles.catchUp(() -> stopping)) {
                    continue;
                }
                route(records);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("Alert routing stopped by an unexpected error", e);
        } finally {
            try {
                consumer.close();
                producer.close(Duration.ofSeconds(10));
                roles.close();
            } finally {
                finished.countDown();
            }
        }
    }

    private void route(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<Route> unowned = new ArrayList<>();
        List<String> unownedCommunities = new ArrayList<>();
        producer.beginTransaction();
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String community = community(record);
                // An unreadable record goes to the default receiver, whose worker dead-letters it as before.
                Route route = community == null
                        ? new Route(new java.util.TreeSet<>(List.of(routing.defaultReceiver())), null, List.of(),
                                List.of(), List.of(), null)
                        : routing.decide(community, roles);
                if (route.isUnowned()) {
                    unowned.add(route);
                    unownedCommunities.add(community);
                }
                RecordHeaders headers = new RecordHeaders(record.headers().toArray());
                route.write(headers);
                producer.send(new ProducerRecord<>(routedTopic, record.partition(), record.timestamp(), record.key(),
                        record.value(), headers));
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("Routing transaction aborted ({}): the batch is routed again", e.toString());
            producer.abortTransaction();
            rewind(records);
            return;
        }
        for (int i = 0; i < unowned.size(); i++) {
            metrics.unowned(unownedCommunities.get(i), unowned.get(i).unowned());
        }
    }

    /** Back to the batch's first offsets: nothing of it was committed. */
    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
    }

    private String community(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return values.deserialize(record.topic(), record.headers(), record.value()).getCommunityId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    public void stop() {
        stopping = true;
    }

    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Throwable failure() {
        return failure;
    }
}
