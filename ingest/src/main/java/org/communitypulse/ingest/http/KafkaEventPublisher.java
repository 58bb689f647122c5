package org.communitypulse.ingest.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.communitypulse.ingest.ErasureRequests;
import org.communitypulse.ingest.PulseProducerConfig;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/**
 * Publishes webhook events to the activity topic (key: community id) with the project's idempotent,
 * {@code acks=all} producer, waiting for the acknowledgement of every event before returning.
 *
 * <p>Unlike {@link org.communitypulse.ingest.KafkaEventSink} it starts without a reachable cluster (the server
 * must come up and answer 503 and /ready=false while Kafka is down) and is tuned for latency: no linger, and the
 * producer's own delivery timeout equals the publish timeout, so when {@link #publish} gives up the producer has
 * given up too and no late write follows a 503.
 */
public final class KafkaEventPublisher implements EventPublisher {

    private static final long GRACE_MS = 1_000;

    private final String topicName;
    private final String erasuresTopicName;
    private final Producer<String, ActivityEvent> producer;
    private final Admin admin;
    private final long publishTimeoutMs;
    private final long readyTimeoutMs;

    /**
     * @param bootstrapServers    Kafka bootstrap servers
     * @param topic               activity topic with its serdes
     * @param extraProducerConfig pass-through client properties (e.g. security settings)
     * @param publishTimeout      longest wait for acknowledgements per request
     * @param readyTimeout        longest wait of a readiness check
     */
    public KafkaEventPublisher(String bootstrapServers, Topic<String, ActivityEvent> topic,
                               Map<String, ?> extraProducerConfig, Duration publishTimeout, Duration readyTimeout) {
        this(bootstrapServers, topic, null, extraProducerConfig, publishTimeout, readyTimeout);
    }

    /**
     * As above; {@code erasures}: the erasures control topic, where {@code MEMBER_ERASED} events (a signed
     * Discourse {@code user_destroyed}) go instead of the activity topic, which refuses them. Null: such events
     * are refused (PublishException), never written where the pipeline would dead-letter them.
     */
    public KafkaEventPublisher(String bootstrapServers, Topic<String, ActivityEvent> topic,
                               Topic<String, ActivityEvent> erasures, Map<String, ?> extraProducerConfig,
                               Duration publishTimeout, Duration readyTimeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topicName = topic.name();
        this.erasuresTopicName = erasures == null ? null : erasures.name();
        this.publishTimeoutMs = publishTimeout.toMillis();
        this.readyTimeoutMs = readyTimeout.toMillis();
        Map<String, Object> props = new HashMap<>(extraProducerConfig);
        int timeout = (int) Math.min(Integer.MAX_VALUE, publishTimeoutMs);
        props.put(PulseProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(PulseProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        props.put(PulseProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        props.put(PulseProducerConfig.MAX_BLOCK_MS_CONFIG, publishTimeoutMs);
        props.put(PulseProducerConfig.REACHABILITY_TIMEOUT_MS_CONFIG, readyTimeoutMs);
        // Small payloads, one request each: compression only costs latency.
        props.put(PulseProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "pulse-webhooks");
        PulseProducerConfig pulseConfig = new PulseProducerConfig(props);
        this.producer = new KafkaProducer<>(pulseConfig.producerConfig(bootstrapServers),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.admin = Admin.create(pulseConfig.adminConfig(bootstrapServers));
    }

    @Override
    public void publish(List<ActivityEvent> events) throws PublishException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(publishTimeoutMs + GRACE_MS);
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (ActivityEvent event : events) {
                if (event.getType() == EventType.MEMBER_ERASED) {
                    if (erasuresTopicName == null) {
                        throw new PublishException("an erasure request needs the erasures topic, none configured",
                                null);
                    }
                    acks.addAll(ErasureRequests.send(producer, erasuresTopicName, event));
                } else {
                    acks.add(producer.send(new ProducerRecord<>(topicName, event.getCommunityId(), event)));
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new PublishException("Kafka did not acknowledge: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("Kafka did not acknowledge within " + publishTimeoutMs + " ms", e);
        } catch (KafkaException e) {
            throw new PublishException("Kafka refused the send: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka", e);
        }
    }

    @Override
    public boolean ready() {
        try {
            return !admin.describeCluster().nodes().get(readyTimeoutMs, TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(1));
    }
}
