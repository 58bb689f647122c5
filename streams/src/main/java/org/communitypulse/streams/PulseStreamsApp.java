package org.communitypulse.streams;

import io.javalin.config.JavalinConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.communitypulse.schemas.TopicPolicy;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertActionPublisher;
import org.communitypulse.streams.common.TopicPublisher;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.http.AccessTokens;
import org.communitypulse.streams.http.Dashboard;
import org.communitypulse.streams.http.HttpSettings;
import org.communitypulse.streams.http.HttpTokenFiles;
import org.communitypulse.streams.http.MicrometerPipelineObserver;
import org.communitypulse.streams.http.PulseHttpServer;
import org.communitypulse.streams.http.ReconciliationGauge;
import org.communitypulse.streams.http.StreamsMeters;
import org.communitypulse.streams.maturity.MaturityTopology;
import org.communitypulse.streams.query.StreamsViewStores;
import org.communitypulse.streams.roles.RolesTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pipeline's topologies as one Kafka Streams application: creates the topics it needs,
 * starts, and closes cleanly (with a timeout and leaving the group, so a restart does not wait for
 * a session timeout). Unless {@code http.port} is -1 it also serves /metrics, /health and /ready
 * ({@link PulseHttpServer}), the dashboard and its API ({@link Dashboard}), plus whatever
 * {@link #httpExtension} adds.
 */
public final class PulseStreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PulseStreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** How long apart the two quiet checks of {@link #awaitCaughtUp} are. */
    private static final Duration SETTLE_CHECK = Duration.ofMillis(500);
    private static final long CATCH_UP_POLL_MS = 100;

    private final PulseStreamsConfig config;
    private final SchemaRegistryClient registry;
    private final Topics topics;
    private final KafkaStreams streams;
    private final org.apache.kafka.streams.TopologyDescription description;
    private final StreamsMeters meters;
    private final List<Consumer<JavalinConfig>> httpExtensions = new ArrayList<>();
    /** The port the HTTP server binds (0 resolved to a free one up front, since it is advertised), or -1. */
    private final int httpPort;
    private final Dashboard dashboard;
    private final AlertActionPublisher alertActions;
    private final TopicPublisher<ActivityEvent> declarations;
    private final HttpSettings httpSettings;
    private final Optional<Path> generatedTokenFile;
    /** This instance's advertised HTTP address (application.server); also a Host name it answers to. */
    private final Optional<HostInfo> advertised;
    private final ReconciliationGauge reconciliationGauge;
    private volatile PulseHttpServer http;

    public PulseStreamsApp(PulseStreamsConfig config) {
        this(config, AlertGate.opened());
    }

    /** An application whose alert evaluation waits for {@code alertGate} to open (replays of backfills). */
    public PulseStreamsApp(PulseStreamsConfig config, AlertGate alertGate) {
        this.config = config;
        this.registry = config.schemaRegistryClient();
        AvroSerdes serdes = new AvroSerdes(registry, true);
        this.topics = new Topics(config.topicPrefix(), serdes);
        DeferredObserver observer = new DeferredObserver();
        PulseSettings settings = PulseSettings.from(config);
        Topology topology = PulseTopology.build(topics, serdes,
                settings.withHooks(RuntimeHooks.defaults().withObserver(observer).withGate(alertGate)));
        this.httpPort = resolveHttpPort(config);
        Properties props = config.streamsProperties(httpPort);
        this.streams = new KafkaStreams(topology, props);
        this.description = topology.describe();
        this.meters = new StreamsMeters(streams, config.applicationId());
        // The registry needs the KafkaStreams instance, which needs the topology: wire the observer last
        // (nothing is processed before start()).
        observer.target = new MicrometerPipelineObserver(meters.registry());
        this.reconciliationGauge = new ReconciliationGauge(meters.registry(),
                new StreamsViewStores(streams, topics.activity().name()));
        if (httpPort == PulseStreamsConfig.HTTP_PORT_DISABLED) {
            this.dashboard = null;
            this.alertActions = null;
            this.declarations = null;
            this.httpSettings = null;
            this.generatedTokenFile = Optional.empty();
            this.advertised = Optional.empty();
        } else {
            Optional<AccessTokens> tokens = config.httpTokens();
            Optional<Path> generated = Optional.empty();
            if (!config.httpAuthEnabled()) {
                LOG.warn("HTTP authentication is off ({}=false): the dashboard and API answer anyone who reaches {}",
                        PulseStreamsConfig.HTTP_AUTH_ENABLED_CONFIG, config.getString(PulseStreamsConfig.HTTP_HOST_CONFIG));
                tokens = Optional.empty();
            } else if (tokens.isEmpty()) {
                generated = Optional.of(generateToken(config.stateDir()));
                tokens = Optional.of(AccessTokens.of(null, readToken(generated.get())));
            }
            this.generatedTokenFile = generated;
            this.httpSettings = config.httpSettings(httpPort, tokens);
            String server = props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, "");
            this.advertised = server.isBlank() ? Optional.empty() : Optional.of(HostInfo.buildFromEndpoint(server));
            this.dashboard = new Dashboard(streams, new StreamsViewStores(streams, topics.activity().name()),
                    advertised, tokens, httpSettings.maxSseClients());
            // Bootstrap servers and the client security settings, as Streams' own producers get them.
            Map<String, Object> producerConfig = new StreamsConfig(props).getProducerConfigs(
                    config.applicationId() + "-alert-actions");
            this.alertActions = AlertActionPublisher.kafka(topics.alertActions(), producerConfig, Duration.ofSeconds(10));
            dashboard.alertActions(alertActions, java.time.Clock.systemUTC());
            this.declarations = TopicPublisher.kafka(topics.activity(), new StreamsConfig(props).getProducerConfigs(
                    config.applicationId() + "-declarations"), Duration.ofSeconds(10));
            dashboard.declarations(declarations, java.time.Clock.systemUTC());
            httpExtensions.add(dashboard);
        }
    }

    private static Path generateToken(Path stateDir) {
        try {
            Path file = HttpTokenFiles.generatedAdminToken(stateDir);
            // The place, never the token: logs are read by more people than the token is meant for.
            LOG.info("No HTTP token configured: the dashboard's admin token is in {}", file.toAbsolutePath());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the generated HTTP token under " + stateDir, e);
        }
    }

    private static String readToken(Path file) {
        try {
            return HttpTokenFiles.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Forwards to the Micrometer observer once the meter registry exists. */
    private static final class DeferredObserver implements PipelineObserver {
        private volatile PipelineObserver target = PipelineObserver.NONE;

        @Override
        public void accepted(org.communitypulse.schemas.avro.EventType type,
                             org.communitypulse.schemas.avro.SourcePlatform source) {
            target.accepted(type, source);
        }

        @Override
        public void emitted(long millis) {
            target.emitted(millis);
        }

        @Override
        public void intake(IntakeOutcome outcome, org.communitypulse.streams.intake.RejectReason reason) {
            target.intake(outcome, reason);
        }
    }

    /**
     * Port 0 becomes a free port now rather than at bind time: other instances must be told the port
     * ({@code application.server}) before Kafka Streams starts. The port could be taken in between;
     * binding then fails loudly.
     */
    private static int resolveHttpPort(PulseStreamsConfig config) {
        int port = config.httpPort().orElse(PulseStreamsConfig.HTTP_PORT_DISABLED);
        if (port != 0 || config.httpAdvertisedHost().isEmpty()) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free HTTP port", e);
        }
    }

    public Topics topics() {
        return topics;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Every state store of the topology (e.g. to check that an erasure left nothing in any of them). */
    public java.util.SortedSet<String> stateStoreNames() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        description.subtopologies().forEach(s -> s.nodes().forEach(n -> {
            if (n instanceof org.apache.kafka.streams.TopologyDescription.Processor p) {
                names.addAll(p.stores());
            }
        }));
        description.globalStores().forEach(g -> names.addAll(g.processor().stores()));
        return names;
    }

    /** Where this instance's meters live (scraped at /metrics); add application meters here. */
    public PrometheusMeterRegistry meterRegistry() {
        return meters.registry();
    }

    /** Adds routes (or other Javalin configuration) to the HTTP server; call before {@link #start()}. */
    public PulseStreamsApp httpExtension(Consumer<JavalinConfig> extension) {
        if (http != null) {
            throw new IllegalStateException("HTTP server already started: add extensions before start()");
        }
        httpExtensions.add(extension);
        return this;
    }

    /** The port the HTTP server listens on; empty before {@link #start()} or when {@code http.port} is -1. */
    public OptionalInt httpPort() {
        PulseHttpServer server = http;
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
    }

    /**
     * The file holding the admin token generated because none was configured (empty when tokens are configured,
     * authentication is off or there is no HTTP server).
     */
    public Optional<Path> generatedTokenFile() {
        return generatedTokenFile;
    }

    /** Creates the pipeline topics if missing, then starts processing. */
    public void start() {
        createTopics(config.adminClientProperties(), config.bootstrapServers(), topics.names(),
                config.topicPartitions(), java.util.Set.copyOf(topics.metricNames()), config.topicPolicy());
        matchErasurePartitions(config.adminClientProperties(), config.bootstrapServers(), topics);
        checkAlertActionPartitions(config.adminClientProperties(), config.bootstrapServers(), topics);
        // Before Streams, so that /ready answers 503 (not "connection refused") while partitions are assigned.
        if (httpPort != PulseStreamsConfig.HTTP_PORT_DISABLED) {
            PulseHttpServer.Builder builder = PulseHttpServer.builder(meters.registry(), streams::state)
                    .ownNames(advertised.map(h -> java.util.Set.of(h.host())).orElse(java.util.Set.of()));
            httpExtensions.forEach(builder::extension);
            http = builder.start(httpSettings);
            LOG.info("HTTP server on {} port {}: dashboard /, {}, {}, {}, {}", httpSettings.host(), http.port(),
                    Dashboard.COMMUNITIES_PATH,
                    PulseHttpServer.METRICS_PATH, PulseHttpServer.HEALTH_PATH, PulseHttpServer.READY_PATH);
        }
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
    }

    /** Blocks until every stream thread is RUNNING, or throws after {@code timeout}. */
    public void awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Kafka Streams not running after " + timeout + " (state " + streams.state() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /**
     * Work this instance has still to emit: communities whose engagement periods or maturity weeks wait for the next
     * emission. A replay waits for 0 (with every input committed) before it reads the outputs, since records are
     * emitted by a wall-clock punctuator, not as each event is processed.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while a store is not queryable
     *         (rebalancing, restoring): ask again
     */
    public long pending() {
        return pending(false);
    }

    /**
     * As {@link #pending()}; with {@code alertsDue}, communities whose alerts (engagement, roles, health) are not
     * judged up to their latest day count too: a replay asks so after opening its {@link AlertGate}.
     */
    public long pending(boolean alertsDue) {
        // The maturity family scores a community after its engagement records are out: both count.
        return EngagementTopology.pendingCommunities(streams, alertsDue)
                + (alertsDue ? RolesTopology.pendingAlerts(streams) + MaturityTopology.pendingAlerts(streams) : 0)
                + MaturityTopology.pendingCommunities(streams);
    }

    /**
     * Blocks until every input record is processed and the metric records of everything processed are emitted and
     * committed, or throws after {@code timeout}. Reads the progress with an admin client of its own.
     */
    public void awaitCaughtUp(Duration timeout) throws TimeoutException, InterruptedException {
        try (Admin admin = Admin.create(adminConfig(config.adminClientProperties(), config.bootstrapServers()))) {
            awaitCaughtUp(new StreamsCatchUp(admin, config.applicationId(), topics.activity().name()), timeout, false);
        }
    }

    /**
     * As {@link #awaitCaughtUp(Duration)} with the caller's {@code catchUp}; with {@code alertsDue}, also until every
     * community's alerts are judged up to its latest day. "Every input committed" is not enough: no community may
     * have periods waiting ({@link #pending(boolean)}), and no metric topic partition may have an open transaction,
     * twice in a row {@link #SETTLE_CHECK} apart (the second check covers records still in the producer's buffer
     * during the first).
     */
    public void awaitCaughtUp(StreamsCatchUp catchUp, Duration timeout, boolean alertsDue)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> outputs = topics.metricTopics().stream().map(org.communitypulse.schemas.Topic::name).toList();
        int quietChecks = 0;
        long pending = -1;
        while (quietChecks < 2) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Kafka Streams did not emit its last metric records within "
                        + timeout.toSeconds() + " s (" + pending + " communities pending)");
            }
            try {
                pending = pending(alertsDue);
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                // Rebalancing or restoring: the store answers again in a moment.
                pending = -1;
            }
            boolean quiet = pending == 0 && catchUp.progress().done() && catchUp.noOpenTransactions(outputs);
            quietChecks = quiet ? quietChecks + 1 : 0;
            TimeUnit.MILLISECONDS.sleep(quiet ? SETTLE_CHECK.toMillis() : CATCH_UP_POLL_MS);
        }
    }

    /** Creates {@code names} with {@code partitions} partitions where they do not exist yet. */
    public static void createTopics(String bootstrapServers, List<String> names, int partitions) {
        createTopics(bootstrapServers, names, partitions, java.util.Set.of());
    }

    /** As below, with the default {@link TopicPolicy} (compacted values gone within 7 days, the rest 30 days). */
    public static void createTopics(String bootstrapServers, List<String> names, int partitions,
                                    java.util.Set<String> compacted) {
        createTopics(Map.of(), bootstrapServers, names, partitions, compacted, TopicPolicy.defaults());
    }

    /** As above with {@code clientProperties} (e.g. security settings) for the admin client. */
    public static void createTopics(Map<String, Object> clientProperties, String bootstrapServers, List<String> names,
                                    int partitions, java.util.Set<String> compacted) {
        createTopics(clientProperties, bootstrapServers, names, partitions, compacted, TopicPolicy.defaults());
    }

    /**
     * As {@link #createTopics(String, List, int)}; those in {@code compacted} get {@code cleanup.policy=compact}:
     * they hold the latest value per key, and a tombstone (an erased member) must remove the older values. Every
     * topic gets {@code policy}'s bounds (see {@link TopicPolicy}), and topics that exist already are re-aligned to
     * them: an erasure is complete only once its values are physically gone, which these settings bound.
     */
    public static void createTopics(Map<String, Object> clientProperties, String bootstrapServers, List<String> names,
                                    int partitions, java.util.Set<String> compacted, TopicPolicy policy) {
        try (Admin admin = Admin.create(adminConfig(clientProperties, bootstrapServers))) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String name : names) {
                // Replication -1: the broker's default, 1 on a laptop, 3 in production clusters.
                NewTopic topic = new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.empty());
                topic.configs(policy.configFor(name, compacted));
                wanted.add(topic);
            }
            List<String> existing = new ArrayList<>();
            admin.createTopics(wanted).values().forEach((name, future) -> {
                try {
                    future.get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                    existing.add(name);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted creating topic " + name, e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka at " + bootstrapServers + " did not create topic " + name
                            + " within 20 s", e);
                }
            });
            alignConfigs(admin, existing, compacted, policy);
            awaitLeaders(admin, names);
        }
    }

    /**
     * An erasure request reaches a task only through its partition of the erasures topic (one copy per partition):
     * with fewer partitions than the activity topic (created by hand, or the activity topic grown later), some
     * tasks would never forget anyone. Adds the missing partitions (the topic's keys mean nothing, so this moves
     * nothing), or refuses to start when that is impossible.
     */
    static void matchErasurePartitions(Map<String, Object> clientProperties, String bootstrapServers, Topics topics) {
        String activity = topics.activity().name();
        String erasures = topics.erasures().name();
        try (Admin admin = Admin.create(adminConfig(clientProperties, bootstrapServers))) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(activity, erasures))
                    .allTopicNames().get(20, TimeUnit.SECONDS);
            int wanted = described.get(activity).partitions().size();
            int have = described.get(erasures).partitions().size();
            if (have < wanted) {
                LOG.warn("{} has {} partitions, {} has {}: adding partitions so every task receives erasure requests",
                        erasures, have, activity, wanted);
                admin.createPartitions(Map.of(erasures, org.apache.kafka.clients.admin.NewPartitions.increaseTo(wanted)))
                        .all().get(20, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot give " + erasures + " the partitions of " + activity
                    + " (erasure requests would miss some tasks): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted checking the partitions of " + erasures, e);
        }
    }

    /**
     * Alert actions are applied by the task holding the same partition number of the activity topic (both keyed
     * by community id): with another partition count a community's actions would reach a task that does not hold
     * its alerts. Adds missing partitions (the topic was created with fewer, e.g. after the activity topic grew);
     * refuses to start with more, which cannot be undone.
     */
    static void checkAlertActionPartitions(Map<String, Object> clientProperties, String bootstrapServers,
                                           Topics topics) {
        String activity = topics.activity().name();
        String actions = topics.alertActions().name();
        int wanted;
        int have;
        try (Admin admin = Admin.create(adminConfig(clientProperties, bootstrapServers))) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(activity, actions))
                    .allTopicNames().get(20, TimeUnit.SECONDS);
            wanted = described.get(activity).partitions().size();
            have = described.get(actions).partitions().size();
            if (have < wanted) {
                LOG.warn("{} has {} partitions, {} has {}: adding partitions so each community's alert actions reach "
                        + "the task holding its alerts", actions, have, activity, wanted);
                admin.createPartitions(Map.of(actions, org.apache.kafka.clients.admin.NewPartitions.increaseTo(wanted)))
                        .all().get(20, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot compare the partitions of " + actions + " and " + activity
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted checking the partitions of " + actions, e);
        }
        if (have > wanted) {
            throw new IllegalStateException(actions + " has " + have + " partitions but " + activity + " has " + wanted
                    + ": recreate " + actions + " with " + wanted + " partitions (docs/alerts.md#acknowledge-and-snooze)");
        }
    }

    private static Map<String, Object> adminConfig(Map<String, Object> clientProperties, String bootstrapServers) {
        Map<String, Object> adminConfig = new HashMap<>(clientProperties);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return adminConfig;
    }

    /** Sets {@code policy}'s bounds on topics created earlier (by an older version, or by hand). */
    private static void alignConfigs(Admin admin, List<String> names, java.util.Set<String> compacted,
                                     TopicPolicy policy) {
        if (names.isEmpty()) {
            return;
        }
        Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>>
                ops = new HashMap<>();
        for (String name : names) {
            ops.put(new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, name),
                    policy.configFor(name, compacted).entrySet().stream()
                            .map(e -> new org.apache.kafka.clients.admin.AlterConfigOp(
                                    new org.apache.kafka.clients.admin.ConfigEntry(e.getKey(), e.getValue()),
                                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))
                            .toList());
        }
        try {
            admin.incrementalAlterConfigs(ops).all().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Not allowed to alter (ACLs), say: the topics work, only the erasure bound is not ours to promise.
            LOG.warn("Could not set retention/compaction bounds on existing topics {}: {}", names,
                    e.getCause().getMessage());
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not confirm retention/compaction bounds on existing topics {} within 20 s", names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits (up to 10 s) until every partition of {@code names} has a leader that serves it. A producer that
     * starts the moment a topic exists gets NOT_LEADER_OR_FOLLOWER for its first batches; an idempotent one
     * retrying them was seen to end in an out-of-order-sequence error and a send that never completed. A leader
     * in the metadata is not enough (the broker may not have loaded the partition yet): a list-offsets request,
     * which the leader answers from the partition itself, is. Returns quietly on timeout: producers still retry.
     */
    private static void awaitLeaders(Admin admin, List<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < deadline) {
                boolean ready;
                try {
                    Map<String, TopicDescription> described =
                            admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
                    ready = described.values().stream().flatMap(d -> d.partitions().stream())
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                    if (ready) {
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        described.values().forEach(d -> d.partitions().forEach(p -> latest.put(
                                new TopicPartition(d.name(), p.partition()),
                                OffsetSpec.latest())));
                        admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // Metadata not there yet (e.g. UNKNOWN_TOPIC_OR_PARTITION just after creation): ask again.
                    ready = false;
                }
                if (ready) {
                    return;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    /**
     * Closes within about {@code timeout} for Streams (committing and leaving the group), then the HTTP server
     * and meters. A caller with a deadline of its own (a container's stop grace period) passes a shorter one.
     */
    public void close(Duration timeout) {
        // Before Streams closes its stores: see StreamsMeters#stopKafkaMetrics.
        meters.stopKafkaMetrics();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
        reconciliationGauge.close();
        if (dashboard != null) {
            dashboard.close();
        }
        if (declarations != null) {
            declarations.close();
        }
        if (alertActions != null) {
            alertActions.close();
        }
        PulseHttpServer server = http;
        if (server != null) {
            server.close();
        }
        meters.close();
        registry.close();
    }
}
