package org.communitypulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.communitypulse.ingest.http.internals.WebhookMetrics;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver's exposure and its limits against slow and oversized clients (issue 22): local-only by default,
 * a trickled or stalled body is cut off with 408 within a bound, large headers get 431, normal requests pass.
 */
class WebhookServerLimitsTest {

    private final RecordingPublisher publisher = new RecordingPublisher();
    private WebhookServer server;

    private WebhookServer start(Map<String, Object> settings) {
        Map<String, Object> props = new HashMap<>(settings);
        props.putIfAbsent(WebhookServerConfig.PORT_CONFIG, 0);
        // One test secret signs for the path's community (the single-tenant mode): these tests are about limits.
        props.putIfAbsent(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        server = new WebhookServer(new WebhookServerConfig(props), WebhookClient.environment(), publisher,
                Clock.systemUTC()).start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private double rejects(String reason) {
        return server.meterRegistry().find(WebhookMetrics.REJECTS).tags("reason", reason).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void shouldListenOnLoopbackOnlyWhenHostIsNotConfigured() throws IOException {
        assertThat(new WebhookServerConfig(Map.of()).host()).isEqualTo("127.0.0.1");
        int port = start(Map.of()).port();
        try (Socket local = new Socket("127.0.0.1", port)) {
            assertThat(local.isConnected()).isTrue();
        }
        // 127.0.0.2 is this machine too (all of 127/8 is loopback), but not the address the server is bound to:
        // a server on 0.0.0.0 would accept it, as it would accept any other interface's clients.
        assertThatThrownBy(() -> new Socket("127.0.0.2", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldListenOnEveryInterfaceWhenHostIsSetDeliberately() throws IOException {
        int port = start(Map.of(WebhookServerConfig.HOST_CONFIG, "0.0.0.0")).port();
        try (Socket other = new Socket("127.0.0.2", port)) {
            assertThat(other.isConnected()).isTrue();
        }
    }

    @Test
    void shouldCutOffWith408WhenBodyTricklesOneBytePerSecond() throws Exception {
        int port = start(Map.of()).port();
        try (SlowClient client = new SlowClient("127.0.0.1", port)) {
            SlowClient.Outcome outcome = client.head("/webhooks/github/octo", 1_000, "X-GitHub-Event: issues")
                    .trickle(Duration.ofSeconds(1), Duration.ofSeconds(15));
            assertThat(outcome.status()).as(outcome.text()).isEqualTo(408);
            assertThat(outcome.closed()).as("connection closed").isTrue();
            // One rate check a second or two into the body; far below the 1,000 s the sender would take.
            assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(rejects("body_timeout")).isEqualTo(1);
        assertThat(publisher.events).isEmpty();
    }

    @Test
    void shouldCutOffWith408WhenBodyKeepsJustAboveMinimumRateBeyondBodyTimeout() throws Exception {
        // 4 KiB/s passes the 1 KiB/s minimum; the million bytes would take four minutes.
        int port = start(Map.of(WebhookServerConfig.BODY_TIMEOUT_MS_CONFIG, 2_000,
                WebhookServerConfig.MAX_BODY_BYTES_CONFIG, 2_000_000)).port();
        try (SlowClient client = new SlowClient("127.0.0.1", port)) {
            SlowClient.Outcome outcome = client.head("/webhooks/github/octo", 1_000_000, "X-GitHub-Event: issues")
                    .trickle(Duration.ofMillis(100), 410, Duration.ofSeconds(15));
            assertThat(outcome.status()).as(outcome.text()).isEqualTo(408);
            assertThat(outcome.closed()).as("connection closed").isTrue();
            assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(6));
        }
        assertThat(rejects("body_timeout")).isEqualTo(1);
    }

    @Test
    void shouldCutOffWith408WhenBodyStallsLongerThanIdleTimeout() throws Exception {
        int port = start(Map.of(WebhookServerConfig.IDLE_TIMEOUT_MS_CONFIG, 1_000)).port();
        try (SlowClient client = new SlowClient("127.0.0.1", port)) {
            client.head("/webhooks/github/octo", 1_000, "X-GitHub-Event: issues");
            SlowClient.Outcome outcome = client.trickle(null, Duration.ofSeconds(15));
            assertThat(outcome.status()).as(outcome.text()).isEqualTo(408);
            assertThat(outcome.closed()).as("connection closed").isTrue();
            assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void shouldAcceptLargeSignedBodyWhenItArrivesAtNormalSpeed() {
        int port = start(Map.of()).port();
        byte[] sample = WebhookSamples.bytes("github", "issues.opened");
        // About 1.5 MiB: a normal fast sender is never taken for a slow one.
        byte[] body = Arrays.copyOf(sample, 1_500_000);
        Arrays.fill(body, sample.length, body.length, (byte) ' ');
        HttpResponse<String> response = new WebhookClient(port).github("/webhooks/github/octo", "issues", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(publisher.events).hasSize(1);
    }

    @Test
    void shouldAnswer431WhenHeadersExceedLimit() throws Exception {
        int port = start(Map.of(WebhookServerConfig.MAX_HEADER_BYTES_CONFIG, 2_048)).port();
        String big = "X-Padding: " + "a".repeat(4_000);
        try (SlowClient client = new SlowClient("127.0.0.1", port)) {
            SlowClient.Outcome outcome = client.head("/webhooks/github/octo", 0, big)
                    .trickle(null, Duration.ofSeconds(10));
            assertThat(outcome.status()).as(outcome.text()).isEqualTo(431);
        }
        // Within the limit the same server answers normally (here: 401, the request is unsigned).
        HttpResponse<String> small = new WebhookClient(port).post("/webhooks/github/octo",
                Map.of("X-GitHub-Event", "issues", "X-Padding", "a".repeat(500)),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(small.statusCode()).isEqualTo(401);
    }
}
