package org.communitypulse.streams.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the Streams application's HTTP server listens and whom it answers (docs/dashboard.md, "Access").
 *
 * @param host               interface to bind: 127.0.0.1 by default, 0.0.0.0 in containers
 * @param port               0 picks a free port
 * @param tokens             the accepted tokens; empty only when authentication is switched off
 * @param metricsPublic      /metrics answers without a token (Prometheus scrapes by IP, without credentials)
 * @param allowedHosts       Host header names accepted besides the localhost names; "*" accepts any
 * @param corsOrigins        origins allowed to call the API from a browser page of theirs; empty: no CORS headers
 * @param maxSseClients      live-update (server-sent events) connections at once; more get 503
 * @param idleTimeout        a connection with nothing to read or write for this long is closed
 * @param minRequestDataRate bytes per second below which a request body upload is aborted (slow-body clients)
 */
public record HttpSettings(String host, int port, Optional<AccessTokens> tokens, boolean metricsPublic,
                           Set<String> allowedHosts, List<String> corsOrigins, int maxSseClients,
                           Duration idleTimeout, long minRequestDataRate) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_SSE_CLIENTS = 64;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_REQUEST_DATA_RATE = 1024;
    /** As an allowed host: accept any Host header (no DNS-rebinding protection). */
    public static final String ANY_HOST = "*";

    public HttpSettings {
        allowedHosts = Set.copyOf(allowedHosts);
        corsOrigins = List.copyOf(corsOrigins);
        if (maxSseClients < 1) {
            throw new IllegalArgumentException("maxSseClients must be at least 1");
        }
    }

    /** Loopback only, with {@code tokens}, the other settings at their defaults. */
    public static HttpSettings local(int port, AccessTokens tokens) {
        return new HttpSettings(DEFAULT_HOST, port, Optional.of(tokens), true, Set.of(), List.of(),
                DEFAULT_MAX_SSE_CLIENTS, DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_REQUEST_DATA_RATE);
    }

    public HttpSettings withMaxSseClients(int max) {
        return new HttpSettings(host, port, tokens, metricsPublic, allowedHosts, corsOrigins, max, idleTimeout,
                minRequestDataRate);
    }

    public HttpSettings withCorsOrigins(List<String> origins) {
        return new HttpSettings(host, port, tokens, metricsPublic, allowedHosts, origins, maxSseClients, idleTimeout,
                minRequestDataRate);
    }

    public HttpSettings withMetricsPublic(boolean open) {
        return new HttpSettings(host, port, tokens, open, allowedHosts, corsOrigins, maxSseClients, idleTimeout,
                minRequestDataRate);
    }

    public HttpSettings withPort(int newPort) {
        return new HttpSettings(host, newPort, tokens, metricsPublic, allowedHosts, corsOrigins, maxSseClients,
                idleTimeout, minRequestDataRate);
    }

    public HttpSettings withAllowedHosts(Set<String> hosts) {
        return new HttpSettings(host, port, tokens, metricsPublic, hosts, corsOrigins, maxSseClients, idleTimeout,
                minRequestDataRate);
    }

    public HttpSettings withIdleTimeout(Duration timeout) {
        return new HttpSettings(host, port, tokens, metricsPublic, allowedHosts, corsOrigins, maxSseClients, timeout,
                minRequestDataRate);
    }
}
