package org.communitypulse.cli;

import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.embedded.KafkaClusters;

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
