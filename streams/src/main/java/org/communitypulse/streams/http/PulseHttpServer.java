package org.communitypulse.streams.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Streams application's HTTP server (Javalin): {@value #METRICS_PATH} for Prometheus,
 * {@value #HEALTH_PATH} (the process answers) and {@value #READY_PATH} (Kafka Streams is RUNNING,
 * so a load balancer or orchestrator only routes to instances that hold their partitions).
 *
 * <p>More routes (the dashboard, interactive queries) are added with {@link Builder#extension}, which
 * receives the whole Javalin configuration: routes, static files, SSE.
 */
public final class PulseHttpServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String HEALTH_PATH = "/health";
    public static final String READY_PATH = "/ready";
    /** Prometheus text exposition format 0.0.4, which every Prometheus version scrapes. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin javalin;
    private final List<String> routes;

    private PulseHttpServer(Javalin javalin, List<String> routes) {
        this.javalin = javalin;
        this.routes = List.copyOf(routes);
    }

    public static Builder builder(PrometheusMeterRegistry registry, Supplier<KafkaStreams.State> streamsState) {
        return new Builder(registry, streamsState);
    }

    /** Every route served, as method and path ({@code GET /api/communities/{id}}), in the order added. */
    public List<String> routes() {
        return routes;
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }

    /** Built-in routes plus extensions; {@link #start(int)} binds all interfaces. */
    public static final class Builder {

        private final PrometheusMeterRegistry registry;
        private final Supplier<KafkaStreams.State> streamsState;
        private final List<Consumer<JavalinConfig>> extensions = new ArrayList<>();

        private Builder(PrometheusMeterRegistry registry, Supplier<KafkaStreams.State> streamsState) {
            this.registry = registry;
            this.streamsState = streamsState;
        }

        /** Adds routes or other configuration, applied after the built-in routes in the order added. */
        public Builder extension(Consumer<JavalinConfig> extension) {
            extensions.add(extension);
            return this;
        }

        public PulseHttpServer start(int port) {
            List<String> served = new ArrayList<>();
            Javalin javalin = Javalin.create(config -> {
                config.showJavalinBanner = false;
                // Before any route: Javalin reports the routes added after a listener, not those before it.
                config.events.handlerAdded(h -> served.add(h.getHttpMethod() + " " + h.getPath()));
                config.router.mount(routes -> {
                    routes.get(METRICS_PATH, ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape()));
                    routes.get(HEALTH_PATH, ctx -> ctx.result("UP"));
                    routes.get(READY_PATH, ctx -> {
                        KafkaStreams.State state = streamsState.get();
                        ctx.status(state == KafkaStreams.State.RUNNING ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                                .result(state.name());
                    });
                });
                extensions.forEach(extension -> extension.accept(config));
            });
            try {
                javalin.start(port);
            } catch (RuntimeException e) {
                javalin.stop();
                throw new IllegalStateException("Cannot start the HTTP server on port " + port + ": " + e.getMessage(), e);
            }
            return new PulseHttpServer(javalin, served);
        }
    }
}
