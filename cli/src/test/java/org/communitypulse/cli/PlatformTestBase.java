package org.communitypulse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.KafkaCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** Integration tests on the JVM-wide broker and registry of {@link SharedPlatform}. */
abstract class PlatformTestBase {

    static KafkaCluster kafka;
    static ApicurioRegistry registry;

    @BeforeAll
    static void platform() {
        kafka = SharedPlatform.kafka();
        registry = SharedPlatform.registry();
    }

    /** A real Stack Exchange dump read in place from ../shared/data; the test is skipped without it. */
    static Path realDump(String community) {
        Path dump = Path.of(System.getProperty("pulse.shared.data", "../../shared/data"), "stackexchange", community);
        Assumptions.assumeTrue(Files.isDirectory(dump), "real dump not present at " + dump);
        return dump;
    }
}
