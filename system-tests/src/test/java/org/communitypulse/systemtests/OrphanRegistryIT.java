package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse run} killed with {@code kill -9} runs no shutdown hook, yet its Apicurio registry (a child
 * JVM) must not live on holding the port and the schema database: it watches its parent and exits.
 */
class OrphanRegistryIT {

    @Test
    void shouldEndTheRegistryChildWhenPulseRunIsKilled(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PulseProcess.packaged(), "needs the packaged command (failsafe runs after package)");
        int registryPort = freePort();
        try (PulseProcess run = PulseProcess.start(true, Map.of(), "run", "--data-dir", dir.toString(),
                "--kafka-port", String.valueOf(freePort()), "--registry-port", String.valueOf(registryPort),
                "--http-port", String.valueOf(freePort()), "--webhook-port", String.valueOf(freePort()),
                "--rate", "0")) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(run.isAlive()).as(run.output()).isTrue();
                assertThat(run.lines()).contains("Press Ctrl-C to stop.");
            });
            List<ProcessHandle> registries = run.handle().children()
                    .filter(child -> child.info().commandLine().orElse("").contains("apicurio-registry")).toList();
            assertThat(registries).as("the registry child of pulse run").hasSize(1);
            ProcessHandle registry = registries.get(0);
            assertThat(registry.info().commandLine().orElse("")).contains("-javaagent:");

            run.kill();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(registry.isAlive()).as("registry pid " + registry.pid()).isFalse());
        }
        try (ServerSocket socket = new ServerSocket(registryPort)) {
            assertThat(socket.getLocalPort()).as("registry port released").isEqualTo(registryPort);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
