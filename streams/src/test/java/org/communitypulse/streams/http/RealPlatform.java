package org.communitypulse.streams.http;

import java.util.function.BooleanSupplier;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.embedded.KafkaClusters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker and schema registry for a test class ({@code @RegisterExtension static}). One pair serves every class
 * of the JVM: each class works on topics and an application id of its own prefix, and a start per class cost seconds
 * of broker and registry start-up. Started before the first class that needs it, stopped when the JVM exits.
 */
final class RealPlatform implements BeforeAllCallback {

    private static KafkaCluster sharedKafka;
    private static ApicurioRegistry sharedRegistry;

    private final BooleanSupplier precondition;
    private final String skipReason;
    private KafkaCluster kafka;
    private ApicurioRegistry registry;

    RealPlatform() {
        this(() -> true, "");
    }

    /** Skips the class, without starting anything, unless {@code precondition} holds. */
    RealPlatform(BooleanSupplier precondition, String skipReason) {
        this.precondition = precondition;
        this.skipReason = skipReason;
    }

    KafkaCluster kafka() {
        return kafka;
    }

    ApicurioRegistry registry() {
        return registry;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(precondition.getAsBoolean(), skipReason);
        startShared();
        kafka = sharedKafka;
        registry = sharedRegistry;
    }

    private static synchronized void startShared() {
        if (sharedKafka != null) {
            return;
        }
        sharedKafka = KafkaClusters.start();
        sharedRegistry = ApicurioRegistry.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sharedRegistry.close();
            sharedKafka.close();
        }, "real-platform-stop"));
    }
}
