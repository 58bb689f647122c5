package org.communitypulse.cli;

import java.nio.file.Path;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.EmbeddedKafkaCluster;

/** The only class of this module that names the embedded stack's types; reached through {@link EmbeddedStack}. */
final class EmbeddedServices {

    private EmbeddedServices() {
    }

    static EmbeddedStack.Service kafka(Path dataDir, int port, boolean stopOnJvmExit) {
        EmbeddedKafkaCluster.Builder builder = EmbeddedKafkaCluster.builder().port(port).stopOnJvmExit(stopOnJvmExit);
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        EmbeddedKafkaCluster kafka = builder.start();
        return new EmbeddedStack.Service(kafka.bootstrapServers(), kafka);
    }

    static EmbeddedStack.Service registry(Path dataDir, Path logDir, int port, boolean stopOnJvmExit) {
        ApicurioRegistry.Builder builder = ApicurioRegistry.builder().logDir(logDir).port(port)
                .stopOnJvmExit(stopOnJvmExit);
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        ApicurioRegistry registry = builder.start();
        return new EmbeddedStack.Service(registry.ccompatUrl(), registry);
    }
}
