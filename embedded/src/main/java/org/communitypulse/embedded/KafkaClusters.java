package org.communitypulse.embedded;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.communitypulse.embedded.internals.ClusterChooser;
import org.communitypulse.embedded.internals.DockerProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the best available {@link KafkaCluster}: a Testcontainers broker where Docker answers,
 * otherwise the in-process KRaft broker.
 *
 * <p>The choice is steered by system property {@value KafkaClustersConfig#KAFKA_MODE_CONFIG} or,
 * if absent, environment variable {@value #KAFKA_MODE_ENV} ({@code embedded|testcontainers|auto}).
 */
public final class KafkaClusters {

    /** Environment variable consulted when the system property is not set. */
    public static final String KAFKA_MODE_ENV = "PULSE_KAFKA_MODE";
    /** Environment variable for the Docker probe time limit in milliseconds. */
    public static final String DOCKER_PROBE_TIMEOUT_ENV = "PULSE_DOCKER_PROBE_TIMEOUT_MS";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusters.class);

    private KafkaClusters() {
    }

    /** Starts a cluster chosen from the system properties and environment. */
    public static KafkaCluster start() {
        return start(configFromEnvironment());
    }

    /** Starts a cluster chosen by the given configuration. */
    public static KafkaCluster start(KafkaClustersConfig config) {
        ClusterChooser.Choice choice = chooser(config).choose(config.kafkaMode());
        LOG.info("Starting Kafka cluster: {}", choice);
        if (choice == ClusterChooser.Choice.TESTCONTAINERS) {
            // Loaded only here so that the optional Testcontainers classes are never touched otherwise.
            return org.communitypulse.embedded.internals.TestcontainersKafkaCluster.start(config.testcontainersImage());
        }
        return EmbeddedKafkaCluster.start();
    }

    /** Which kind of cluster {@link #start(KafkaClustersConfig)} would start, without starting one. */
    public static KafkaMode resolve(KafkaClustersConfig config) {
        return chooser(config).choose(config.kafkaMode()) == ClusterChooser.Choice.TESTCONTAINERS
                ? KafkaMode.TESTCONTAINERS : KafkaMode.EMBEDDED;
    }

    /** The configuration given by system properties, falling back to environment variables. */
    public static KafkaClustersConfig configFromEnvironment() {
        Map<String, Object> props = new HashMap<>();
        putFirst(props, KafkaClustersConfig.KAFKA_MODE_CONFIG, KAFKA_MODE_ENV);
        putFirst(props, KafkaClustersConfig.DOCKER_PROBE_TIMEOUT_MS_CONFIG, DOCKER_PROBE_TIMEOUT_ENV);
        putFirst(props, KafkaClustersConfig.TESTCONTAINERS_IMAGE_CONFIG, null);
        return new KafkaClustersConfig(props);
    }

    private static void putFirst(Map<String, Object> props, String sysProp, String env) {
        String value = System.getProperty(sysProp);
        if (value == null && env != null) {
            value = System.getenv(env);
        }
        if (value != null && !value.isBlank()) {
            props.put(sysProp, value.trim());
        }
    }

    private static ClusterChooser chooser(KafkaClustersConfig config) {
        Duration timeout = Duration.ofMillis(config.dockerProbeTimeoutMs());
        return new ClusterChooser(DockerProbe::testcontainersOnClasspath,
                () -> DockerProbe.dockerAvailable(timeout));
    }
}
