package org.communitypulse.ingest.discourse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local HTTP server answering like a Discourse forum: fixed JSON per path and query, or JSON computed per query
 * for a path, a 401 unless the right {@code Api-Key} header is sent, 404 for anything unknown, and scripted
 * answers (e.g. a 429) served once before the normal one. Public for the connect module's tests (test-jar).
 */
public final class FakeDiscourseForum implements AutoCloseable {

    public static final String KEY = "test-key-0123456789abcdef";
    public static final String USER = "system";

    private final HttpServer server;
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, Function<String, String>> routes = new ConcurrentHashMap<>();
    private final Map<String, Queue<int[]>> before = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimits = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeDiscourseForum() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code json} at {@code pathAndQuery} (query decoded, e.g. {@code /t/1.json} or {@code /x?page=1}). */
    public FakeDiscourseForum serve(String pathAndQuery, String json) {
        bodies.put(pathAndQuery, json);
        return this;
    }

    /**
     * Serves at {@code path} the JSON {@code answer} makes of the decoded query (null without one) when asked, so
     * the answer may change while the server runs; a fixed body for the exact path and query wins.
     */
    public FakeDiscourseForum route(String path, Function<String, String> answer) {
        routes.put(path, answer);
        return this;
    }

    /** Answers the next request for {@code pathAndQuery} with 429 and {@code Retry-After: retryAfterSeconds}. */
    public FakeDiscourseForum rateLimitOnce(String pathAndQuery, int retryAfterSeconds) {
        before.computeIfAbsent(pathAndQuery, p -> new ArrayDeque<>()).add(new int[] {429, retryAfterSeconds});
        return this;
    }

    /** Answers the next {@code n} requests, whatever they ask, with 429 and {@code Retry-After: 1}. */
    public FakeDiscourseForum rateLimitNext(int n) {
        rateLimits.addAndGet(n);
        return this;
    }

    /** 429 answers given so far. */
    public int rateLimited() {
        return rateLimited.get();
    }

    /** Answers every request for {@code pathAndQuery} with {@code status} (no body). */
    public FakeDiscourseForum fail(String pathAndQuery, int status) {
        bodies.put(pathAndQuery, "status:" + status);
        return this;
    }

    /** Requests seen, path and decoded query. */
    public List<String> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String query = uri.getRawQuery();
        String key = uri.getPath() + (query == null ? "" : "?" + URLDecoder.decode(query, StandardCharsets.UTF_8));
        requests.add(key);
        if (!KEY.equals(exchange.getRequestHeaders().getFirst(DiscourseApiClient.API_KEY_HEADER))
                || !USER.equals(exchange.getRequestHeaders().getFirst(DiscourseApiClient.API_USERNAME_HEADER))) {
            reply(exchange, 401, "{\"errors\":[\"You are not permitted to view the requested resource.\"]}");
            return;
        }
        Queue<int[]> scripted = before.get(key);
        int[] next = rateLimits.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? new int[] {429, 1}
                : scripted == null ? null : scripted.poll();
        if (next != null) {
            rateLimited.incrementAndGet();
            exchange.getResponseHeaders().add("Retry-After", String.valueOf(next[1]));
            reply(exchange, next[0], "{\"errors\":[\"Slow down\"],\"error_type\":\"rate_limit\",\"extras\":{\"wait_seconds\":"
                    + next[1] + "}}");
            return;
        }
        String body = bodies.get(key);
        Function<String, String> route = routes.get(uri.getPath());
        if (body == null && route != null) {
            body = route.apply(query == null ? null : URLDecoder.decode(query, StandardCharsets.UTF_8));
        }
        if (body == null) {
            reply(exchange, 404, "{\"errors\":[\"not found\"]}");
        } else if (body.startsWith("status:")) {
            reply(exchange, Integer.parseInt(body.substring("status:".length())), "{}");
        } else {
            reply(exchange, 200, body);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
