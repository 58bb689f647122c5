package org.communitypulse.systemtests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Discourse forum in the test: topics, posts, likes and users are created while it runs; each creation is
 * delivered as the signed webhook(s) Discourse sends ({@code topic_created} + {@code post_created} for a new
 * topic, {@code post_created}, {@code post_liked}, {@code user_created}; shapes of ingest's recorded samples) to
 * every subscriber, once: a delivery that fails is lost, as after Discourse's last retry. The API answers in the
 * documented shapes: {@code /posts.json} (latest posts, newest first, {@value #PAGE} a page, {@code before}),
 * {@code /admin/users/list/active.json?order=created&page=N} (newest first, {@value #PAGE} a page),
 * {@code /post_action_users.json?id=&post_action_type_id=2}; with a request budget: every
 * {@code budget}-th request is answered 429 with {@code Retry-After: 1}, as Discourse's per-minute API limit.
 */
final class FakeDiscourse implements AutoCloseable {

    static final String KEY = "gap-it-api-key-0123456789";
    static final String USER = "system";
    static final int PAGE = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String secret;
    private final Map<String, URI> subscribers = new ConcurrentHashMap<>();
    private final NavigableMap<Long, ObjectNode> posts = new TreeMap<>();
    private final NavigableMap<Long, ObjectNode> users = new TreeMap<>();
    private final Map<Long, List<ObjectNode>> likers = new ConcurrentHashMap<>();
    private final AtomicLong nextPost = new AtomicLong(100);
    private final AtomicLong nextTopic = new AtomicLong(10);
    private final AtomicLong nextDelivery = new AtomicLong(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final List<Long> retryAfterWaitsMillis = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failedDeliveries = new ConcurrentHashMap<>();
    private volatile int budget = Integer.MAX_VALUE;
    private volatile long lastLimitedNanos;

    FakeDiscourse(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Delivers every later webhook to {@code endpoint} under {@code name} (replacing an earlier one). */
    void subscribe(String name, URI endpoint) {
        subscribers.put(name, endpoint);
    }

    /** Every {@code n}-th API request is answered 429 with Retry-After: 1. */
    void budget(int n) {
        budget = n;
    }

    /** Starts counting requests, 429s and Retry-After waits afresh (and the budget's cycle with them). */
    void resetRequestCounts() {
        requests.set(0);
        rateLimited.set(0);
        retryAfterWaitsMillis.clear();
        lastLimitedNanos = 0;
    }

    int requests() {
        return requests.get();
    }

    int rateLimited() {
        return rateLimited.get();
    }

    /** For each 429: how long until the next request came. */
    List<Long> retryAfterWaitsMillis() {
        return retryAfterWaitsMillis;
    }

    int failedDeliveries(String subscriber) {
        return failedDeliveries.getOrDefault(subscriber, new AtomicInteger()).get();
    }

    // ------------------------------------------------------------------ activity

    synchronized long user(String username) {
        long id = 40 + users.size();
        ObjectNode user = JSON.createObjectNode().put("id", id).put("username", username).put("name", username)
                .put("created_at", now()).put("trust_level", 0).put("moderator", false).put("admin", false)
                .put("active", true);
        users.put(id, user);
        deliver("user_created", "user", user);
        return id;
    }

    /** A new topic by {@code userId} (its first post included); returns the topic's id. */
    synchronized long topic(long userId, String title) {
        long topicId = nextTopic.getAndIncrement();
        String created = now();
        ObjectNode topic = JSON.createObjectNode().put("id", topicId).put("title", title).put("fancy_title", title)
                .put("posts_count", 1).put("created_at", created).put("archetype", "regular")
                .put("slug", "topic-" + topicId).put("category_id", 5).put("user_id", userId);
        topic.putArray("tags").add("gap");
        topic.putObject("details").putObject("created_by").put("id", userId).put("username", username(userId));
        deliver("topic_created", "topic", topic);
        post(userId, topicId, 1, created);
        return topicId;
    }

    /** The id of a topic's first post. */
    synchronized long firstPost(long topicId) {
        return posts.values().stream().filter(p -> p.get("topic_id").asLong() == topicId).findFirst()
                .orElseThrow().get("id").asLong();
    }

    synchronized long reply(long userId, long topicId) {
        int number = (int) posts.values().stream().filter(p -> p.get("topic_id").asLong() == topicId).count() + 1;
        return post(userId, topicId, number, now());
    }

    synchronized void like(long userId, long postId) {
        ObjectNode post = posts.get(postId);
        ObjectNode liker = JSON.createObjectNode().put("id", userId).put("username", username(userId))
                .put("name", username(userId)).put("avatar_template", "/user_avatar/x/{size}/1.png");
        likers.computeIfAbsent(postId, p -> new CopyOnWriteArrayList<>()).add(liker);
        int count = likers.get(postId).size();
        ((ArrayNode) post.get("actions_summary")).removeAll().addObject().put("id", 2).put("count", count);
        ObjectNode like = JSON.createObjectNode();
        like.set("post", post.deepCopy().without(List.of("actions_summary", "cooked")));
        like.putObject("user").put("id", userId).put("username", username(userId)).put("name", username(userId));
        deliver("post_liked", "like", like);
    }

    private long post(long userId, long topicId, int number, String created) {
        long id = nextPost.getAndIncrement();
        ObjectNode post = JSON.createObjectNode().put("id", id).put("name", username(userId))
                .put("username", username(userId)).put("created_at", created)
                .put("cooked", "<p>post " + id + "</p>").put("post_number", number).put("post_type", 1)
                .put("updated_at", created).put("reply_count", 0).put("topic_id", topicId)
                .put("topic_slug", "topic-" + topicId).put("topic_title", "Topic " + topicId)
                .put("category_id", 5).put("user_id", userId);
        post.putNull("reply_to_post_number");
        post.putArray("actions_summary");
        posts.put(id, post);
        ObjectNode delivered = post.deepCopy().without(List.of("actions_summary"));
        delivered.put("topic_archetype", "regular");
        deliver("post_created", "post", delivered);
        return id;
    }

    private String username(long userId) {
        ObjectNode user = users.get(userId);
        return user == null ? "u" + userId : user.get("username").asText();
    }

    /** Discourse's timestamps: ISO-8601 with milliseconds; a millisecond apart so order is kept. */
    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private void deliver(String event, String wrapper, ObjectNode body) {
        ObjectNode payload = JSON.createObjectNode();
        payload.set(wrapper, body);
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        long delivery = nextDelivery.getAndIncrement();
        subscribers.forEach((name, endpoint) -> {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("X-Discourse-Instance", url().toString())
                    .header("X-Discourse-Event-Id", Long.toString(delivery))
                    .header("X-Discourse-Event-Type", wrapper)
                    .header("X-Discourse-Event", event)
                    .header("X-Discourse-Event-Signature", "sha256=" + hmac(bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(name + " answered " + response.statusCode() + " to " + event
                            + ": " + response.body());
                }
            } catch (IOException e) {
                // The receiver is down: Discourse retries a few times, then the delivery is lost.
                failedDeliveries.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int n = requests.incrementAndGet();
            if (lastLimitedNanos != 0) {
                retryAfterWaitsMillis.add((System.nanoTime() - lastLimitedNanos) / 1_000_000);
                lastLimitedNanos = 0;
            }
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("Api-Key"))
                    || !USER.equals(exchange.getRequestHeaders().getFirst("Api-Username"))) {
                reply(exchange, 403, "{\"errors\":[\"You are not permitted to view the requested resource.\"],"
                        + "\"error_type\":\"invalid_access\"}");
                return;
            }
            if (n % budget == 0) {
                rateLimited.incrementAndGet();
                lastLimitedNanos = System.nanoTime();
                exchange.getResponseHeaders().add("Retry-After", "1");
                reply(exchange, 429, "{\"errors\":[\"You’ve performed this action too many times. Please wait 1 "
                        + "second before trying again.\"],\"error_type\":\"rate_limit\",\"extras\":{\"wait_seconds\":1}}");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI());
            String body;
            synchronized (this) {
                body = switch (exchange.getRequestURI().getPath()) {
                    case "/posts.json" -> latestPosts(query);
                    case "/admin/users/list/active.json" -> usersPage(query);
                    case "/post_action_users.json" -> likers(query);
                    default -> null;
                };
            }
            if (body == null) {
                reply(exchange, 404, "{\"errors\":[\"The requested URL or resource could not be found.\"],"
                        + "\"error_type\":\"not_found\"}");
            } else {
                reply(exchange, 200, body);
            }
        }
    }

    private String latestPosts(Map<String, String> query) {
        long before = query.containsKey("before") ? Long.parseLong(query.get("before")) : Long.MAX_VALUE;
        ObjectNode out = JSON.createObjectNode();
        ArrayNode page = out.putArray("latest_posts");
        posts.headMap(before, false).descendingMap().values().stream().limit(PAGE).forEach(page::add);
        return out.toString();
    }

    private String usersPage(Map<String, String> query) {
        int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
        boolean ascending = query.containsKey("asc");
        List<ObjectNode> ordered = new ArrayList<>(ascending ? users.values() : users.descendingMap().values());
        ArrayNode out = JSON.createArrayNode();
        ordered.stream().skip((long) (page - 1) * PAGE).limit(PAGE).forEach(out::add);
        return out.toString();
    }

    private String likers(Map<String, String> query) {
        if (!"2".equals(query.get("post_action_type_id")) || !query.containsKey("id")) {
            return null;
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("post_action_users");
        likers.getOrDefault(Long.parseLong(query.get("id")), List.of()).forEach(list::add);
        return out.toString();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new TreeMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static String randomSuffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
