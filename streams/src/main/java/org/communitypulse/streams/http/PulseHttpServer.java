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
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;

/**
 * The Streams application's HTTP server (Javalin): {@value #METRICS_PATH} for Prometheus,
 * {@value #HEALTH_PATH} (the process answers), {@value #READY_PATH} (Kafka Streams is RUNNING,
 * so a load balancer or orchestrator only routes to instances that hold their partitions) and
 * {@value #OPENAPI_PATH}, the OpenAPI description of every route (kept by hand beside this class;
 * {@code OpenApiTest} fails when it and the registered routes differ).
 *
 * <p>More routes (the dashboard, interactive queries) are added with {@link Builder#extension}, which
 * receives the whole Javalin configuration: routes, static files, SSE. Every request passes
 * {@link AccessControl} first (Host check, token, scope); the server binds {@link HttpSettings#host()}.
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
    static final long MAX_REQUEST_BYTES = 16 * 1024;

    private final Javalin javalin;
    private final Set<String> endpoints;

    private final HttpSettings settings;

    private PulseHttpServer(Javalin javalin, Set<String> endpoints, HttpSettings settings) {
        this.javalin = javalin;
        this.endpoints = endpoints;
        this.settings = settings;
    }

    /** What it was started with. */
    public HttpSettings settings() {
        return settings;
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

    /** Built-in routes plus extensions, behind {@link AccessControl}. */
    public static final class Builder {

        private final PrometheusMeterRegistry registry;
        private final Supplier<KafkaStreams.State> streamsState;
        private final List<Consumer<JavalinConfig>> extensions = new ArrayList<>();
        private Set<String> ownNames = Set.of();

        private Builder(PrometheusMeterRegistry registry, Supplier<KafkaStreams.State> streamsState) {
            this.registry = registry;
            this.streamsState = streamsState;
        }

        /** Adds routes or other configuration, applied after the built-in routes in the order added. */
        public Builder extension(Consumer<JavalinConfig> extension) {
            extensions.add(extension);
            return this;
        }

        /** Names under which other instances reach this one (its advertised host): accepted as Host headers. */
        public Builder ownNames(Set<String> names) {
            this.ownNames = Set.copyOf(names);
            return this;
        }

        public PulseHttpServer start(HttpSettings settings) {
            byte[] openApi = openApi();
            Set<String> endpoints = new ConcurrentSkipListSet<>();
            AccessControl access = new AccessControl(settings, ownNames);
            Javalin javalin = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                // Nothing the API accepts is large: the login form is the only body.
                config.http.maxRequestSize = MAX_REQUEST_BYTES;
                config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
                // A client trickling a body holds a thread; the idle timeout alone does not catch one that
                // sends a byte just often enough.
                config.jetty.modifyServer(server -> server.insertHandler(
                        new MinimumDataRateHandler(settings.minRequestDataRate(), 0)));
                config.jetty.addConnector((server, http) -> {
                    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                    connector.setHost(AccessControl.isWildcard(settings.host()) ? null : settings.host());
                    connector.setPort(settings.port());
                    connector.setIdleTimeout(settings.idleTimeout().toMillis());
                    return connector;
                });
                // First, so that it sees every route, extensions' included: the OpenAPI test compares them.
                config.events.handlerAdded(info -> {
                    if (info.getHttpMethod().isHttpMethod()) {
                        endpoints.add(info.getHttpMethod() + " " + info.getPath());
                    }
                });
                access.install(config);
                config.routes.get(OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openApi));
                config.routes.get(METRICS_PATH,
                        ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape()));
                config.routes.get(HEALTH_PATH, ctx -> ctx.result("UP"));
                config.routes.get(READY_PATH, ctx -> {
                    KafkaStreams.State state = streamsState.get();
                    ctx.status(state == KafkaStreams.State.RUNNING ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                            .result(state.name());
                });
                extensions.forEach(extension -> extension.accept(config));
            });
            try {
                javalin.start();
            } catch (RuntimeException e) {
                javalin.stop();
                throw new IllegalStateException("Cannot start the HTTP server on " + settings.host() + " port "
                        + settings.port() + ": " + e.getMessage(), e);
            }
            return new PulseHttpServer(javalin, endpoints, settings);
        }
    }
}
