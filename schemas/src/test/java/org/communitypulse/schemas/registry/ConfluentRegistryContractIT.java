package org.communitypulse.schemas.registry;

import java.time.Duration;
import org.communitypulse.embedded.KafkaClusters;
import org.communitypulse.embedded.KafkaClustersConfig;
import org.communitypulse.embedded.internals.DockerProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The registry contract against Confluent's own server ({@value #REGISTRY_IMAGE}) beside a Kafka
 * broker, both in Docker. Skipped, not failed, where no Docker engine answers in time.
 *
 * <p>Testcontainers classes are referenced only through {@link Containers}, which is loaded after the
 * time-limited probe said yes: touching {@code DockerClientFactory} unguarded can block for minutes.
 */
class ConfluentRegistryContractIT extends AbstractRegistryContractTest {

    static final String REGISTRY_IMAGE = "confluentinc/cp-schema-registry:7.7.1";
    static final String SKIP_MESSAGE =
            "no Docker engine: Confluent Schema Registry contract runs only where Docker exists";

    private static boolean dockerAvailable;
    private static Containers containers;

    @BeforeAll
    static void startRegistry() {
        KafkaClustersConfig config = KafkaClusters.configFromEnvironment();
        // Same probe and time limit as KafkaClusters' auto mode, but independent of pulse.kafka.mode:
        // this test needs Docker even when the other tests are pinned to the in-process broker.
        dockerAvailable = DockerProbe.dockerAvailable(Duration.ofMillis(config.dockerProbeTimeoutMs()));
        if (dockerAvailable) {
            containers = Containers.start(config.testcontainersImage(), REGISTRY_IMAGE);
        }
    }

    /**
     * Skips per test rather than in {@code @BeforeAll}: failsafe reports a class-level assumption
     * failure as "0 tests run", hiding both the skip and its reason.
     */
    @BeforeEach
    void requireDocker() {
        Assumptions.assumeTrue(dockerAvailable, SKIP_MESSAGE);
    }

    @AfterAll
    static void stopRegistry() {
        if (containers != null) {
            containers.close();
        }
    }

    @Override
    protected String registryUrl() {
        // Confluent serves its API at the root, unlike Apicurio's /apis/ccompat/v7.
        return containers.registryUrl();
    }

    /** Kafka and the schema registry on one private Docker network. */
    private static final class Containers implements AutoCloseable {

        private static final String KAFKA_ALIAS = "kafka";
        /**
         * An extra listener advertised under the network alias: the image's own 9092 listener
         * advertises the host-mapped port, which other containers cannot reach.
         */
        private static final String KAFKA_INTERNAL_LISTENER = KAFKA_ALIAS + ":19092";
        private static final int REGISTRY_PORT = 8081;

        private final org.testcontainers.containers.Network network;
        private final org.testcontainers.kafka.KafkaContainer kafka;
        private final org.testcontainers.containers.GenericContainer<?> registry;

        private Containers(org.testcontainers.containers.Network network,
                org.testcontainers.kafka.KafkaContainer kafka,
                org.testcontainers.containers.GenericContainer<?> registry) {
            this.network = network;
            this.kafka = kafka;
            this.registry = registry;
        }

        static Containers start(String kafkaImage, String registryImage) {
            var network = org.testcontainers.containers.Network.newNetwork();
            var kafka = new org.testcontainers.kafka.KafkaContainer(kafkaImage)
                    .withNetwork(network)
                    .withNetworkAliases(KAFKA_ALIAS)
                    .withListener(KAFKA_INTERNAL_LISTENER);
            var registry = new org.testcontainers.containers.GenericContainer<>(registryImage)
                    .withNetwork(network)
                    .withNetworkAliases("schema-registry")
                    .withExposedPorts(REGISTRY_PORT)
                    .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                    .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
                    .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", KAFKA_INTERNAL_LISTENER)
                    .dependsOn(kafka)
                    // /subjects answers only once the _schemas topic has been read: the registry is usable.
                    .waitingFor(org.testcontainers.containers.wait.strategy.Wait.forHttp("/subjects")
                            .forStatusCode(200)
                            .withStartupTimeout(Duration.ofMinutes(3)));
            Containers started = new Containers(network, kafka, registry);
            try {
                registry.start();
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            return started;
        }

        String registryUrl() {
            return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
        }

        @Override
        public void close() {
            registry.stop();
            kafka.stop();
            network.close();
        }
    }
}
