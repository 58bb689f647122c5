package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams' application.server from the environment, as deploy/kubernetes/streams.yaml sets it: each pod
 * advertises its DNS name under the headless Service, and the other instances forward interactive queries there.
 */
class PulseStreamsConfigApplicationServerTest {

    private static final String POD_HOST = "pulse-streams-1.pulse-streams.pulse.svc.cluster.local";

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PULSE_BOOTSTRAP_SERVERS", "kafka-bootstrap:9092");
        env.put("PULSE_SCHEMA_REGISTRY_URL", "http://schema-registry:8081");
        env.put("PULSE_HTTP_PORT", "7070");
        // What the kubelet makes of $(POD_NAME).pulse-streams.$(POD_NAMESPACE).svc.cluster.local.
        env.put("PULSE_HTTP_ADVERTISED_HOST", POD_HOST);
        return env;
    }

    private static Properties streamsProperties(Map<String, String> env) {
        return new PulseStreamsConfig(PulseStreamsConfig.fromEnvironment(env)).streamsProperties();
    }

    @Test
    void shouldAdvertisePodHostAndHttpPortWhenAdvertisedHostComesFromEnvironment() {
        assertThat(streamsProperties(environment()))
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, POD_HOST + ":7070");
    }

    @Test
    void shouldAdvertiseBoundPortWhenHttpPortIsChosenAtStart() {
        Map<String, String> env = environment();
        env.put("PULSE_HTTP_PORT", "0");
        assertThat(new PulseStreamsConfig(PulseStreamsConfig.fromEnvironment(env)).streamsProperties(41234))
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, POD_HOST + ":41234");
    }

    @Test
    void shouldPreferPassThroughApplicationServerWhenBothAreSet() {
        Map<String, String> env = environment();
        env.put("PULSE_STREAMS_APPLICATION_SERVER", "other-host:7171");
        assertThat(streamsProperties(env)).containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "other-host:7171");
    }

    @Test
    void shouldAdvertiseNothingWhenAdvertisedHostIsEmptyOrServerDisabled() {
        Map<String, String> empty = environment();
        empty.put("PULSE_HTTP_ADVERTISED_HOST", "");
        assertThat(streamsProperties(empty)).doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);

        Map<String, String> disabled = environment();
        disabled.put("PULSE_HTTP_PORT", "-1");
        assertThat(streamsProperties(disabled)).doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);
    }
}
