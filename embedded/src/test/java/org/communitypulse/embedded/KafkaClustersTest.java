package org.communitypulse.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaClustersTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(KafkaClustersConfig.KAFKA_MODE_CONFIG);
    }

    @Test
    void shouldResolveEmbeddedImmediatelyWhenTheSystemPropertySaysEmbedded() {
        System.setProperty(KafkaClustersConfig.KAFKA_MODE_CONFIG, "Embedded");
        // A probe limit far above the assertion below: only skipping the probe can be this quick.
        System.setProperty(KafkaClustersConfig.DOCKER_PROBE_TIMEOUT_MS_CONFIG, "60000");
        try {
            long start = System.nanoTime();
            KafkaClustersConfig config = KafkaClusters.configFromEnvironment();

            assertThat(config.kafkaMode()).isEqualTo(KafkaMode.EMBEDDED);
            assertThat(KafkaClusters.resolve(config)).isEqualTo(KafkaMode.EMBEDDED);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000L);
        } finally {
            System.clearProperty(KafkaClustersConfig.DOCKER_PROBE_TIMEOUT_MS_CONFIG);
        }
    }

    @Test
    void shouldDefaultToAutoWhenNothingIsSet() {
        assertThat(new KafkaClustersConfig(Map.of()).kafkaMode()).isEqualTo(KafkaMode.AUTO);
        assertThat(new KafkaClustersConfig(Map.of()).dockerProbeTimeoutMs()).isEqualTo(5_000L);
    }

    @Test
    void shouldRejectAnUnknownModeWhenConfigured() {
        assertThatThrownBy(() -> new KafkaClustersConfig(Map.of(KafkaClustersConfig.KAFKA_MODE_CONFIG, "docker")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(KafkaClustersConfig.KAFKA_MODE_CONFIG);
    }
}
