package org.communitypulse.connect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A local HTTP server answering {@code GET /posts.json[?before=ID]} as Discourse documents it (latest posts
 * across topics, newest first, {@value #PAGE} a page), with posts added while it runs; 401 without the right
 * {@code Api-Key}; scripted 429s with {@code Retry-After}.
 */
final class FakeForum implements AutoCloseable {

    static final String KEY = "forum-key-for-tests-only";
    /** Small pages, so polls page through {@code before}. */
    static final int PAGE = 4;

    private final HttpServer server;
    private final NavigableMap<Long, String> posts = new ConcurrentSkipListMap<>();
    private final AtomicInteger rateLimits = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    FakeForum() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a post of {@code topic}; post_number 1 opens the topic. */
    void post(long id, long topic, int postNumber, int postType) {
        posts.put(id, "{\"id\":" + id + ",\"topic_id\":" + topic + ",\"post_number\":" + postNumber
                + ",\"post_type\":" + postType + ",\"user_id\":" + (10 + id % 4) + ",\"category_id\":3"
                + ",\"username\":\"u" + (id % 4) + "\",\"cooked\":\"<p>post " + id + "</p>\""
                + ",\"created_at\":\"2024-06-0" + (1 + id % 9) + "T10:00:00.000Z\"}");
    }

    /** The next {@code n} requests get 429 with {@code Retry-After: 1}. */
    void rateLimitNext(int n) {
        rateLimits.addAndGet(n);
    }

    /** 429 answers given so far. */
    int rateLimited() {
        return rateLimited.get();
    }

    List<String> requests() {
        return requests;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        requests.add(exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query));
        if (!KEY.equals(exchange.getRequestHeaders().getFirst("Api-Key"))) {
            reply(exchange, 401, "{\"errors\":[\"not permitted\"]}");
            return;
        }
        if (rateLimits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            rateLimited.incrementAndGet();
            exchange.getResponseHeaders().add("Retry-After", "1");
            reply(exchange, 429, "{\"errors\":[\"Slow down\"],\"extras\":{\"wait_seconds\":1}}");
            return;
        }
        if (!"/posts.json".equals(exchange.getRequestURI().getPath())) {
            reply(exchange, 404, "{\"errors\":[\"not found\"]}");
            return;
        }
        long before = query != null && query.startsWith("before=") ? Long.parseLong(query.substring(7))
                : Long.MAX_VALUE;
        String page = posts.headMap(before, false).descendingMap().values().stream().limit(PAGE)
                .collect(Collectors.joining(","));
        reply(exchange, 200, "{\"latest_posts\":[" + page + "]}");
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
