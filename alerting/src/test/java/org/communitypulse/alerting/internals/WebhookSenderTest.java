package org.communitypulse.alerting.internals;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {

    private final WebhookSender sender = new WebhookSender(Duration.ofSeconds(2), Duration.ofMillis(300));
    private final List<String> deliveryIds = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            synchronized (deliveryIds) {
                deliveryIds.add(exchange.getRequestHeaders().getFirst(AlertFormats.DELIVERY_ID_HEADER));
            }
            exchange.getRequestBody().readAllBytes();
            if (path.equals("/slow")) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = Integer.parseInt(path.equals("/slow") ? "200" : path.substring(1));
            if (status == 429) {
                exchange.getResponseHeaders().add("Retry-After", "7");
            }
            byte[] body = ("answer for " + status + "\n  on two lines").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
    }

    @Test
    void shouldClassifyStatusesAndSendTheDeliveryIdWhenTheReceiverAnswers() throws Exception {
        assertThat(sender.post(url("200"), "{}", "a/FIRING").kind()).isEqualTo(Attempt.Kind.DELIVERED);
        Attempt unavailable = sender.post(url("503"), "{}", "a/FIRING");
        assertThat(unavailable.kind()).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(unavailable.reason()).isEqualTo("http_503");
        assertThat(unavailable.detail()).isEqualTo("HTTP 503: answer for 503 on two lines");
        Attempt throttled = sender.post(url("429"), "{}", "a/FIRING");
        assertThat(throttled.kind()).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        Attempt refused = sender.post(url("404"), "{}", "a/RESOLVED");
        assertThat(refused.kind()).isEqualTo(Attempt.Kind.PERMANENT);
        assertThat(refused.reason()).isEqualTo("http_404");
        assertThat(deliveryIds).containsExactly("a/FIRING", "a/FIRING", "a/FIRING", "a/RESOLVED");
    }

    @Test
    void shouldRetryWhenTheReceiverIsSlowOrUnreachable() throws Exception {
        Attempt slow = sender.post(url("slow"), "{}", "a/FIRING");
        assertThat(slow.kind()).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(slow.reason()).isEqualTo("timeout");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Attempt refused = sender.post(URI.create("http://127.0.0.1:" + closedPort + "/hook/s3cr3t"), "{}", "a/FIRING");
        assertThat(refused.kind()).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(refused.reason()).isIn("connect", "io");
        assertThat(refused.detail()).doesNotContain("s3cr3t");
    }
}
