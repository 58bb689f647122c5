package org.communitypulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    @Test
    void shouldUseTunedIdempotentDefaultsWhenNothingIsGiven() {
        Map<String, Object> config = new ProducerSettings(Map.of()).producerConfig("host:9092");
        assertThat(config).containsEntry("bootstrap.servers", "host:9092")
                .containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("compression.type", "lz4").containsEntry("linger.ms", 20)
                .containsEntry("batch.size", 262_144).containsEntry("max.block.ms", 15_000L)
                .containsEntry("delivery.timeout.ms", 25_000).containsEntry("request.timeout.ms", 10_000)
                .doesNotContainKey(ProducerSettings.REACHABILITY_TIMEOUT_MS_CONFIG);
    }

    @Test
    void shouldApplyOverridesAndPassThroughOtherKeysWhenGiven() {
        ProducerSettings settings = new ProducerSettings(Map.of("linger.ms", "5", "client.id", "importer",
                ProducerSettings.REACHABILITY_TIMEOUT_MS_CONFIG, "2000"));
        assertThat(settings.lingerMs()).isEqualTo(5);
        assertThat(settings.reachabilityTimeoutMs()).isEqualTo(2000);
        assertThat(settings.producerConfig("h:1")).containsEntry("linger.ms", 5).containsEntry("client.id", "importer");
        assertThat(settings.adminConfig("h:1")).containsEntry("client.id", "importer")
                .containsEntry("default.api.timeout.ms", 2000).doesNotContainKey("linger.ms");
    }

    @Test
    void shouldRefuseWeakerDeliveryWhenAcksOrIdempotenceAreOverridden() {
        assertThatThrownBy(() -> new ProducerSettings(Map.of("acks", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("acks=all");
        assertThatThrownBy(() -> new ProducerSettings(Map.of("enable.idempotence", "false")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("enable.idempotence=true");
        assertThat(new ProducerSettings(Map.of("acks", "-1")).producerConfig("h:1")).containsEntry("acks", "all");
    }

    @Test
    void shouldRejectInvalidValuesWhenValidatorsApply() {
        assertThatThrownBy(() -> new ProducerSettings(Map.of("compression.type", "brotli")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ProducerSettings(Map.of("delivery.timeout.ms", "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("linger.ms + request.timeout.ms");
    }
}
