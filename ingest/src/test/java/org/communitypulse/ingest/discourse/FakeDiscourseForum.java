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

/**
 * A local HTTP server answering like a Discourse forum: fixed JSON per path and query, a 401 unless the right
 * {@code Api-Key} header is sent, 404 for anything unknown, and scripted answers (e.g. a 429) served once before
 * the normal one.
 */
final class FakeDiscourseForum implements AutoCloseable {

    static final String KEY = "test-key-0123456789abcdef";
    static final String USER = "system";

    private final HttpServer server;
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, Queue<int[]>> before = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    FakeDiscourseForum() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code json} at {@code pathAndQuery} (query decoded, e.g. {@code /t/1.json} or {@code /x?page=1}). */
    FakeDiscourseForum serve(String pathAndQuery, String json) {
        bodies.put(pathAndQuery, json);
        return this;
    }

    /** Answers the next request for {@code pathAndQuery} with 429 and {@code Retry-After: retryAfterSeconds}. */
    FakeDiscourseForum rateLimitOnce(String pathAndQuery, int retryAfterSeconds) {
        before.computeIfAbsent(pathAndQuery, p -> new ArrayDeque<>()).add(new int[] {429, retryAfterSeconds});
        return this;
    }

    /** Answers every request for {@code pathAndQuery} with {@code status} (no body). */
    FakeDiscourseForum fail(String pathAndQuery, int status) {
        bodies.put(pathAndQuery, "status:" + status);
        return this;
    }

    /** Requests seen, path and decoded query. */
    List<String> requests() {
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
        int[] next = scripted == null ? null : scripted.poll();
        if (next != null) {
            exchange.getResponseHeaders().add("Retry-After", String.valueOf(next[1]));
            reply(exchange, next[0], "{\"errors\":[\"Slow down\"],\"error_type\":\"rate_limit\",\"extras\":{\"wait_seconds\":"
                    + next[1] + "}}");
            return;
        }
        String body = bodies.get(key);
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
