package org.communitypulse.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.communitypulse.embedded.internals.ThreadFilteringPrintStream;
import org.communitypulse.embedded.internals.TopicAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka cluster (combined broker + controller) running inside this JVM.
 *
 * <p>This is the only class that touches Kafka's internal test kit ({@code KafkaClusterTestKit}),
 * which has no compatibility promise: if a Kafka upgrade breaks it, this is the one place to fix.
 *
 * <p>Without a data directory the cluster lives in a temporary directory deleted on close. With one
 * ({@link #start(Path)}), logs and metadata are kept, and a later start on the same directory
 * continues with the same cluster id, topics, offsets and records.
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /** Written once the directory is formatted; holds the cluster id a restart must reuse. */
    private static final String STATE_FILE = "pulse-cluster.properties";
    private static final String CLUSTER_ID_KEY = "cluster.id";
    /** Name prefix of the test kit's worker threads (see KafkaClusterTestKit). */
    private static final String KIT_THREAD_PREFIX = "kafka-cluster-test-kit-";
    private static final String BROKER_LISTENER = "EXTERNAL";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String FIXED_PORT_LISTENER = "PULSE";

    private final KafkaClusterTestKit kit;
    private final Path dataDir;
    private final boolean persistent;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::stop, "pulse-kafka-stop");
    private final boolean stopOnJvmExit;

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit, Path dataDir, boolean persistent, int fixedPort,
                                 boolean stopOnJvmExit) {
        this.kit = kit;
        this.dataDir = dataDir;
        this.persistent = persistent;
        this.bootstrapServers = fixedPort > 0 ? "localhost:" + fixedPort : kit.bootstrapServers();
        this.stopOnJvmExit = stopOnJvmExit;
        if (stopOnJvmExit) {
            // A JVM ended with Ctrl-C should still flush and unlock its data directory.
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts a throw-away cluster on a free port; its data is deleted on {@link #close()}. */
    public static EmbeddedKafkaCluster start() {
        return builder().start();
    }

    /** Starts a cluster whose data lives in {@code dataDir} and survives restarts. */
    public static EmbeddedKafkaCluster start(Path dataDir) {
        return builder().dataDir(dataDir).start();
    }

    /** Options beyond the two {@code start} shortcuts: fixed port, extra broker properties. */
    public static Builder builder() {
        return new Builder();
    }

    /** The data directory when the cluster was started with one. */
    public Optional<Path> dataDir() {
        return persistent ? Optional.of(dataDir) : Optional.empty();
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopics(int partitions, String... names) {
        TopicAdmin.createTopics(bootstrapServers, partitions, names);
    }

    @Override
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    @Override
    public void close() {
        stop();
        if (!stopOnJvmExit) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            kit.close();
        } catch (Exception e) {
            LOG.warn("Embedded Kafka did not stop cleanly", e);
        }
    }

    /** Builder for {@link EmbeddedKafkaCluster}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private boolean stopOnJvmExit = true;
        private final Map<String, Object> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Whether the cluster stops itself in a JVM shutdown hook (default true). Turn it off when the
         * caller closes it from its own hook: hooks run concurrently, so a broker stopping on its own
         * races the clients still closing against it (a Streams close then waits out its timeout).
         */
        public Builder stopOnJvmExit(boolean stop) {
            this.stopOnJvmExit = stop;
            return this;
        }

        /** Keep data in this directory (created if missing) across restarts. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Listen for clients on this port instead of a free one; 0 means any free port. */
        public Builder port(int clientPort) {
            if (clientPort < 0 || clientPort > 65_535) {
                throw new IllegalArgumentException("port out of range: " + clientPort);
            }
            this.port = clientPort;
            return this;
        }

        /** Sets or overrides one broker property. */
        public Builder brokerProperty(String key, Object value) {
            brokerProperties.put(key, value);
            return this;
        }

        /** Formats (first time only) and starts the cluster, waiting until the broker is ready. */
        public EmbeddedKafkaCluster start() {
            long started = System.nanoTime();
            boolean persistent = dataDir != null;
            Path dir = persistent ? dataDir.toAbsolutePath() : createTempDir();
            try {
                Files.createDirectories(dir);
                Optional<String> clusterId = readClusterId(dir);
                KafkaClusterTestKit kit = buildKit(dir, clusterId, persistent);
                try {
                    if (clusterId.isEmpty()) {
                        // The formatter prints to System.out from the kit's threads: send that to debug.
                        ThreadFilteringPrintStream.divert(KIT_THREAD_PREFIX, line -> LOG.debug("{}", line),
                                kit::format);
                        writeClusterId(dir, kit.nodes().clusterId());
                    }
                    kit.startup();
                    kit.waitForReadyBrokers();
                } catch (Exception | Error e) {
                    closeQuietly(kit);
                    if (!persistent) {
                        deleteRecursively(dir);
                    }
                    throw e;
                }
                EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit, dir, persistent, port, stopOnJvmExit);
                LOG.info("Embedded Kafka ready at {} in {} ms{}", cluster.bootstrapServers(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                        persistent ? " (data in " + dir + ")" : "");
                return cluster;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting embedded Kafka", e);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not prepare Kafka data directory " + dir, e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Could not start embedded Kafka in " + dir, e);
            }
        }

        private KafkaClusterTestKit buildKit(Path dir, Optional<String> clusterId, boolean persistent)
                throws Exception {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dir);
            clusterId.ifPresent(nodes::setClusterId);
            KafkaClusterTestKit.Builder kit = new KafkaClusterTestKit.Builder(nodes.build())
                    .setDeleteOnClose(!persistent);
            brokerDefaults(port).forEach(kit::setConfigProp);
            brokerProperties.forEach(kit::setConfigProp);
            return kit.build();
        }
    }

    /** What a one-broker cluster needs, and what makes it behave like production rather than a test rig. */
    static Map<String, Object> brokerDefaults(int port) {
        Map<String, Object> props = new LinkedHashMap<>();
        // Internal topics default to replication 3, which one broker cannot satisfy; without the
        // transaction-log settings exactly-once producers and Streams time out.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // The kit turns on unreleased features by default; we want what a real 4.3 broker offers.
        props.put("unstable.api.versions.enable", "false");
        props.put("unstable.feature.versions.enable", "false");
        if (port > 0) {
            // The kit pre-binds its own listeners to random ports whatever "listeners" says, so a
            // fixed port needs a third listener that the kit does not know about. Clients get
            // metadata for the listener they connected to, so they stay on the fixed port.
            props.put("listeners", BROKER_LISTENER + "://localhost:0," + CONTROLLER_LISTENER
                    + "://localhost:0," + FIXED_PORT_LISTENER + "://localhost:" + port);
            props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT,"
                    + CONTROLLER_LISTENER + ":PLAINTEXT," + FIXED_PORT_LISTENER + ":PLAINTEXT");
        }
        return props;
    }

    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, f -> f.defaultLevel(version)));
        return BootstrapMetadata.fromVersions(version, features, "pulse-embedded");
    }

    private static Optional<String> readClusterId(Path dir) throws IOException {
        Path state = dir.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
            props.load(in);
        }
        return Optional.ofNullable(props.getProperty(CLUSTER_ID_KEY)).filter(id -> !id.isBlank());
    }

    private static void writeClusterId(Path dir, String clusterId) throws IOException {
        Properties props = new Properties();
        props.setProperty(CLUSTER_ID_KEY, clusterId);
        try (OutputStream out = Files.newOutputStream(dir.resolve(STATE_FILE))) {
            props.store(out, "Written by pulse-embedded after formatting; delete the directory to start over");
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("pulse-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit kit) {
        try {
            kit.close();
        } catch (Exception e) {
            LOG.debug("Ignoring failure while closing a half-started cluster", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }

}
