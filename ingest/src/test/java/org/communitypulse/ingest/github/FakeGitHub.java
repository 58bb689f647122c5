package org.communitypulse.ingest.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A local GitHub API for one repository, built from GitHub's documented example answers (the fixtures of
 * {@code src/test/resources/github-poll/rest}: each new item is a copy of the documented one with its own id,
 * number, author and times), growing while it runs. For every item it also gives the webhook delivery GitHub
 * would send ({@link Delivery}), so a test can deliver some and leave others to the poller.
 *
 * <p>Behaves as GitHub documents: {@code since} (updated at or after), {@code sort=updated&direction=asc},
 * {@code per_page} and {@code page} with a {@code Link: <...>; rel="next"} header, an {@code ETag} per answer and
 * {@code 304} on a matching {@code If-None-Match} (not counted against the limit), a primary rate limit of
 * {@link #limit} requests per window ({@code X-RateLimit-Limit/Remaining/Reset}; a request beyond it gets 403
 * and is counted as {@link #overLimit()}), scripted secondary limits (403 with {@code Retry-After}), 401 without
 * the token. Discussions answer the poller's GraphQL query (newest update first, paged with {@code after}).
 * Public for the connect and cli tests (test-jar).
 */
public final class FakeGitHub implements AutoCloseable {

    public static final String TOKEN = "ghp_test0123456789abcdefghijklmnopqrstu";
    public static final String OWNER = "octo-org";
    public static final String NAME = "octo-repo";
    public static final String FULL_NAME = OWNER + "/" + NAME;
    public static final long REPOSITORY_ID = 1296269;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A webhook delivery of an item: {@code X-GitHub-Event} and its body. */
    public record Delivery(String event, JsonNode payload) {
    }

    /** One request as the server saw it. */
    public record Request(Instant at, String method, String pathAndQuery, int status) {
    }

    private final HttpServer server;
    private final Clock clock;
    private final int limit;
    private final long windowMillis;
    private final int pageSize;
    private final ObjectNode repository;
    private final List<ObjectNode> issues = new ArrayList<>();
    private final List<ObjectNode> comments = new ArrayList<>();
    private final List<ObjectNode> reviewComments = new ArrayList<>();
    private final Map<Long, List<ObjectNode>> reviews = new HashMap<>();
    /** Discussions as GitHub's GraphQL answers them (the poller's query), comments nested. */
    private final List<ObjectNode> discussions = new ArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private long nextId = 5000;
    private int nextNumber = 1;
    private int remaining;
    private Instant reset;
    private int secondaryLimits;
    private int overLimit;
    private int notModified;
    private int secondaryLimited;

    /**
     * @param limit        requests per window (GitHub: 5,000 an hour for a token)
     * @param windowMillis length of a rate-limit window
     * @param pageSize     most items a page holds, whatever {@code per_page} asks (small, so lists page)
     */
    public FakeGitHub(int limit, long windowMillis, int pageSize) throws IOException {
        this.clock = Clock.systemUTC();
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.pageSize = pageSize;
        this.remaining = limit;
        this.reset = clock.instant().plusMillis(windowMillis);
        repository = (ObjectNode) GitHubPollFixtures.rest("repository").deepCopy();
        repository.put("id", REPOSITORY_ID).put("name", NAME).put("full_name", FULL_NAME);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Opens an issue (or a pull request) by {@code user} at {@code at}. */
    public synchronized Delivery open(boolean pull, long user, Instant at) {
        int number = nextNumber++;
        ObjectNode issue = (ObjectNode) GitHubPollFixtures.rest("issues").get(0).deepCopy();
        String html = "https://github.com/" + FULL_NAME + (pull ? "/pull/" : "/issues/") + number;
        issue.put("id", nextId++).put("number", number).put("html_url", html)
                .put("url", "https://api.github.com/repos/" + FULL_NAME + "/issues/" + number)
                .put("created_at", at.toString()).put("updated_at", at.toString());
        issue.set("user", user(user));
        if (pull) {
            issue.putObject("pull_request").put("url", "https://api.github.com/repos/" + FULL_NAME + "/pulls/"
                    + number).put("html_url", html);
            reviews.put((long) number, new ArrayList<>());
        } else {
            issue.remove("pull_request");
        }
        issues.add(issue);
        ObjectNode payload = envelope("opened", user);
        payload.set(pull ? "pull_request" : "issue", issue.deepCopy());
        return new Delivery(pull ? "pull_request" : "issues", payload);
    }

    /** Comments on issue or pull request {@code number}; its {@code updated_at} moves, as on GitHub. */
    public synchronized Delivery comment(int number, long user, Instant at) {
        ObjectNode issue = issue(number);
        ObjectNode comment = (ObjectNode) GitHubPollFixtures.rest("issues-comments").get(0).deepCopy();
        long id = nextId++;
        String on = issue.hasNonNull("pull_request") ? "/pull/" : "/issues/";
        comment.put("id", id).put("html_url", "https://github.com/" + FULL_NAME + on + number + "#issuecomment-" + id)
                .put("issue_url", "https://api.github.com/repos/" + FULL_NAME + "/issues/" + number)
                .put("url", "https://api.github.com/repos/" + FULL_NAME + "/issues/comments/" + id)
                .put("created_at", at.toString()).put("updated_at", at.toString());
        comment.set("user", user(user));
        comments.add(comment);
        touch(issue, at);
        ObjectNode payload = envelope("created", user);
        payload.set("issue", issue.deepCopy());
        payload.set("comment", comment.deepCopy());
        return new Delivery("issue_comment", payload);
    }

    /** Submits a review of pull request {@code number}. */
    public synchronized Delivery review(int number, long user, Instant at) {
        ObjectNode pull = issue(number);
        ObjectNode review = (ObjectNode) GitHubPollFixtures.rest("pulls-1-reviews").get(0).deepCopy();
        long id = nextId++;
        review.put("id", id).put("submitted_at", at.toString())
                .put("html_url", "https://github.com/" + FULL_NAME + "/pull/" + number + "#pullrequestreview-" + id)
                .put("pull_request_url", "https://api.github.com/repos/" + FULL_NAME + "/pulls/" + number);
        review.set("user", user(user));
        reviews.get((long) number).add(review);
        touch(pull, at);
        ObjectNode payload = envelope("submitted", user);
        payload.set("pull_request", pull.deepCopy());
        payload.set("review", review.deepCopy());
        return new Delivery("pull_request_review", payload);
    }

    /** Comments on a line of pull request {@code number}. */
    public synchronized Delivery reviewComment(int number, long user, Instant at) {
        ObjectNode pull = issue(number);
        ObjectNode comment = (ObjectNode) GitHubPollFixtures.rest("pulls-comments").get(0).deepCopy();
        long id = nextId++;
        comment.put("id", id).put("created_at", at.toString()).put("updated_at", at.toString())
                .put("pull_request_url", "https://api.github.com/repos/" + FULL_NAME + "/pulls/" + number)
                .put("html_url", "https://github.com/" + FULL_NAME + "/pull/" + number + "#discussion_r" + id);
        comment.remove("in_reply_to_id");
        comment.set("user", user(user));
        reviewComments.add(comment);
        touch(pull, at);
        ObjectNode payload = envelope("created", user);
        payload.set("pull_request", pull.deepCopy());
        payload.set("comment", comment.deepCopy());
        return new Delivery("pull_request_review_comment", payload);
    }

    /** Starts a discussion (a Q&A one when {@code answerable}); numbered with the issues, as on GitHub. */
    public synchronized Delivery discuss(long user, Instant at, boolean answerable) {
        int number = nextNumber++;
        ObjectNode node = JSON.createObjectNode();
        node.put("number", number).put("createdAt", at.toString()).put("updatedAt", at.toString());
        node.set("author", author(user));
        node.putObject("category").put("isAnswerable", answerable);
        node.putObject("comments").putArray("nodes");
        discussions.add(node);
        ObjectNode payload = envelope("created", user);
        payload.set("discussion", discussionPayload(node));
        return new Delivery("discussion", payload);
    }

    /** Comments on discussion {@code number}, or replies to comment {@code parentId} (null: top level). */
    public synchronized Delivery discussionComment(int number, Long parentId, long user, Instant at) {
        ObjectNode discussion = discussions.stream().filter(d -> d.get("number").asInt() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no discussion " + number));
        long id = nextId++;
        ObjectNode comment = JSON.createObjectNode();
        comment.put("databaseId", id).put("createdAt", at.toString()).put("updatedAt", at.toString());
        comment.set("author", author(user));
        ArrayNode top = (ArrayNode) discussion.get("comments").get("nodes");
        if (parentId == null) {
            comment.putObject("replies").putArray("nodes");
            top.add(comment);
        } else {
            comment.putObject("replyTo").put("databaseId", parentId);
            for (JsonNode candidate : top) {
                if (candidate.get("databaseId").asLong() == parentId) {
                    ((ArrayNode) candidate.get("replies").get("nodes")).add(comment);
                }
            }
        }
        discussion.put("updatedAt", at.toString());
        ObjectNode payload = envelope("created", user);
        payload.set("discussion", discussionPayload(discussion));
        ObjectNode webhookComment = JSON.createObjectNode();
        webhookComment.put("id", id).put("created_at", at.toString()).put("updated_at", at.toString());
        if (parentId != null) {
            webhookComment.put("parent_id", parentId);
        } else {
            webhookComment.putNull("parent_id");
        }
        webhookComment.set("user", user(user));
        payload.set("comment", webhookComment);
        return new Delivery("discussion_comment", payload);
    }

    /** The webhook's {@code discussion} object of a GraphQL node, as in GitHub's documented payload. */
    private ObjectNode discussionPayload(ObjectNode node) {
        int number = node.get("number").asInt();
        ObjectNode discussion = JSON.createObjectNode();
        discussion.put("number", number).put("title", "Discussion " + number)
                .put("html_url", "https://github.com/" + FULL_NAME + "/discussions/" + number)
                .put("created_at", node.get("createdAt").asText()).put("updated_at", node.get("updatedAt").asText());
        discussion.set("user", user(node.get("author").get("databaseId").asLong()));
        discussion.putObject("category").put("is_answerable", node.get("category").get("isAnswerable").asBoolean());
        return discussion;
    }

    private static ObjectNode author(long id) {
        ObjectNode author = JSON.createObjectNode();
        author.put("databaseId", id).put("login", "user" + id);
        return author;
    }

    /** Edits issue {@code number} at {@code at} (only its {@code updated_at} changes: the poller sees it again). */
    public synchronized void edit(int number, Instant at) {
        touch(issue(number), at);
    }

    /** The next {@code n} requests get a secondary rate limit: 403 with {@code Retry-After: 1}. */
    public synchronized void secondaryLimitNext(int n) {
        secondaryLimits += n;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests refused because the primary limit was spent: a client that waits for the reset sends none. */
    public synchronized int overLimit() {
        return overLimit;
    }

    /** Answers 304 Not Modified. */
    public synchronized int notModified() {
        return notModified;
    }

    /** Answers 403 for a secondary limit. */
    public synchronized int secondaryLimited() {
        return secondaryLimited;
    }

    /** The primary limit per window. */
    public int limit() {
        return limit;
    }

    private ObjectNode issue(int number) {
        return issues.stream().filter(i -> i.get("number").asInt() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no issue " + number));
    }

    private static void touch(ObjectNode item, Instant at) {
        if (Instant.parse(item.get("updated_at").asText()).isBefore(at)) {
            item.put("updated_at", at.toString());
        }
    }

    private static ObjectNode user(long id) {
        ObjectNode user = JSON.createObjectNode();
        user.put("login", "user" + id).put("id", id).put("type", "User");
        return user;
    }

    private ObjectNode envelope(String action, long sender) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("action", action);
        payload.set("repository", repository.deepCopy());
        payload.set("sender", user(sender));
        return payload;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            answer(exchange);
        }
    }

    private synchronized void answer(HttpExchange exchange) throws IOException {
        Instant now = clock.instant();
        URI uri = exchange.getRequestURI();
        String query = uri.getRawQuery() == null ? "" : URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8);
        String key = uri.getPath() + (query.isEmpty() ? "" : "?" + query);
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        JsonNode graphqlBody = requestBody.length == 0 ? JSON.createObjectNode() : JSON.readTree(requestBody);
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, key, 401, "{\"message\":\"Bad credentials\"}", null);
            return;
        }
        if (!now.isBefore(reset)) {
            remaining = limit;
            reset = now.plusMillis(windowMillis);
        }
        rateHeaders(exchange);
        if (remaining <= 0) {
            overLimit++;
            reply(exchange, key, 403, "{\"message\":\"API rate limit exceeded for user ID 1.\"}", null);
            return;
        }
        if (secondaryLimits > 0) {
            secondaryLimits--;
            secondaryLimited++;
            exchange.getResponseHeaders().set("Retry-After", "1");
            reply(exchange, key, 403, "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few "
                    + "minutes before you try again.\"}", null);
            return;
        }
        String body = body(uri.getPath(), params(query), exchange, graphqlBody);
        if (body == null) {
            remaining--;
            rateHeaders(exchange);
            reply(exchange, key, 404, "{\"message\":\"Not Found\"}", null);
            return;
        }
        String etag = "W/\"" + sha1(body) + "\"";
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            notModified++;
            exchange.getResponseHeaders().set("ETag", etag);
            reply(exchange, key, 304, null, null);
            return;
        }
        remaining--;
        rateHeaders(exchange);
        reply(exchange, key, 200, body, etag);
    }

    private void rateHeaders(HttpExchange exchange) {
        exchange.getResponseHeaders().set("X-RateLimit-Limit", String.valueOf(limit));
        exchange.getResponseHeaders().set("X-RateLimit-Remaining", String.valueOf(Math.max(0, remaining)));
        // GitHub's reset is whole epoch seconds; rounding up keeps a client from coming back before the reset.
        long resetSeconds = (reset.toEpochMilli() + 999) / 1000;
        exchange.getResponseHeaders().set("X-RateLimit-Reset", String.valueOf(resetSeconds));
        exchange.getResponseHeaders().set("X-RateLimit-Resource", "core");
    }

    private String body(String path, Map<String, String> params, HttpExchange exchange, JsonNode graphqlBody)
            throws IOException {
        String repo = "/repos/" + FULL_NAME;
        if ("POST".equals(exchange.getRequestMethod()) && "/graphql".equals(path)) {
            return discussionsPage(graphqlBody);
        }
        if (path.equals(repo)) {
            return JSON.writeValueAsString(repository);
        }
        if (path.equals("/orgs/" + OWNER + "/repos")) {
            ArrayNode repos = JSON.createArrayNode();
            repos.add(repository);
            return JSON.writeValueAsString(repos);
        }
        if (path.equals(repo + "/issues")) {
            return page(issues, "updated_at", params, path, exchange);
        }
        if (path.equals(repo + "/issues/comments")) {
            return page(comments, "updated_at", params, path, exchange);
        }
        if (path.equals(repo + "/pulls/comments")) {
            return page(reviewComments, "updated_at", params, path, exchange);
        }
        if (path.startsWith(repo + "/pulls/") && path.endsWith("/reviews")) {
            String number = path.substring((repo + "/pulls/").length(), path.length() - "/reviews".length());
            List<ObjectNode> of = reviews.get(Long.parseLong(number));
            return of == null ? null : page(of, "submitted_at", params, path, exchange);
        }
        return null;
    }

    /**
     * {@code repository.discussions(first, after, orderBy: UPDATED_AT DESC)}: the query's own variables decide
     * the page ({@code after} is the index reached, as an opaque cursor).
     */
    private String discussionsPage(JsonNode request) throws IOException {
        JsonNode variables = request.path("variables");
        if (!OWNER.equals(variables.path("owner").asText()) || !NAME.equals(variables.path("name").asText())) {
            return "{\"data\":{\"repository\":null},\"errors\":[{\"type\":\"NOT_FOUND\",\"message\":"
                    + "\"Could not resolve to a Repository\"}]}";
        }
        List<ObjectNode> newest = discussions.stream()
                .sorted(Comparator.comparing((ObjectNode d) -> d.get("updatedAt").asText()).reversed()).toList();
        int from = variables.hasNonNull("after") ? Integer.parseInt(variables.get("after").asText()) : 0;
        int to = Math.min(newest.size(), from + pageSize);
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode connection = answer.putObject("data").putObject("repository").putObject("discussions");
        connection.putObject("pageInfo").put("hasNextPage", to < newest.size()).put("endCursor", String.valueOf(to));
        ArrayNode nodes = connection.putArray("nodes");
        newest.subList(Math.min(from, to), to).forEach(nodes::add);
        return JSON.writeValueAsString(answer);
    }

    private String page(List<ObjectNode> items, String order, Map<String, String> params, String path,
                        HttpExchange exchange) throws IOException {
        Instant since = params.containsKey("since") ? Instant.parse(params.get("since")) : Instant.EPOCH;
        Predicate<ObjectNode> updated = item -> !Instant.parse(item.path("updated_at").asText(
                item.path(order).asText())).isBefore(since);
        List<ObjectNode> listed = items.stream().filter(updated)
                .sorted(Comparator.comparing((ObjectNode item) -> item.path(order).asText())
                        .thenComparing(item -> item.path("id").asLong()))
                .toList();
        int size = Math.min(pageSize, Integer.parseInt(params.getOrDefault("per_page", "30")));
        int page = Integer.parseInt(params.getOrDefault("page", "1"));
        int from = Math.min(listed.size(), (page - 1) * size);
        int to = Math.min(listed.size(), from + size);
        if (to < listed.size()) {
            StringBuilder next = new StringBuilder(url() + path + "?");
            params.forEach((k, v) -> {
                if (!"page".equals(k)) {
                    next.append(k).append('=').append(v).append('&');
                }
            });
            next.append("page=").append(page + 1);
            exchange.getResponseHeaders().add("Link", "<" + next + ">; rel=\"next\"");
        }
        ArrayNode array = JSON.createArrayNode();
        listed.subList(from, to).forEach(array::add);
        return JSON.writeValueAsString(array);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return params;
    }

    private void reply(HttpExchange exchange, String key, int status, String body, String etag) throws IOException {
        requests.add(new Request(clock.instant(), exchange.getRequestMethod(), key, status));
        if (etag != null) {
            exchange.getResponseHeaders().set("ETag", etag);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String sha1(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static {
        // Fail early, not in a request thread, when a fixture is missing.
        try {
            GitHubPollFixtures.rest("repository");
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
