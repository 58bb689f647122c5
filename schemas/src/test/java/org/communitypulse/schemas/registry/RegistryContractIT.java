package org.communitypulse.schemas.registry;

import java.nio.file.Path;
import org.communitypulse.embedded.ApicurioRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The registry contract against Apicurio 2.6 through its Confluent-compatible API
 * ({@code /apis/ccompat/v7}): runs everywhere, no Docker needed.
 */
class RegistryContractIT extends AbstractRegistryContractTest {

    /** Optional override: the Apicurio runner jar (or its directory). */
    static final String JAR_PROPERTY = "pulse.apicurio.jar";

    private static ApicurioRegistry registry;

    @BeforeAll
    static void startRegistry() {
        ApicurioRegistry.Builder builder = ApicurioRegistry.builder();
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar != null && !jar.isBlank()) {
            builder.runnerJar(Path.of(jar));
        }
        registry = builder.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Override
    protected String registryUrl() {
        return registry.ccompatUrl();
    }
}
