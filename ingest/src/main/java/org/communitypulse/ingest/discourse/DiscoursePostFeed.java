package org.communitypulse.ingest.discourse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The posts of a forum newer than a given post id, oldest first, from {@code /posts.json} (the latest posts
 * across public topics, newest first, paged with {@code before=<post id>}). Post ids grow with creation, so
 * "newer than the last published id" is a complete, repeatable position: what a poller needs.
 *
 * <p>A post with an id at or below the position that becomes visible later (a transaction that committed late)
 * is not seen: Discourse gives no other ordered change feed through its API.
 */
public final class DiscoursePostFeed {

    public static final String LATEST_POSTS_PATH = "/posts.json";

    private final DiscourseApiClient api;

    public DiscoursePostFeed(DiscourseApiClient api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    /**
     * Every post with an id greater than {@code afterPostId}, by ascending id; posts without a numeric id are
     * returned last, for the caller to reject.
     *
     * @throws DiscourseApiException when a page cannot be read
     */
    public List<JsonNode> postsAfter(long afterPostId) {
        return postsAfter(afterPostId, new ArrayList<>());
    }

    /**
     * As {@link #postsAfter(long)}, also adding to {@code read} every post of the pages it read, older ones
     * included (the latest page always: where a poller sees new likes on recent posts without more requests).
     */
    public List<JsonNode> postsAfter(long afterPostId, List<JsonNode> read) {
        TreeMap<Long, JsonNode> newer = new TreeMap<>();
        List<JsonNode> withoutId = new ArrayList<>();
        Long before = null;
        while (true) {
            JsonNode page = api.get(LATEST_POSTS_PATH + (before == null ? "" : "?before=" + before))
                    .path("latest_posts");
            if (!page.isArray() || page.isEmpty()) {
                break;
            }
            long oldest = Long.MAX_VALUE;
            for (JsonNode post : page) {
                read.add(post);
                if (!post.path("id").canConvertToLong()) {
                    withoutId.add(post);
                    continue;
                }
                long id = post.get("id").asLong();
                oldest = Math.min(oldest, id);
                if (id > afterPostId) {
                    newer.put(id, post);
                }
            }
            // Reached known posts, or a page that does not go further back (stop rather than loop).
            if (oldest <= afterPostId + 1 || (before != null && oldest >= before)) {
                break;
            }
            before = oldest;
        }
        List<JsonNode> posts = new ArrayList<>(newer.values());
        posts.addAll(withoutId);
        return posts;
    }

    /**
     * Every post the listing shows as created at or after {@code since}, by ascending id (posts without a numeric
     * id last): the pages are read back until one reaches a post created before {@code since} (ids grow with
     * creation, so older pages hold older posts). A post whose {@code created_at} does not parse is returned, for
     * the caller's mapping to reject as it would when following the forum.
     *
     * @throws DiscourseApiException when a page cannot be read
     */
    public List<JsonNode> postsCreatedSince(Instant since) {
        TreeMap<Long, JsonNode> listed = new TreeMap<>();
        List<JsonNode> withoutId = new ArrayList<>();
        Long before = null;
        while (true) {
            JsonNode page = api.get(LATEST_POSTS_PATH + (before == null ? "" : "?before=" + before))
                    .path("latest_posts");
            if (!page.isArray() || page.isEmpty()) {
                break;
            }
            long oldest = Long.MAX_VALUE;
            boolean reachedOlder = false;
            for (JsonNode post : page) {
                Instant created = createdAt(post);
                if (created != null && created.isBefore(since)) {
                    reachedOlder = true;
                    continue;
                }
                if (!post.path("id").canConvertToLong()) {
                    withoutId.add(post);
                    continue;
                }
                long id = post.get("id").asLong();
                oldest = Math.min(oldest, id);
                listed.put(id, post);
            }
            if (reachedOlder || oldest == Long.MAX_VALUE || (before != null && oldest >= before)) {
                break;
            }
            before = oldest;
        }
        List<JsonNode> posts = new ArrayList<>(listed.values());
        posts.addAll(withoutId);
        return posts;
    }

    private static Instant createdAt(JsonNode post) {
        try {
            // As the mapping reads it (Payloads.isoTime), so both agree on when a post was created.
            return post.hasNonNull("created_at") ? OffsetDateTime.parse(post.get("created_at").asText()).toInstant()
                    : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The id of a post from {@link #postsAfter}, or -1 when it has none. */
    public static long idOf(JsonNode post) {
        return post.path("id").canConvertToLong() ? post.get("id").asLong() : -1;
    }
}
