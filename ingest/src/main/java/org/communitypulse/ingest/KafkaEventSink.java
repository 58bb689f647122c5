package org.communitypulse.ingest;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * Publishes events to the activity topic, keyed by community id, with an idempotent producer
 * ({@code acks=all}), so broker-side retries neither lose nor duplicate records.
 *
 * <p>The constructor first checks that the cluster answers within the reachability timeout, so a
 * wrong address fails at once with a clear message instead of after a long import. Sends are
 * asynchronous; the first failed delivery is remembered and makes the next {@link #send} or
 * {@link #flush} throw, which stops the import.
 */
public final class KafkaEventSink implements EventSink {

    private final String topicName;
    private final Producer<String, ActivityEvent> producer;
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final AtomicReference<ImportException> failure = new AtomicReference<>();

    /**
     * Checks the cluster and opens a producer.
     *
     * @param bootstrapServers    Kafka bootstrap servers, e.g. {@code localhost:9092}
     * @param topic               activity topic with its serdes (key: community id)
     * @param extraProducerConfig {@link PulseProducerConfig} overrides and pass-through producer properties
     * @throws ImportException if the cluster does not answer in time
     */
    public KafkaEventSink(String bootstrapServers, Topic<String, ActivityEvent> topic,
                          Map<String, ?> extraProducerConfig) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        PulseProducerConfig pulseConfig = new PulseProducerConfig(Map.copyOf(extraProducerConfig));
        checkReachable(bootstrapServers, pulseConfig);
        this.topicName = topic.name();
        // Serializer instances are used as they are: the producer does not call configure() on them.
        this.producer = new KafkaProducer<>(pulseConfig.producerConfig(bootstrapServers),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /**
     * Fails unless the cluster answers {@code describeCluster} within the reachability timeout.
     *
     * @throws ImportException naming the address and the time waited
     */
    static void checkReachable(String bootstrapServers, PulseProducerConfig pulseConfig) {
        long timeoutMs = pulseConfig.reachabilityTimeoutMs();
        Admin admin;
        try {
            admin = Admin.create(pulseConfig.adminConfig(bootstrapServers));
        } catch (KafkaException e) {
            // e.g. an unresolvable or malformed bootstrap address
            throw unreachable(bootstrapServers, timeoutMs, String.valueOf(e.getCause() != null ? e.getCause() : e), e);
        }
        String noAnswer = "no broker answered (check the address, that Kafka is running and, for a secured cluster, "
                + "the client's security settings: security.protocol, sasl.*, ssl.*)";
        try {
            admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unreachable(bootstrapServers, timeoutMs, noAnswer, e);
        } catch (ExecutionException e) {
            // The admin client's own timeout ends the call first when the broker drops every connection, as a
            // SASL or TLS listener does with a plaintext client.
            String reason = e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                    ? noAnswer + "; " + e.getCause().getMessage() : String.valueOf(e.getCause());
            throw unreachable(bootstrapServers, timeoutMs, reason, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(bootstrapServers, timeoutMs, "interrupted", e);
        } finally {
            // Bounded: a plain close() would wait for pending calls to a dead cluster.
            admin.close(Duration.ofMillis(500));
        }
    }

    private static ImportException unreachable(String bootstrap, long timeoutMs, String reason, Throwable cause) {
        String seconds = timeoutMs % 1000 == 0 ? String.valueOf(timeoutMs / 1000)
                : String.format(Locale.ROOT, "%.1f", timeoutMs / 1000.0);
        return new ImportException("Cannot reach Kafka at " + bootstrap + " within " + seconds + " s: " + reason,
                cause);
    }

    @Override
    public void send(ActivityEvent event) {
        throwIfFailed();
        String eventId = event.getEventId();
        try {
            producer.send(new ProducerRecord<>(topicName, event.getCommunityId(), event), (metadata, error) -> {
                if (error == null) {
                    acknowledged.increment();
                } else {
                    failure.compareAndSet(null, new ImportException("Kafka did not acknowledge event " + eventId
                            + " on topic " + topicName + ": " + error, error));
                }
            });
            sent.increment();
        } catch (KafkaException e) {
            // Serialization errors, a full buffer past max.block.ms, missing topic metadata.
            throw new ImportException("Could not send event " + eventId + " to topic " + topicName + ": " + e, e);
        }
    }

    /**
     * Sends an erasure request to every partition of this sink's topic, which must be the erasures topic (see
     * {@link ErasureRequests}), and waits for every acknowledgement.
     */
    public void sendErasure(ActivityEvent request) {
        throwIfFailed();
        try {
            for (java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> ack
                    : ErasureRequests.send(producer, topicName, request)) {
                sent.increment();
                ack.get(30, TimeUnit.SECONDS);
                acknowledged.increment();
            }
        } catch (ExecutionException e) {
            throw new ImportException("Kafka did not acknowledge erasure request " + request.getEventId() + " on topic "
                    + topicName + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ImportException("Kafka did not acknowledge erasure request " + request.getEventId()
                    + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted sending erasure request " + request.getEventId(), e);
        } catch (KafkaException e) {
            throw new ImportException("Could not send erasure request " + request.getEventId() + " to topic "
                    + topicName + ": " + e, e);
        }
    }

    @Override
    public void flush() {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw new ImportException("Could not flush events to topic " + topicName + ": " + e, e);
        }
        throwIfFailed();
        if (acknowledged.sum() != sent.sum()) {
            // Cannot happen with a working producer: flush() returns after every callback ran.
            throw new ImportException("Only " + acknowledged.sum() + " of " + sent.sum()
                    + " events were acknowledged by topic " + topicName);
        }
    }

    /** Events handed to the producer so far. */
    public long sent() {
        return sent.sum();
    }

    /** Events the cluster has acknowledged so far. */
    public long acknowledged() {
        return acknowledged.sum();
    }

    private void throwIfFailed() {
        ImportException error = failure.get();
        if (error != null) {
            throw error;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
