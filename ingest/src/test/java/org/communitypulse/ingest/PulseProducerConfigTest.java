package org.communitypulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class PulseProducerConfigTest {

    @Test
    void shouldUseTunedIdempotentDefaultsWhenNothingIsGiven() {
        Map<String, Object> config = new PulseProducerConfig(Map.of()).producerConfig("host:9092");
        assertThat(config).containsEntry("bootstrap.servers", "host:9092")
                .containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("compression.type", "lz4").containsEntry("linger.ms", 20)
                .containsEntry("batch.size", 262_144).containsEntry("max.block.ms", 15_000L)
                .containsEntry("delivery.timeout.ms", 25_000).containsEntry("request.timeout.ms", 10_000)
                .doesNotContainKey(PulseProducerConfig.REACHABILITY_TIMEOUT_MS_CONFIG);
    }

    @Test
    void shouldApplyOverridesAndPassThroughOtherKeysWhenGiven() {
        PulseProducerConfig pulseConfig = new PulseProducerConfig(Map.of("linger.ms", "5", "client.id", "importer",
                PulseProducerConfig.REACHABILITY_TIMEOUT_MS_CONFIG, "2000"));
        assertThat(pulseConfig.lingerMs()).isEqualTo(5);
        assertThat(pulseConfig.reachabilityTimeoutMs()).isEqualTo(2000);
        assertThat(pulseConfig.producerConfig("h:1")).containsEntry("linger.ms", 5)
                .containsEntry("client.id", "importer");
        assertThat(pulseConfig.adminConfig("h:1")).containsEntry("client.id", "importer")
                .containsEntry("default.api.timeout.ms", 2000).doesNotContainKey("linger.ms");
    }

    @Test
    void shouldRefuseWeakerDeliveryWhenAcksOrIdempotenceAreOverridden() {
        assertThatThrownBy(() -> new PulseProducerConfig(Map.of("acks", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("acks=all");
        assertThatThrownBy(() -> new PulseProducerConfig(Map.of("enable.idempotence", "false")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("enable.idempotence=true");
        assertThat(new PulseProducerConfig(Map.of("acks", "-1")).producerConfig("h:1")).containsEntry("acks", "all");
    }

    @Test
    void shouldRejectInvalidValuesWhenValidatorsApply() {
        assertThatThrownBy(() -> new PulseProducerConfig(Map.of("compression.type", "brotli")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new PulseProducerConfig(Map.of("delivery.timeout.ms", "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("linger.ms + request.timeout.ms");
    }
}
