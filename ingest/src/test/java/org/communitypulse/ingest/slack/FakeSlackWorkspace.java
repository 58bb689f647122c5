package org.communitypulse.ingest.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server answering like Slack's Web API for {@code conversations.history},
 * {@code conversations.replies} and {@code users.list}, over a workspace the test grows while it runs.
 *
 * <p>Answers have the shape of the examples in Slack's method docs (the recorded ones are in
 * {@code src/test/resources/slack-api}): {@code ok}, {@code messages} newest first for history and parent first
 * then oldest first for replies, {@code has_more}, {@code response_metadata.next_cursor}; a thread parent carries
 * {@code thread_ts}, {@code reply_count}, {@code reply_users}, {@code latest_reply}; a reply carries
 * {@code thread_ts} and {@code parent_user_id}. {@code oldest}/{@code latest}/{@code inclusive}/{@code limit}/
 * {@code cursor} are honoured. Errors are Slack's: {@code invalid_auth} without the token,
 * {@code channel_not_found}, {@code not_in_channel} for channels marked so.
 *
 * <p>Rate limits: each method has a budget per window ({@link #limit}); a call past it is answered HTTP 429 with
 * {@code Retry-After} (whole seconds until the window has room), and a call that comes back sooner than it was
 * told is counted as an {@link #earlyRetries() early retry}. Public for the cli module's tests (test-jar).
 */
public final class FakeSlackWorkspace implements AutoCloseable {

    public static final String TOKEN = "xoxb-test-0123456789-abcdefghij";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, List<ObjectNode>> channels = new ConcurrentHashMap<>();
    private final Set<String> notInChannel = ConcurrentHashMap.newKeySet();
    private final List<ObjectNode> users = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> budgets = new ConcurrentHashMap<>();
    private volatile Duration window = Duration.ofMinutes(1);
    private final Map<String, Deque<Long>> accepted = new HashMap<>();
    private final Map<String, Long> notBefore = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger earlyRetries = new AtomicInteger();
    private final Map<String, Deque<String>> recorded = new ConcurrentHashMap<>();
    private final List<Map<String, String>> queries = new CopyOnWriteArrayList<>();

    public FakeSlackWorkspace() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    /** The Web API base, as {@code https://slack.com/api/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    /** At most {@code calls} calls of {@code method} per {@code per}; more are answered 429. */
    public FakeSlackWorkspace limit(String method, int calls, Duration per) {
        budgets.put(method, calls);
        window = per;
        return this;
    }

    public FakeSlackWorkspace channel(String id) {
        channels.putIfAbsent(id, new CopyOnWriteArrayList<>());
        return this;
    }

    /** The bot was removed from the channel: every read answers {@code not_in_channel}. */
    public FakeSlackWorkspace kickedFrom(String id) {
        channel(id);
        notInChannel.add(id);
        return this;
    }

    /** A top-level message as the history lists it; returns it (to reply to). */
    public ObjectNode post(String channel, String user, String ts, String text) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        message.put("user", user);
        message.put("text", text);
        message.put("ts", ts);
        channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(message);
        return message;
    }

    /** A reply in the thread of {@code parentTs}. */
    public ObjectNode reply(String channel, String parentTs, String user, String ts, String text) {
        ObjectNode parent = find(channel, parentTs);
        ObjectNode reply = JSON.createObjectNode();
        reply.put("type", "message");
        reply.put("user", user);
        reply.put("text", text);
        reply.put("thread_ts", parentTs);
        reply.put("parent_user_id", parent.path("user").asText());
        reply.put("ts", ts);
        channels.get(channel).add(reply);
        return reply;
    }

    /** A message of a bot (listed, never counted). */
    public ObjectNode botMessage(String channel, String ts, String text) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        message.put("subtype", "bot_message");
        message.put("bot_id", "B0BOT");
        message.put("text", text);
        message.put("ts", ts);
        channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(message);
        return message;
    }

    /** A member of users.list, shaped as the method's documented example. */
    public ObjectNode user(String id, boolean admin, boolean deleted, long updated) {
        ObjectNode user = JSON.createObjectNode();
        user.put("id", id);
        user.put("team_id", "T012AB3C4");
        user.put("name", id.toLowerCase());
        user.put("deleted", deleted);
        user.put("real_name", id.toLowerCase());
        user.putObject("profile").put("display_name", id.toLowerCase());
        user.put("is_admin", admin);
        user.put("is_owner", false);
        user.put("is_bot", false);
        user.put("updated", updated);
        users.add(user);
        return user;
    }

    /** Answers {@code method} once with {@code body} (e.g. a recorded documented response), before the workspace. */
    public FakeSlackWorkspace answerOnce(String method, JsonNode body) {
        recorded.computeIfAbsent(method, m -> new java.util.concurrent.ConcurrentLinkedDeque<>()).add(body.toString());
        return this;
    }

    /** The decoded query of every admitted call, in order, with its method under {@code "method"}. */
    public List<Map<String, String>> queries() {
        return List.copyOf(queries);
    }

    /** Calls of {@code method} received, refused ones included. */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** Calls answered 429. */
    public int rateLimited() {
        return rateLimited.get();
    }

    /** Calls that came back before the Retry-After they had been given. */
    public int earlyRetries() {
        return earlyRetries.get();
    }

    private ObjectNode find(String channel, String ts) {
        return channels.get(channel).stream().filter(m -> m.path("ts").asText().equals(ts)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no message " + channel + "/" + ts));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            long wait = admit(method);
            if (wait > 0) {
                rateLimited.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", Long.toString(wait));
                send(exchange, 429, "{\"ok\":false,\"error\":\"ratelimited\"}");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + TOKEN).equals(auth)) {
                send(exchange, 200, "{\"ok\":false,\"error\":\"invalid_auth\"}");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Map<String, String> logged = new LinkedHashMap<>(query);
            logged.put("method", method);
            queries.add(logged);
            Deque<String> once = recorded.get(method);
            String fixed = once == null ? null : once.poll();
            if (fixed != null) {
                send(exchange, 200, fixed);
                return;
            }
            ObjectNode body = switch (method) {
                case "conversations.history" -> history(query);
                case "conversations.replies" -> replies(query);
                case "users.list" -> page(new ArrayList<>(users), query, "members");
                default -> error("unknown_method");
            };
            send(exchange, 200, JSON.writeValueAsString(body));
        }
    }

    /** 0 when the call fits the method's budget, else the seconds to wait. */
    private synchronized long admit(String method) {
        Integer budget = budgets.get(method);
        if (budget == null) {
            return 0;
        }
        long now = System.nanoTime();
        Long allowed = notBefore.remove(method);
        if (allowed != null && now < allowed) {
            earlyRetries.incrementAndGet();
        }
        Deque<Long> times = accepted.computeIfAbsent(method, m -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= window.toNanos()) {
            times.removeFirst();
        }
        if (times.size() < budget) {
            times.addLast(now);
            return 0;
        }
        long nanos = times.isEmpty() ? window.toNanos() : times.peekFirst() + window.toNanos() - now;
        long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        notBefore.put(method, now + Duration.ofSeconds(seconds).toNanos() - Duration.ofMillis(50).toNanos());
        return seconds;
    }

    private ObjectNode history(Map<String, String> query) {
        String channel = query.get("channel");
        ObjectNode refused = refused(channel);
        if (refused != null) {
            return refused;
        }
        List<ObjectNode> listed = new ArrayList<>();
        for (ObjectNode message : channels.get(channel)) {
            boolean reply = message.has("thread_ts") && !message.path("thread_ts").asText().equals(
                    message.path("ts").asText());
            if (!reply && inRange(message.path("ts").asText(), query)) {
                listed.add(withThread(channel, message));
            }
        }
        listed.sort(Comparator.comparing((ObjectNode m) -> new BigDecimal(m.path("ts").asText())).reversed());
        ObjectNode body = page(listed, query, "messages");
        body.put("pin_count", 0);
        return body;
    }

    private ObjectNode replies(Map<String, String> query) {
        String channel = query.get("channel");
        ObjectNode refused = refused(channel);
        if (refused != null) {
            return refused;
        }
        String ts = query.get("ts");
        ObjectNode parent = channels.get(channel).stream().filter(m -> m.path("ts").asText().equals(ts))
                .findFirst().orElse(null);
        if (parent == null) {
            return error("thread_not_found");
        }
        List<ObjectNode> listed = new ArrayList<>();
        listed.add(withThread(channel, parent));
        List<ObjectNode> thread = new ArrayList<>();
        for (ObjectNode message : channels.get(channel)) {
            if (ts.equals(message.path("thread_ts").asText()) && !ts.equals(message.path("ts").asText())
                    && inRange(message.path("ts").asText(), query)) {
                thread.add(message);
            }
        }
        thread.sort(Comparator.comparing((ObjectNode m) -> new BigDecimal(m.path("ts").asText())));
        listed.addAll(thread);
        return page(listed, query, "messages");
    }

    /** A parent with its thread fields as of now (they change when someone replies). */
    private ObjectNode withThread(String channel, ObjectNode message) {
        String ts = message.path("ts").asText();
        List<ObjectNode> replies = channels.get(channel).stream()
                .filter(m -> ts.equals(m.path("thread_ts").asText()) && !ts.equals(m.path("ts").asText()))
                .sorted(Comparator.comparing((ObjectNode m) -> new BigDecimal(m.path("ts").asText()))).toList();
        if (replies.isEmpty()) {
            return message;
        }
        ObjectNode parent = message.deepCopy();
        parent.put("thread_ts", ts);
        parent.put("reply_count", replies.size());
        TreeSet<String> who = new TreeSet<>();
        replies.forEach(r -> who.add(r.path("user").asText()));
        ArrayNode users = parent.putArray("reply_users");
        who.forEach(users::add);
        parent.put("reply_users_count", who.size());
        parent.put("latest_reply", replies.get(replies.size() - 1).path("ts").asText());
        parent.put("subscribed", false);
        return parent;
    }

    private ObjectNode refused(String channel) {
        if (channel == null || !channels.containsKey(channel)) {
            return error("channel_not_found");
        }
        return notInChannel.contains(channel) ? error("not_in_channel") : null;
    }

    private static boolean inRange(String ts, Map<String, String> query) {
        BigDecimal value = new BigDecimal(ts);
        boolean inclusive = "true".equals(query.get("inclusive")) || "1".equals(query.get("inclusive"));
        if (query.containsKey("oldest")) {
            int c = value.compareTo(new BigDecimal(query.get("oldest")));
            if (c < 0 || c == 0 && !inclusive) {
                return false;
            }
        }
        if (query.containsKey("latest")) {
            int c = value.compareTo(new BigDecimal(query.get("latest")));
            return c < 0 || c == 0 && inclusive;
        }
        return true;
    }

    /** Cursor paging as Slack does it: an opaque cursor (here the base64 offset), empty on the last page. */
    private static ObjectNode page(List<ObjectNode> items, Map<String, String> query, String field) {
        int limit = Math.max(1, Integer.parseInt(query.getOrDefault("limit", "100")));
        // Slack's cursors decode to e.g. "next_ts:1512085861000543"; ours to "page:<index>"; a recorded one restarts.
        long at = 0;
        if (query.containsKey("cursor")) {
            String cursor = new String(java.util.Base64.getDecoder().decode(query.get("cursor")),
                    StandardCharsets.UTF_8);
            at = cursor.startsWith("page:") ? Long.parseLong(cursor.substring("page:".length())) : 0;
        }
        int from = (int) Math.min(at, items.size());
        int to = Math.min(items.size(), from + limit);
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", true);
        ArrayNode array = body.putArray(field);
        items.subList(Math.min(from, to), to).forEach(array::add);
        body.put("has_more", to < items.size());
        body.putObject("response_metadata").put("next_cursor", to < items.size()
                ? java.util.Base64.getEncoder().encodeToString(("page:" + to).getBytes(StandardCharsets.UTF_8))
                : "");
        return body;
    }

    private static ObjectNode error(String code) {
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", false);
        body.put("error", code);
        return body;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** For fixtures: a JSON file of the test resources. */
    public static JsonNode resource(String name) {
        try (var in = FakeSlackWorkspace.class.getResourceAsStream("/slack-api/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource slack-api/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
