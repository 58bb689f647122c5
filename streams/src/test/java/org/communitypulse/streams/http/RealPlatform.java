package org.communitypulse.streams.http;

import java.util.function.BooleanSupplier;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.embedded.KafkaClusters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker and schema registry for one test class ({@code @RegisterExtension static}): started before its
 * first test, stopped after its last.
 */
final class RealPlatform implements BeforeAllCallback, AfterAllCallback {

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
        kafka = KafkaClusters.start();
        registry = ApicurioRegistry.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
