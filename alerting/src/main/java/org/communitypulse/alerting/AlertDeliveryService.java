package org.communitypulse.alerting;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.alerting.internals.Backoff;
import org.communitypulse.alerting.internals.DeadLetters;
import org.communitypulse.alerting.internals.DeliveryMetrics;
import org.communitypulse.alerting.internals.FiringStateTracker;
import org.communitypulse.alerting.internals.ReceiverWorker;
import org.communitypulse.alerting.internals.RoleTable;
import org.communitypulse.alerting.internals.RouterWorker;
import org.communitypulse.alerting.internals.StatusServer;
import org.communitypulse.alerting.internals.WebhookSender;
import org.communitypulse.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alert lifecycle topic ({@link Topics#alerts()}) to webhooks: Slack incoming webhooks and a
 * generic JSON form (see docs/alerts.md, "Delivery").
 *
 * <p>Each receiver has its own consumer group ({@code <group.id.prefix><name>}) and thread: its committed
 * offset is its delivery position, so a receiver that is down blocks its own queue and no other. Records are
 * read {@code read_committed} and delivered one at a time, in order per partition (alerts of one community and
 * condition share a partition); transient failures (408, 429, 5xx, timeouts, connection errors) are retried
 * with exponential backoff and jitter without limit, other 4xx go to the dead-letter topic
 * ({@code <prefix>alerts.dlq}). The offset is committed synchronously after each delivery and each request
 * carries {@code X-Pulse-Delivery-Id: <alertId>/<state>}: after a restart nothing acknowledged and committed
 * is sent again; a crash between a 2xx and its commit sends that one alert again with the same id.
 *
 * <p>With owner routing ({@link OwnerRouting}, docs/alerts.md "Routing to owners") a {@link RouterWorker} decides
 * once per alert which receivers get it, from the role holders read off {@code members.roles}, and writes the
 * alert with that decision to {@code <prefix>alerts.routed} in the same transaction as its consumed offsets; the
 * routed receivers read that topic instead and deliver only what names them.
 *
 * <p>Also serves {@code GET /metrics} (Prometheus), {@code /health} and {@code /ready}, including the gauge
 * {@code pulse_alerts_firing{community,condition}}.
 */
public final class AlertDeliveryService implements AutoCloseable {

    /** Suffix of the dead-letter topic after the topic prefix. */
    public static final String DEAD_LETTER_SUFFIX = "alerts.dlq";
    /** Suffix of the routed topic (alerts with their owner routing) after the topic prefix. */
    public static final String ROUTED_SUFFIX = "alerts.routed";

    private static final Logger LOG = LoggerFactory.getLogger(AlertDeliveryService.class);
    /** Small batches: each record is a blocking HTTP call followed by a synchronous commit anyway. */
    private static final int MAX_POLL_RECORDS = 50;
    /** How long start() waits for the dead-letter topic to be created. */
    private static final int TOPIC_TIMEOUT_MS = 15_000;

    private final AlertDeliveryConfig config;
    private final Topics topics;
    private final Map<String, Object> clientConfig;
    private final List<Receiver> receivers;
    private final DeliveryMetrics metrics = new DeliveryMetrics();
    private final List<ReceiverWorker> workers = new ArrayList<>();
    private final Optional<OwnerRouting> routing;
    private RouterWorker router;
    private FiringStateTracker tracker;
    private KafkaProducer<byte[], byte[]> producer;
    private StatusServer http;
    private boolean started;
    private boolean closed;

    /**
     * @param config       delivery settings
     * @param environment  where {@code env:} receiver locations are looked up (normally {@code System.getenv()})
     * @param topics       the pipeline's topics (prefix and serdes)
     * @param clientConfig Kafka client settings, at least {@code bootstrap.servers}; passed to every client
     */
    public AlertDeliveryService(AlertDeliveryConfig config, Map<String, String> environment, Topics topics,
                                Map<String, ?> clientConfig) {
        this.config = Objects.requireNonNull(config, "config");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.clientConfig = new HashMap<>(clientConfig);
        if (!this.clientConfig.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("clientConfig needs " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        }
        this.receivers = config.receivers(environment);
        this.routing = config.routing(receivers);
    }

    /** The routed topic of {@code topics}: {@code <prefix>alerts.routed}. */
    public static String routedTopic(Topics topics) {
        return topics.prefix() + ROUTED_SUFFIX;
    }

    /** The owner routing, when configured. */
    public Optional<OwnerRouting> routing() {
        return routing;
    }

    /** The dead-letter topic of {@code topics}: {@code <prefix>alerts.dlq}. */
    public static String deadLetterTopic(Topics topics) {
        return topics.prefix() + DEAD_LETTER_SUFFIX;
    }

    /** Creates the dead-letter topic if needed, starts one consumer thread per receiver, the gauge and HTTP. */
    public synchronized AlertDeliveryService start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        String alerts = topics.alerts().name();
        createTopics();
        producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        DeadLetters deadLetters = new DeadLetters(producer, deadLetterTopic(topics), Duration.ofSeconds(30));
        WebhookSender sender = new WebhookSender(config.connectTimeout(), config.requestTimeout());
        Backoff backoff = new Backoff(config.backoffInitial(), config.backoffMax(), config.backoffMultiplier(),
                config.backoffJitter(), () -> ThreadLocalRandom.current().nextDouble());
        java.util.Set<String> routed = routing.map(OwnerRouting::routedReceivers).orElse(java.util.Set.of());
        if (routing.isPresent()) {
            startRouter(alerts);
        }
        for (Receiver receiver : receivers) {
            metrics.receiver(receiver.name());
            boolean isRouted = routed.contains(receiver.name());
            ReceiverWorker worker = new ReceiverWorker(receiver, new KafkaConsumer<>(consumerConfig(receiver),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()), isRouted ? routedTopic(topics) : alerts,
                    topics.alerts().valueSerde().deserializer(), sender, backoff, deadLetters, metrics, isRouted);
            workers.add(worker);
            new Thread(worker, "pulse-alerts-" + receiver.name()).start();
        }
        tracker = new FiringStateTracker(new KafkaConsumer<>(readerConfig("firing-gauge"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), alerts, topics.alerts().valueSerde().deserializer(), metrics);
        new Thread(tracker, "pulse-alerts-firing-gauge").start();
        if (config.httpPort() >= 0) {
            startHttp();
        }
        if (receivers.isEmpty()) {
            LOG.warn("No alert receivers configured ({}): only the firing gauge is served",
                    AlertDeliveryConfig.RECEIVERS_CONFIG);
        }
        LOG.info("Delivering {} to {}; permanent failures to {}", alerts, receivers, deadLetterTopic(topics));
        return this;
    }

    private void startRouter(String alerts) {
        OwnerRouting owners = routing.orElseThrow();
        RoleTable table = new RoleTable(new KafkaConsumer<>(readerConfig("roles"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), topics.memberRoles().name(), topics.memberRoles().keySerde().deserializer(),
                topics.memberRoles().valueSerde().deserializer(), metrics);
        router = new RouterWorker(new KafkaConsumer<>(routerConsumerConfig(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), new KafkaProducer<>(routerProducerConfig(), new ByteArraySerializer(),
                new ByteArraySerializer()), alerts, routedTopic(topics), topics.alerts().valueSerde().deserializer(),
                owners, table, metrics);
        new Thread(router, "pulse-alerts-router").start();
        LOG.info("Routing alerts to owners by {} (default receiver {}), via {}", owners.roles(),
                owners.defaultReceiver(), routedTopic(topics));
    }

    private void createTopics() {
        Admin admin = Admin.create(clientConfig);
        try {
            // Broker defaults for partitions and replicas: dead letters are few and read by people.
            create(admin, new NewTopic(deadLetterTopic(topics), Optional.empty(), Optional.empty()),
                    "dead letters rely on the broker creating it");
            if (routing.isPresent()) {
                // As many partitions as the alerts topic: a routed record keeps its partition, hence its order.
                int partitions = admin.describeTopics(List.of(topics.alerts().name())).allTopicNames()
                        .get(TOPIC_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topics.alerts().name()).partitions().size();
                create(admin, new NewTopic(routedTopic(topics), Optional.of(partitions), Optional.empty()),
                        "routing relies on the broker creating it");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topics.alerts().name() + " (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Without a bound, close waits for the abandoned call's own (longer) timeout.
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static void create(Admin admin, NewTopic topic, String fallback) throws InterruptedException {
        try {
            admin.createTopics(List.of(topic), new CreateTopicsOptions().timeoutMs(TOPIC_TIMEOUT_MS)).all()
                    .get(TOPIC_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("Could not create {} ({}); {}", topic.name(), e.getCause().toString(), fallback);
            }
        } catch (TimeoutException e) {
            LOG.warn("Could not create {} in time; {}", topic.name(), fallback);
        }
    }

    private String prefixed(String suffix) {
        return config.groupIdPrefix() + suffix;
    }

    private Map<String, Object> routerConsumerConfig() {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, prefixed("router"));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, prefixed("router"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.startFrom());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }

    private Map<String, Object> routerProducerConfig() {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, prefixed("router"));
        // Stable: a restarted router fences its predecessor and aborts its open transaction at once.
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefixed("router"));
        return props;
    }

    /** A consumer without a group (it assigns itself partitions and reads them whole), committed records only. */
    private Map<String, Object> readerConfig(String client) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, prefixed(client));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }

    private Map<String, Object> consumerConfig(Receiver receiver) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId(receiver));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId(receiver));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.startFrom());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return props;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, prefixed("dlq"));
        return props;
    }

    private void startHttp() {
        http = new StatusServer(config.httpHost(), config.httpPort(), config.httpIdleTimeoutMs(),
                () -> metrics.registry().scrape(), () -> failure().isEmpty(), "a receiver's delivery loop failed")
                .start();
    }

    /** The port of /metrics (useful with port 0). */
    public synchronized int port() {
        if (http == null) {
            throw new IllegalStateException("HTTP not started");
        }
        return http.port();
    }

    public List<Receiver> receivers() {
        return receivers;
    }

    /** The meters behind GET /metrics. */
    public PrometheusMeterRegistry meterRegistry() {
        return metrics.registry();
    }

    DeliveryMetrics metrics() {
        return metrics;
    }

    /** The error that ended a receiver's loop, if one did (the service is then unhealthy: restart it). */
    public Optional<Throwable> failure() {
        for (ReceiverWorker worker : workers) {
            if (worker.failure() != null) {
                return Optional.of(worker.failure());
            }
        }
        return router == null ? Optional.empty() : Optional.ofNullable(router.failure());
    }

    /**
     * Stops gracefully: each receiver finishes (and commits) the request in flight, if any, and starts no other;
     * an alert still being retried is abandoned uncommitted and sent first after a restart.
     */
    @Override
    public void close() {
        shutDown(false);
    }

    /**
     * Simulates a crash for tests: the receivers stop without committing an acknowledged delivery, as if the
     * process died between the receiver's 2xx and the commit (the consumers are still closed, leaving the group).
     */
    void crash() {
        beginCrash();
        shutDown(true);
    }

    /**
     * The non-blocking half of {@link #crash()}: from now on no acknowledged delivery is committed. A test
     * receiver calls it just before answering 2xx, to hit the window between acknowledgement and commit.
     */
    void beginCrash() {
        workers.forEach(ReceiverWorker::crash);
    }

    private synchronized void shutDown(boolean crash) {
        if (closed) {
            return;
        }
        closed = true;
        workers.forEach(crash ? ReceiverWorker::crash : ReceiverWorker::stop);
        if (router != null) {
            router.stop();
        }
        if (tracker != null) {
            tracker.stop();
        }
        Duration grace = config.requestTimeout().plusSeconds(10);
        try {
            for (ReceiverWorker worker : workers) {
                if (!worker.awaitFinished(grace)) {
                    LOG.warn("Delivery to {} did not stop within {}", worker.receiver(), grace);
                }
            }
            if (tracker != null) {
                tracker.awaitFinished(grace);
            }
            if (router != null && !router.awaitFinished(grace)) {
                LOG.warn("Alert routing did not stop within {}", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (http != null) {
            http.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        metrics.close();
    }
}
