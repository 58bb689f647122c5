package org.communitypulse.ingest.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.communitypulse.ingest.PulseProducerConfig;
import org.communitypulse.ingest.webhook.DeliveryLedger;
import org.communitypulse.ingest.webhook.DeliveryReplayGuard;
import org.communitypulse.schemas.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery ledger shared by every receiver instance through a Kafka topic ({@code <prefix>webhooks.deliveries},
 * key = replay key, value = {@code claimed|accepted|released <claim id>}, record time = when), so a replay is
 * recognised by any instance and after a restart.
 *
 * <p>Each instance reads the topic from {@code now - ttl} into a {@link DeliveryReplayGuard} and keeps following
 * it. A claim is written first ({@code acks=all}) and decided only once this instance has read the topic up to
 * that record: the first live claim of a key in the log owns it, so two instances that receive the same delivery
 * at the same moment agree on one owner. Keys already accepted are answered from memory without a write. The topic
 * is created on first use (one partition, {@code cleanup.policy=delete}, {@code retention.ms} = the ttl) unless it
 * exists. Until the ledger is read up to where it ended at start-up, and whenever Kafka cannot be written or read
 * in time, {@link #claim} throws {@link DeliveryLedger.LedgerUnavailableException} (the receiver answers 503).
 */
public final class KafkaDeliveryLedger implements DeliveryLedger {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliveryLedger.class);
    private static final String CLAIMED = "claimed";
    private static final String ACCEPTED = "accepted";
    private static final String RELEASED = "released";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String topic;
    private final DeliveryReplayGuard state;
    private final Duration timeout;
    private final Clock clock;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Admin admin;
    private final Thread reader;
    private final Object progress = new Object();
    /** Next offset to read per partition; guarded by {@link #progress}. */
    private final Map<Integer, Long> positions = new HashMap<>();
    /** Guarded by {@link #progress}. */
    private boolean caughtUp;
    private volatile boolean closed;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the ledger topic ({@code Topics.webhookDeliveries()})
     * @param clientConfig     pass-through client properties (e.g. security settings)
     * @param state            the state the topic is read into (its ttl is the horizon)
     * @param timeout          longest wait for a write or for reading up to it
     * @param clock            time of the records this instance writes
     */
    public KafkaDeliveryLedger(String bootstrapServers, Topic<String, String> topic, Map<String, ?> clientConfig,
                               DeliveryReplayGuard state, Duration timeout, Clock clock) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topic = topic.name();
        this.state = Objects.requireNonNull(state, "state");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, Object> props = new HashMap<>(clientConfig);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put(PulseProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(PulseProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(PulseProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(PulseProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        props.put(PulseProducerConfig.REACHABILITY_TIMEOUT_MS_CONFIG, timeout.toMillis());
        props.put(PulseProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-webhooks-ledger-" + UUID.randomUUID());
        PulseProducerConfig pulseConfig = new PulseProducerConfig(props);
        this.producer = new KafkaProducer<>(pulseConfig.producerConfig(bootstrapServers),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
        Map<String, Object> common = pulseConfig.adminConfig(bootstrapServers);
        this.admin = Admin.create(common);
        Map<String, Object> consumerProps = new HashMap<>(common);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumer = new KafkaConsumer<>(consumerProps, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        this.reader = new Thread(this::read, "pulse-webhooks-ledger");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public Ticket claim(String key, Instant now) {
        DeliveryReplayGuard.requireKey(key);
        awaitCaughtUp();
        Claim known = state.known(key, now);
        if (known != null) {
            return new Ticket(key, null, known);
        }
        String claimId = UUID.randomUUID().toString();
        RecordMetadata written = write(key, CLAIMED, claimId, now);
        awaitRead(written.partition(), written.offset());
        return new Ticket(key, claimId, state.decide(key, claimId));
    }

    @Override
    public void accepted(Ticket ticket, Instant now) {
        try {
            write(ticket.key(), ACCEPTED, ticket.claimId(), now);
            // Applied here too, not only when the reader gets to it: the platform's next copy, sent right after
            // our answer, must find the delivery accepted (a duplicate), not still claimed (in progress).
            state.accepted(ticket.key(), ticket.claimId(), now);
        } catch (LedgerUnavailableException e) {
            // The events are stored; a copy arriving later waits for the lease, then republishes the same
            // event ids, which the pipeline's intake drops.
            LOG.warn("Could not record an accepted delivery in {}: {}", topic, e.getMessage());
        }
    }

    @Override
    public void release(Ticket ticket, Instant now) {
        try {
            write(ticket.key(), RELEASED, ticket.claimId(), now);
            state.released(ticket.key(), ticket.claimId());
        } catch (LedgerUnavailableException e) {
            LOG.warn("Could not release a delivery in {} (the claim lapses after its lease): {}", topic,
                    e.getMessage());
        }
    }

    /** Whether the topic was read up to where it ended at start-up. */
    public boolean caughtUp() {
        synchronized (progress) {
            return caughtUp;
        }
    }

    private RecordMetadata write(String key, String fact, String claimId, Instant at) {
        try {
            return producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, fact + " " + claimId))
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new LedgerUnavailableException("Kafka did not acknowledge the ledger record: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw new LedgerUnavailableException("Kafka did not acknowledge the ledger record: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while writing the ledger", e);
        }
    }

    private void awaitCaughtUp() {
        awaitProgress(() -> caughtUp, "the delivery ledger is not read up to date yet");
    }

    private void awaitRead(int partition, long offset) {
        awaitProgress(() -> positions.getOrDefault(partition, -1L) > offset,
                "the delivery ledger was not read back in time");
    }

    private void awaitProgress(java.util.function.BooleanSupplier done, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new LedgerUnavailableException(failure, null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LedgerUnavailableException("interrupted while reading the ledger", e);
                }
            }
        }
    }

    private void read() {
        Map<TopicPartition, Long> startEnds = null;
        while (!closed) {
            try {
                if (startEnds == null) {
                    startEnds = assign();
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    apply(record);
                }
                synchronized (progress) {
                    boolean all = true;
                    for (TopicPartition partition : consumer.assignment()) {
                        long position = consumer.position(partition);
                        positions.put(partition.partition(), position);
                        all &= position >= startEnds.getOrDefault(partition, 0L);
                    }
                    caughtUp |= all;
                    progress.notifyAll();
                }
            } catch (WakeupException e) {
                return;
            } catch (KafkaException e) {
                if (closed) {
                    return;
                }
                LOG.warn("Reading the delivery ledger {} failed, retrying: {}", topic, e.toString());
                pause();
            } catch (RuntimeException e) {
                LOG.error("Reading the delivery ledger {} failed, retrying", topic, e);
                pause();
            }
        }
    }

    /** Creates the topic when missing, assigns every partition from {@code now - ttl}; returns their end offsets. */
    private Map<TopicPartition, Long> assign() {
        createTopicIfMissing();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("no partitions for " + topic + " yet");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        long from = clock.instant().minus(state.ttl()).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            consumer.seek(partition, offset != null ? offset.offset() : ends.get(partition));
        }
        return ends;
    }

    private void createTopicIfMissing() {
        NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(state.ttl().toMillis())));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("could not create " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new KafkaException("could not create " + topic + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        String value = record.value();
        int space = value == null ? -1 : value.indexOf(' ');
        if (record.key() == null || space < 0) {
            return;
        }
        String fact = value.substring(0, space);
        String claimId = value.substring(space + 1);
        Instant at = Instant.ofEpochMilli(record.timestamp());
        switch (fact) {
            case CLAIMED -> state.claimed(record.key(), claimId, at);
            case ACCEPTED -> state.accepted(record.key(), claimId, at);
            case RELEASED -> state.released(record.key(), claimId);
            default -> LOG.debug("Ignoring an unknown ledger fact in {}", topic);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            reader.join(timeout.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (progress) {
            progress.notifyAll();
        }
        consumer.close(Duration.ofSeconds(1));
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(1));
    }
}
