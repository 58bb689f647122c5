package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's one local command ({@code ./pulse run}) as a separate process: it comes up with the
 * dashboard and the webhook receiver, a signed GitHub webhook makes its community appear and then
 * change in the dashboard API, and SIGTERM stops everything cleanly, in under 10 s (docker stop's grace
 * period), on the first stop and on each of two restarts on the same state.
 */
class RunCommandIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dashboardToken;
    private int webhookPort;

    @Test
    void shouldServeTheDashboardAndCountWebhooksWhenStartedAsTheReadmeSays(@TempDir Path data) throws Exception {
        Path launcher = ROOT.resolve("pulse");
        Assumptions.assumeTrue(Files.isRegularFile(ROOT.resolve("cli/target/pulse.jar"))
                && Files.isDirectory(ROOT.resolve("cli/target/lib-embedded"))
                && Files.isDirectory(ROOT.resolve("embedded/target/apicurio")),
                "needs the packaged cli/target/pulse.jar, cli/target/lib-embedded and embedded/target/apicurio "
                        + "(failsafe runs after package)");
        int kafkaPort = freePort();
        int registryPort = freePort();
        int httpPort = freePort();
        webhookPort = freePort();
        dashboardToken = data.resolve("streams").resolve("http-admin.token");
        List<String> command = List.of(launcher.toString(), "run", "--data-dir", data.toString(),
                "--kafka-port", String.valueOf(kafkaPort), "--registry-port", String.valueOf(registryPort),
                "--http-port", String.valueOf(httpPort), "--webhook-port", String.valueOf(webhookPort),
                "--communities", "1", "--rate", "2", "--topic-prefix", "run-it.");
        long start = System.nanoTime();
        PulseProcess process = start(command);
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                assertThat(process.isAlive()).as("pulse run alive; output:\n" + process.output()).isTrue();
                assertThat(get(httpPort, "/api/communities").statusCode()).isEqualTo(200);
            });
            System.out.println("pulse run: dashboard answering after " + (System.nanoTime() - start) / 1_000_000 + " ms");
            // Printed once Streams is RUNNING, which takes over 10 s on a loaded 2-core box.
            await().atMost(Duration.ofSeconds(90)).until(() -> process.lines().contains("Press Ctrl-C to stop."));
            // No token configured: one was generated, readable by the owner only, and the console has the link.
            Path tokenFile = data.resolve("streams").resolve("http-admin.token");
            assertThat(Files.getPosixFilePermissions(tokenFile))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            assertThat(process.output()).contains("Dashboard access        : log in with http://localhost:" + httpPort
                    + "/login?token=" + Files.readString(tokenFile).strip());
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/api/communities"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("without the token").isEqualTo(401);
            assertThat(process.output()).contains(
                    "Dashboard               : http://localhost:" + httpPort + "/",
                    "http://localhost:" + httpPort + "/metrics",
                    "POST http://localhost:" + webhookPort + "/webhooks/{github,slack,discourse}/<community>");
            assertThat(get(httpPort, "/").body()).contains("Community Pulse");

            String secret = Files.readString(data.resolve("webhooks").resolve("github.secret")).trim();
            assertThat(process.output()).as("secrets are never printed").doesNotContain(secret);
            String community = "octo-" + UUID.randomUUID().toString().substring(0, 6);
            String now = Instant.now().minusSeconds(30).toString();
            String issue = "{\"id\":1001,\"number\":1,\"created_at\":\"" + now + "\",\"user\":{\"id\":42,\"login\":\"ann\"}}";
            String repository = "{\"id\":7,\"full_name\":\"octo/demo\",\"owner\":{\"login\":\"octo\"}}";
            HttpResponse<String> opened = github(webhookPort, secret, community, "issues",
                    "{\"action\":\"opened\",\"issue\":" + issue + ",\"repository\":" + repository + "}");
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
            assertThat(opened.body()).contains("accepted");

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(trailing(httpPort, community).path("threads28d").asLong()).isEqualTo(1));
            String comment = "{\"id\":2001,\"created_at\":\"" + Instant.now().minusSeconds(10)
                    + "\",\"user\":{\"id\":43,\"login\":\"bob\"}}";
            long t0 = System.nanoTime();
            HttpResponse<String> commented = github(webhookPort, secret, community, "issue_comment",
                    "{\"action\":\"created\",\"issue\":" + issue + ",\"comment\":" + comment + ",\"repository\":"
                            + repository + "}");
            assertThat(commented.statusCode()).as(commented.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                JsonNode trailing = trailing(httpPort, community);
                assertThat(trailing.path("replies28d").asLong()).isEqualTo(1);
                assertThat(trailing.path("dau").asLong()).isEqualTo(2);
            });
            System.out.println("pulse run: webhook -> dashboard API " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(get(webhookPort, "/metrics").body()).contains("pulse_webhook");
            // The generated community is declared part of the demo organisation: the organisation view has it.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode organisation = JSON.readTree(get(httpPort, "/api/organisations").body())
                        .path("organisations").path(0);
                assertThat(organisation.path("organisationId").asText()).isEqualTo("demo");
                assertThat(organisation.path("name").asText()).isEqualTo("Demo organisation (generated)");
                assertThat(organisation.path("communities").toString()).isEqualTo("[\"community-1\"]");
            });
        } finally {
            stop(process, 1);
        }
        assertStoppedCleanly(process, kafkaPort, registryPort, httpPort, webhookPort);

        // Started and stopped again on the same state: each stop must fit in docker stop's 10 s every time,
        // not only now and then (before the broker and registry stopped in their own, concurrent, hooks,
        // 2 of 6 stops took 30 s: Streams waiting out its close timeout against a broker already gone).
        for (int round = 2; round <= RESTARTS + 1; round++) {
            long restart = System.nanoTime();
            PulseProcess restarted = start(command);
            try {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> {
                            assertThat(restarted.isAlive()).as("pulse run alive; output:\n" + restarted.output())
                                    .isTrue();
                            assertThat(restarted.lines()).contains("Press Ctrl-C to stop.");
                            assertThat(get(httpPort, "/api/communities").statusCode()).isEqualTo(200);
                        });
                System.out.println("pulse run round " + round + ": up after " + (System.nanoTime() - restart) / 1_000_000
                        + " ms");
            } finally {
                stop(restarted, round);
            }
            assertStoppedCleanly(restarted, kafkaPort, registryPort, httpPort, webhookPort);
        }
    }

    private static final int RESTARTS = 2;
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

    private static PulseProcess start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        // The launcher would build when asked to; here the jar exists and must be used as is.
        builder.environment().remove("PULSE_REBUILD");
        // Only the options configure this run (no PULSE_* settings or webhook secrets from the caller): the
        // secrets come from the data directory, generated there.
        return PulseProcess.launch(builder, Map.of());
    }

    /** SIGTERM, as Ctrl-C's shutdown path; asserts the process is gone within {@link #STOP_LIMIT}. */
    private static void stop(PulseProcess process, int round) throws Exception {
        Duration took = process.terminate(Duration.ofSeconds(90));
        System.out.println("pulse run round " + round + ": exited with " + process.exitValue() + " " + took.toMillis()
                + " ms after SIGTERM; " + process.lines().stream().filter(l -> l.startsWith("Stopped in")).findFirst()
                        .orElse("(no stop line)"));
        Files.copy(process.log(), Path.of("target", "RunCommandIT-output-" + round + ".log"),
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(took).as("round " + round + " stop after SIGTERM; output:\n" + process.output()).isLessThan(STOP_LIMIT);
    }

    private static void assertStoppedCleanly(PulseProcess process, int... ports) throws IOException {
        List<String> output = process.lines();
        // The JVM reports death by SIGTERM as 143 once its shutdown hooks have run; 0 if it returned first.
        assertThat(process.exitValue()).as("exit code; output:\n" + process.output()).isIn(0, 143);
        assertThat(output).noneMatch(line -> line.startsWith("While stopping"));
        assertThat(output).anyMatch(line -> line.startsWith("Stopped in"));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port)) {
                assertThat(socket.getLocalPort()).as("port released").isEqualTo(port);
            }
        }
    }

    private JsonNode trailing(int port, String community) throws Exception {
        HttpResponse<String> response = get(port, "/api/communities");
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode c : JSON.readTree(response.body()).path("communities")) {
            if (c.path("communityId").asText().equals(community)) {
                return c.path("trailing");
            }
        }
        return JSON.createObjectNode();
    }

    private HttpResponse<String> github(int port, String secret, String community, String event, String body)
            throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(bytes));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/github/" + community))
                .header("Content-Type", "application/json").header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", UUID.randomUUID().toString()).header("X-Hub-Signature-256", signature)
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A GET, with the dashboard's generated admin token once {@code pulse run} wrote it. */
    private HttpResponse<String> get(int port, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (dashboardToken != null && Files.isReadable(dashboardToken) && port != webhookPort) {
            request.header("Authorization", "Bearer " + Files.readString(dashboardToken).strip());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
