package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class PulseHttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void shouldAnswerReadyOnlyWhenStreamsIsRunning() throws Exception {
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (PulseHttpServer server = PulseHttpServer.builder(registry, state::get).start(TestTokens.settings())) {
            HttpResponse<String> rebalancing = get(server, PulseHttpServer.READY_PATH);
            assertThat(rebalancing.statusCode()).isEqualTo(503);
            assertThat(rebalancing.body()).isEqualTo("REBALANCING");
            assertThat(get(server, PulseHttpServer.HEALTH_PATH).statusCode()).isEqualTo(200);

            state.set(KafkaStreams.State.RUNNING);
            assertThat(get(server, PulseHttpServer.READY_PATH).statusCode()).isEqualTo(200);

            state.set(KafkaStreams.State.ERROR);
            HttpResponse<String> failed = get(server, PulseHttpServer.READY_PATH);
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).isEqualTo("ERROR");
            assertThat(get(server, PulseHttpServer.HEALTH_PATH).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldServeRegistryInPrometheusFormatWhenScraped() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter counter = registry.counter("pulse.test.events", "source", "unit");
        counter.increment(3);
        try (PulseHttpServer server = PulseHttpServer.builder(registry, () -> KafkaStreams.State.RUNNING).start(TestTokens.settings())) {
            HttpResponse<String> metrics = get(server, PulseHttpServer.METRICS_PATH);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
            assertThat(PrometheusScrape.parse(metrics.body()).sum("pulse_test_events_total", Map.of("source", "unit")))
                    .isEqualTo(3.0);
        }
    }

    @Test
    void shouldServeExtensionRoutesWhenRegisteredBeforeStart() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (PulseHttpServer server = PulseHttpServer.builder(registry, () -> KafkaStreams.State.RUNNING)
                .extension(config -> config.routes.get("/api/ping", ctx -> ctx.result("pong")))
                .start(TestTokens.settings())) {
            assertThat(get(server, "/api/ping").body()).isEqualTo("pong");
            assertThat(get(server, PulseHttpServer.HEALTH_PATH).statusCode()).isEqualTo(200);
            assertThat(get(server, "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldFailWithPortInMessageWhenPortIsTaken() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> PulseHttpServer.builder(registry, () -> KafkaStreams.State.RUNNING)
                    .start(TestTokens.settings().withPort(taken.getLocalPort())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort());
        }
    }

    private HttpResponse<String> get(PulseHttpServer server, String path) throws Exception {
        return client.send(TestTokens.get(server.port(), path, TestTokens.READ),
                HttpResponse.BodyHandlers.ofString());
    }
}
