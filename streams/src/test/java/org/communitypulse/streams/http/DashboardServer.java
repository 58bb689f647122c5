package org.communitypulse.streams.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A {@link Dashboard} without Streams behind it, on the real HTTP server with {@link TestTokens}: for the routes that
 * write (alert actions, declarations), which need no state store. Closes both.
 */
final class DashboardServer implements AutoCloseable {

    /** Keeps what a writer under test publishes, or fails as a producer with no broker does. */
    static final class Broker<T> {
        final List<T> written = new CopyOnWriteArrayList<>();
        volatile boolean down;

        void write(T value) throws TimeoutException {
            if (down) {
                throw new TimeoutException("no broker");
            }
            written.add(value);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final Dashboard dashboard;
    private final PulseHttpServer server;

    private DashboardServer(Dashboard dashboard, PulseHttpServer server) {
        this.dashboard = dashboard;
        this.server = server;
    }

    /** {@code configure} enables the writers under test on the dashboard before the server starts. */
    static DashboardServer start(Consumer<Dashboard> configure) {
        HttpSettings settings = TestTokens.settings();
        Dashboard dashboard = new Dashboard(null, null, Optional.empty(), settings.tokens(), settings.maxSseClients());
        configure.accept(dashboard);
        return new DashboardServer(dashboard, PulseHttpServer.builder(new PrometheusMeterRegistry(
                PrometheusConfig.DEFAULT), () -> org.apache.kafka.streams.KafkaStreams.State.RUNNING)
                .extension(dashboard).start(settings));
    }

    /** A POST of {@code body} (JSON) with {@code token}, or none when null. */
    HttpResponse<String> post(String pathAndQuery, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + pathAndQuery)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        dashboard.close();
        server.close();
    }
}
