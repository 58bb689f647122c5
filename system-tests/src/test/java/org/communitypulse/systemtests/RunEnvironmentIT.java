package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse run} configured only by the PULSE_* variables the README lists, against a running Kafka
 * and registry: it uses them instead of starting its own, so it runs from the shipped {@code target/lib}
 * alone (no embedded stack on the class path), finds Apicurio's API under the registry's root URL, and
 * stops within docker stop's 10 s.
 */
class RunEnvironmentIT {

    @Test
    void shouldUseTheClusterRegistryPrefixApplicationIdAndStateDirOfTheEnvironment(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PulseProcess.packaged(), "needs the packaged command (failsafe runs after package)");
        String bootstrap = SharedPlatform.kafka().bootstrapServers();
        String registryRoot = SharedPlatform.registry().baseUrl();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "env-" + id + ".";
        String applicationId = "env-app-" + id;
        Path stateDir = dir.resolve("state-from-env");
        Map<String, String> env = Map.of(
                "PULSE_BOOTSTRAP_SERVERS", bootstrap,
                "PULSE_SCHEMA_REGISTRY_URL", registryRoot,
                "PULSE_TOPIC_PREFIX", prefix,
                "PULSE_APPLICATION_ID", applicationId,
                "PULSE_STATE_DIR", stateDir.toString());

        try (PulseProcess run = PulseProcess.start(false, env, "run", "--data-dir", dir.resolve("data").toString(),
                "--http-port", String.valueOf(freePort()), "--webhook-port", String.valueOf(freePort()),
                "--communities", "1", "--rate", "5")) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(run.isAlive()).as(run.output()).isTrue();
                assertThat(run.lines()).contains("Press Ctrl-C to stop.");
            });
            assertThat(run.output())
                    .contains("Kafka bootstrap servers : " + bootstrap,
                            "Schema registry         : " + SharedPlatform.registry().ccompatUrl(),
                            "Input topic             : " + prefix + "activity",
                            "Streams application id  : " + applicationId,
                            "(Streams: " + stateDir.toAbsolutePath() + ")")
                    .doesNotContain("Starting embedded Kafka", "Starting schema registry");
            assertThat(stateDir.resolve(applicationId)).as("Streams state under PULSE_STATE_DIR").isDirectory();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get()).contains(prefix + "activity", prefix + "engagement.daily");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(admin.listGroups().all().get()).anyMatch(g -> g.groupId().equals(applicationId)));
            }

            Duration stop = run.terminate(Duration.ofSeconds(30));
            System.out.println("pulse run (external Kafka and registry): stopped " + stop.toMillis() + " ms after SIGTERM");
            assertThat(stop).as("stop after SIGTERM; output:\n" + run.output()).isLessThan(Duration.ofSeconds(10));
            assertThat(run.exitValue()).isIn(0, 143);
            assertThat(run.output()).contains("Stopped in ").doesNotContain("While stopping");
        }
        assertThat(Files.exists(dir.resolve("data").resolve("kafka"))).as("no embedded broker data").isFalse();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
