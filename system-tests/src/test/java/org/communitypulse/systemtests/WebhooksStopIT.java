package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code pulse webhooks}, as its container runs it: SIGTERM closes it (bounded) and frees its port. */
class WebhooksStopIT {

    @Test
    void shouldCloseAndExitWithinTenSecondsOfSigterm() throws Exception {
        Assumptions.assumeTrue(PulseProcess.packaged(), "needs the packaged command (failsafe runs after package)");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = Map.of(
                "PULSE_BOOTSTRAP_SERVERS", SharedPlatform.kafka().bootstrapServers(),
                "PULSE_SCHEMA_REGISTRY_URL", SharedPlatform.registry().baseUrl(),
                "PULSE_GITHUB_SECRET", "webhooks-stop-it");

        try (PulseProcess webhooks = PulseProcess.start(false, env, "webhooks", "--host", "127.0.0.1",
                "--port", String.valueOf(port))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(webhooks.isAlive()).as(webhooks.output()).isTrue();
                assertThat(webhooks.output()).contains("Ctrl-C to stop.");
            });

            Duration stop = webhooks.terminate(Duration.ofSeconds(30));
            System.out.println("pulse webhooks: stopped " + stop.toMillis() + " ms after SIGTERM");
            assertThat(stop).as(webhooks.output()).isLessThan(Duration.ofSeconds(10));
            assertThat(webhooks.exitValue()).isIn(0, 143);
            assertThat(webhooks.output()).doesNotContain("Exception");
        }
        try (ServerSocket socket = new ServerSocket(port)) {
            assertThat(socket.getLocalPort()).as("port released").isEqualTo(port);
        }
    }
}
