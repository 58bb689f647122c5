package org.communitypulse.systemtests;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.embedded.KafkaClusters;
import org.communitypulse.streams.PulseStreamsConfig;

/**
 * One real broker and one real registry for all of this module's integration tests: they use
 * unique topic prefixes, so sharing is safe and saves a start per test class. Stopped at JVM exit.
 */
final class SharedPlatform {

    private static KafkaCluster kafka;
    private static ApicurioRegistry registry;

    private SharedPlatform() {
    }

    static synchronized KafkaCluster kafka() {
        start();
        return kafka;
    }

    static synchronized ApicurioRegistry registry() {
        start();
        return registry;
    }

    /**
     * Settings of a Streams app on the shared platform with its own topics ({@code prefix}), group
     * ({@code applicationId}) and state; {@code extra} adds or overrides settings.
     */
    static PulseStreamsConfig streamsConfig(String prefix, String applicationId, Path stateDir, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, registry().ccompatUrl());
        props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseStreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(PulseStreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Tests share the machine: never the fixed default port.
        props.put(PulseStreamsConfig.HTTP_PORT_CONFIG, 0);
        props.putAll(extra);
        return new PulseStreamsConfig(props);
    }

    /** Consumer settings reading every committed record of the shared broker from the start, in a group of its own. */
    static Map<String, Object> committedReader() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "read-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private static void start() {
        if (kafka != null) {
            return;
        }
        kafka = KafkaClusters.start();
        registry = ApicurioRegistry.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            kafka.close();
        }, "shared-platform-stop"));
    }
}
