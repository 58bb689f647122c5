package org.communitypulse.connect;

import java.io.IOException;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import org.communitypulse.ingest.discourse.FakeDiscourseForum;

/**
 * A local Discourse (ingest's {@link FakeDiscourseForum}) answering {@code GET /posts.json[?before=ID]} as
 * Discourse documents it (latest posts across topics, newest first, {@value #PAGE} a page), with posts added while
 * it runs; 401 without the right {@code Api-Key}; scripted 429s with {@code Retry-After}.
 */
final class FakeForum implements AutoCloseable {

    static final String KEY = FakeDiscourseForum.KEY;
    /** Small pages, so polls page through {@code before}. */
    static final int PAGE = 4;

    private final FakeDiscourseForum forum;
    private final NavigableMap<Long, String> posts = new ConcurrentSkipListMap<>();

    FakeForum() throws IOException {
        forum = new FakeDiscourseForum().route("/posts.json", this::page);
    }

    String url() {
        return forum.url().toString();
    }

    /** Adds a post of {@code topic}; post_number 1 opens the topic. */
    void post(long id, long topic, int postNumber, int postType) {
        post(id, topic, postNumber, postType, "2024-06-0" + (1 + id % 9) + "T10:00:00.000Z");
    }

    /** Adds a post of {@code topic} created at {@code createdAt} (ISO-8601, as Discourse writes it). */
    void post(long id, long topic, int postNumber, int postType, String createdAt) {
        posts.put(id, "{\"id\":" + id + ",\"topic_id\":" + topic + ",\"post_number\":" + postNumber
                + ",\"post_type\":" + postType + ",\"user_id\":" + (10 + id % 4) + ",\"category_id\":3"
                + ",\"username\":\"u" + (id % 4) + "\",\"cooked\":\"<p>post " + id + "</p>\""
                + ",\"created_at\":\"" + createdAt + "\"}");
    }

    /** The next {@code n} requests get 429 with {@code Retry-After: 1}. */
    void rateLimitNext(int n) {
        forum.rateLimitNext(n);
    }

    /** 429 answers given so far. */
    int rateLimited() {
        return forum.rateLimited();
    }

    List<String> requests() {
        return forum.requests();
    }

    private String page(String query) {
        long before = query != null && query.startsWith("before=") ? Long.parseLong(query.substring(7))
                : Long.MAX_VALUE;
        String page = posts.headMap(before, false).descendingMap().values().stream().limit(PAGE)
                .collect(Collectors.joining(","));
        return "{\"latest_posts\":[" + page + "]}";
    }

    @Override
    public void close() {
        forum.close();
    }
}
