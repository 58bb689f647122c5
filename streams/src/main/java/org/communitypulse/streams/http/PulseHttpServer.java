package org.communitypulse.streams.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Streams application's HTTP server (Javalin): {@value #METRICS_PATH} for Prometheus,
 * {@value #HEALTH_PATH} (the process answers), {@value #READY_PATH} (Kafka Streams is RUNNING,
 * so a load balancer or orchestrator only routes to instances that hold their partitions) and
 * {@value #OPENAPI_PATH}, the OpenAPI description of every route (kept by hand beside this class;
 * {@code OpenApiTest} fails when it and the registered routes differ).
 *
 * <p>More routes (the dashboard, interactive queries) are added with {@link Builder#extension}, which
 * receives the whole Javalin configuration: routes, static files, SSE.
 */
public final class PulseHttpServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String HEALTH_PATH = "/health";
    public static final String READY_PATH = "/ready";
    /** The OpenAPI 3 description of every route, kept as a resource beside this class. */
    public static final String OPENAPI_PATH = "/api/openapi.json";
    static final String OPENAPI_RESOURCE = "openapi.json";
    /** Prometheus text exposition format 0.0.4, which every Prometheus version scrapes. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin javalin;
    private final Set<String> endpoints;

    private PulseHttpServer(Javalin javalin, Set<String> endpoints) {
        this.javalin = javalin;
        this.endpoints = endpoints;
    }

    public static Builder builder(PrometheusMeterRegistry registry, Supplier<KafkaStreams.State> streamsState) {
        return new Builder(registry, streamsState);
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public int port() {
        return javalin.port();
    }

    /** Every route registered, built-in or by an extension, as {@code "GET /api/communities/{id}"}. */
    public Set<String> endpoints() {
        return Collections.unmodifiableSet(endpoints);
    }

    /** The OpenAPI document served at {@value #OPENAPI_PATH}. */
    static byte[] openApi() {
        try (InputStream in = PulseHttpServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            byte[] openApi = openApi();
            Set<String> endpoints = new ConcurrentSkipListSet<>();
            Javalin javalin = Javalin.create(config -> {
                config.showJavalinBanner = false;
                // First, so that it sees every route, extensions' included: the OpenAPI test compares them.
                config.events.handlerAdded(info -> endpoints.add(info.getHttpMethod() + " " + info.getPath()));
                config.router.mount(routes -> {
                    routes.get(OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openApi));
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
            return new PulseHttpServer(javalin, endpoints);
        }
    }
}
