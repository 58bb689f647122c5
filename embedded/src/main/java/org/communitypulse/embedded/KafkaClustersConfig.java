package org.communitypulse.embedded;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings for {@link KafkaClusters}: which broker to start and how long to wait for Docker. */
public final class KafkaClustersConfig extends AbstractConfig {

    public static final String KAFKA_MODE_CONFIG = "pulse.kafka.mode";
    public static final String KAFKA_MODE_DOC = "embedded (in-process KRaft broker), testcontainers "
            + "(Docker; fails without it) or auto (Testcontainers if Docker answers in time, else embedded).";
    public static final String KAFKA_MODE_DEFAULT = "auto";

    public static final String DOCKER_PROBE_TIMEOUT_MS_CONFIG = "pulse.kafka.docker.probe.timeout.ms";
    public static final String DOCKER_PROBE_TIMEOUT_MS_DOC = "How long auto mode waits for Docker to answer "
            + "before falling back to the in-process broker (a silent Docker socket can block for minutes).";
    public static final long DOCKER_PROBE_TIMEOUT_MS_DEFAULT = 5_000L;

    public static final String TESTCONTAINERS_IMAGE_CONFIG = "pulse.kafka.testcontainers.image";
    public static final String TESTCONTAINERS_IMAGE_DOC = "Official Apache Kafka image used in testcontainers mode.";
    public static final String TESTCONTAINERS_IMAGE_DEFAULT = "apache/kafka:4.1.0";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(KAFKA_MODE_CONFIG, Type.STRING, KAFKA_MODE_DEFAULT,
                    ConfigDef.CaseInsensitiveValidString.in("embedded", "testcontainers", "auto"),
                    Importance.MEDIUM, KAFKA_MODE_DOC)
            .define(DOCKER_PROBE_TIMEOUT_MS_CONFIG, Type.LONG, DOCKER_PROBE_TIMEOUT_MS_DEFAULT,
                    ConfigDef.Range.between(1, 600_000), Importance.LOW, DOCKER_PROBE_TIMEOUT_MS_DOC)
            .define(TESTCONTAINERS_IMAGE_CONFIG, Type.STRING, TESTCONTAINERS_IMAGE_DEFAULT,
                    new ConfigDef.NonEmptyString(), Importance.LOW, TESTCONTAINERS_IMAGE_DOC);

    public KafkaClustersConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** The definition, e.g. for generated documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public KafkaMode kafkaMode() {
        return KafkaMode.parse(getString(KAFKA_MODE_CONFIG));
    }

    public long dockerProbeTimeoutMs() {
        return getLong(DOCKER_PROBE_TIMEOUT_MS_CONFIG);
    }

    public String testcontainersImage() {
        return getString(TESTCONTAINERS_IMAGE_CONFIG);
    }
}
