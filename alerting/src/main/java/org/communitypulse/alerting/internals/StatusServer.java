package org.communitypulse.alerting.internals;

import io.javalin.Javalin;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * GET /metrics (Prometheus text), /health and /ready of the delivery service, with the limits of a server
 * that reads no request body: bodies over {@link #MAX_REQUEST_BYTES} get 413, headers over
 * {@link #MAX_HEADER_BYTES} 431, and a connection idle for the configured timeout is closed.
 */
public final class StatusServer implements AutoCloseable {

    /** The endpoints take no body; a little room for clients that send an empty form anyway. */
    public static final int MAX_REQUEST_BYTES = 8 * 1024;
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Bodies are never read here; kept for the day one is (a trickled body must not hold a thread). */
    private static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;

    private final Javalin app;

    /**
     * @param scrape     the Prometheus text of /metrics
     * @param ready      whether /ready answers 200 (else 503 with {@code notReady} as status)
     */
    public StatusServer(String host, int port, long idleTimeoutMs, Supplier<String> scrape, BooleanSupplier ready,
                        String notReady) {
        app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
                http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
                http.setSendServerVersion(false);
            });
            // Javalin attaches its servlet context inside a wrapper set here.
            javalin.jetty.modifyServer(server -> server.setHandler(new SizeLimitHandler(MAX_REQUEST_BYTES, -1)));
            // One connector of our own: Javalin's default one cannot be given an idle timeout.
            javalin.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setIdleTimeout(idleTimeoutMs);
                return connector;
            });
            javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(scrape.get()));
            javalin.routes.get("/health", ctx -> ctx.json(Map.of("status", "up")));
            javalin.routes.get("/ready", ctx -> {
                boolean ok = ready.getAsBoolean();
                ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ready" : notReady));
            });
        });
    }

    public StatusServer start() {
        app.start();
        return this;
    }

    /** The port listened on (useful with port 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
