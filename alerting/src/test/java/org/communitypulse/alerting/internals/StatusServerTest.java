package org.communitypulse.alerting.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.communitypulse.alerting.AlertDeliveryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delivery service's /metrics, /health and /ready server: its exposure and its limits (issue 22). */
class StatusServerTest {

    private final AtomicBoolean ready = new AtomicBoolean(true);
    private StatusServer server;

    private StatusServer start(String host, long idleTimeoutMs) {
        server = new StatusServer(host, 0, idleTimeoutMs, () -> "pulse_alerts_firing 0\n", ready::get, "failed")
                .start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} on a raw socket and returns what came back before the server closed (or patience). */
    private static String raw(int port, String request, Duration patience) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout((int) patience.toMillis());
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                out.write("<still open>".getBytes(StandardCharsets.US_ASCII));
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void shouldServeMetricsHealthAndReadiness() throws Exception {
        int port = start("127.0.0.1", 15_000).port();
        assertThat(get(port, "/metrics").body()).contains("pulse_alerts_firing 0");
        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
        assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
        ready.set(false);
        HttpResponse<String> notReady = get(port, "/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("failed");
    }

    @Test
    void shouldListenOnLoopbackOnlyWhenHostIsNotConfigured() throws Exception {
        AlertDeliveryConfig defaults = new AlertDeliveryConfig(Map.of());
        int port = start(defaults.httpHost(), defaults.httpIdleTimeoutMs()).port();
        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
        // 127.0.0.2 is this machine too, but not the bound address: a server on 0.0.0.0 would accept it.
        assertThatThrownBy(() -> new Socket("127.0.0.2", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldAnswer413WhenRequestBodyExceedsLimit() throws Exception {
        int port = start("127.0.0.1", 15_000).port();
        String answer = raw(port, "POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                + (StatusServer.MAX_REQUEST_BYTES + 1) + "\r\n\r\n", Duration.ofSeconds(10));
        assertThat(answer).startsWith("HTTP/1.1 413");
    }

    @Test
    void shouldAnswer431WhenHeadersExceedLimit() throws Exception {
        int port = start("127.0.0.1", 15_000).port();
        String answer = raw(port, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
                + "a".repeat(StatusServer.MAX_HEADER_BYTES) + "\r\n\r\n", Duration.ofSeconds(10));
        assertThat(answer).startsWith("HTTP/1.1 431");
    }

    @Test
    void shouldCloseConnectionWhenIdleLongerThanTimeout() throws Exception {
        int port = start("127.0.0.1", 1_000).port();
        long started = System.nanoTime();
        // Half a request head, then nothing: the connection must not stay open on our account.
        String answer = raw(port, "GET /health HTTP/1.1\r\nHost: loc", Duration.ofSeconds(10));
        assertThat(answer).doesNotContain("<still open>");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
