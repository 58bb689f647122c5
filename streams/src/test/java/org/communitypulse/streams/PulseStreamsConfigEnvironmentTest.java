package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class PulseStreamsConfigEnvironmentTest {

    @Test
    void shouldNameEveryKeysVariableWithPrefixUpperCaseAndUnderscoresWhenAsked() {
        assertThat(PulseStreamsConfig.environmentVariable(PulseStreamsConfig.TOPIC_PREFIX_CONFIG)).isEqualTo("PULSE_TOPIC_PREFIX");
        assertThat(PulseStreamsConfig.environmentVariable(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG))
                .isEqualTo("PULSE_BOOTSTRAP_SERVERS");
        assertThat(PulseStreamsConfig.environmentVariable(PulseStreamsConfig.HTTP_PORT_CONFIG)).isEqualTo("PULSE_HTTP_PORT");
        assertThat(PulseStreamsConfig.configDef().names()).allSatisfy(key ->
                assertThat(PulseStreamsConfig.environmentVariable(key)).matches("PULSE_[A-Z0-9_]+"));
    }

    @Test
    void shouldReadEveryKeyAndStreamsPassThroughWhenSetInEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("PULSE_BOOTSTRAP_SERVERS", "kafka:9092");
        env.put("PULSE_SCHEMA_REGISTRY_URL", "http://registry:8081");
        env.put("PULSE_LATENESS_HORIZON_MS", "5000");
        env.put("PULSE_NUM_STANDBY_REPLICAS", "1");
        env.put("PULSE_HTTP_PORT", "-1");
        env.put("PULSE_STREAMS_NUM_STREAM_THREADS", "2");
        env.put("PATH", "/usr/bin");
        env.put("PULSE_GITHUB_SECRET", "not a streams setting");

        Map<String, String> settings = PulseStreamsConfig.fromEnvironment(env);
        assertThat(settings).containsOnlyKeys(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, PulseStreamsConfig.LATENESS_HORIZON_CONFIG,
                PulseStreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, PulseStreamsConfig.HTTP_PORT_CONFIG,
                "streams.num.stream.threads");

        PulseStreamsConfig config = new PulseStreamsConfig(settings);
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.latenessHorizon()).contains(Duration.ofSeconds(5));
        assertThat(config.httpPort()).isEmpty();
        assertThat(config.streamsProperties())
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    }

    @Test
    void shouldNotIdleTasksOnEmptyPartitionsUnlessPassedThrough() {
        Map<String, String> env = new HashMap<>();
        env.put("PULSE_BOOTSTRAP_SERVERS", "kafka:9092");
        env.put("PULSE_SCHEMA_REGISTRY_URL", "http://registry:8081");
        assertThat(new PulseStreamsConfig(PulseStreamsConfig.fromEnvironment(env)).streamsProperties())
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        env.put("PULSE_STREAMS_MAX_TASK_IDLE_MS", "0");
        assertThat(new PulseStreamsConfig(PulseStreamsConfig.fromEnvironment(env)).streamsProperties())
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
    }

    @Test
    void shouldRejectPortWhenOutOfRange() {
        Map<String, Object> settings = Map.of(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092",
                PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://r", PulseStreamsConfig.HTTP_PORT_CONFIG, -2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PulseStreamsConfig(settings))
                .hasMessageContaining(PulseStreamsConfig.HTTP_PORT_CONFIG);
    }
}
