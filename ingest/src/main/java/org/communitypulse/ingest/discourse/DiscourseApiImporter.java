package org.communitypulse.ingest.discourse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.internals.ImportRun;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;

/**
 * Imports a live Discourse forum through its REST API, mapping every item exactly as the saved-JSON import
 * ({@link DiscourseExportImporter}) and the webhooks do ({@link DiscourseItems}), so ids agree whichever way an
 * item came in:
 * <ol>
 *   <li>members: {@code /admin/users/list/active.json?order=created&asc=true&page=N} from page 1 until an empty
 *       page (an admin key is needed; without one the forum answers 403, which is rejected with that reason and
 *       the topics are still imported). Role events carry the time the page was read;</li>
 *   <li>topics: {@code /latest.json?order=created&ascending=true&page=N} from page 0 until a page without
 *       {@code more_topics_url}. Oldest first, so topics created during the import only add pages at the end
 *       instead of shifting the ones still to read;</li>
 *   <li>posts: {@code /t/{id}.json} gives the first posts and the ids of all ({@code post_stream.stream}); the
 *       rest come {@value #POSTS_PER_REQUEST} at a time from {@code /t/{id}/posts.json?post_ids[]=...}.</li>
 * </ol>
 * Memory holds one topic's posts at a time. Progress counts items (users + topics) against the forum's
 * {@code /about.json} totals, in place of bytes. A topic that cannot be read (deleted meanwhile, a category the
 * API user may not see) is rejected with its URL and the import goes on; a refused key (401), a wrong URL (404
 * on {@code /latest.json}) or a forum that keeps failing stops the import with a {@link DiscourseApiException}.
 */
public final class DiscourseApiImporter {

    public static final String USERS_PATH = "/admin/users/list/active.json";
    public static final String LATEST_PATH = "/latest.json";
    /** Post ids asked for per request, Discourse's own chunk size for post streams. */
    public static final int POSTS_PER_REQUEST = 20;

    private final DiscourseItems items;
    private final Clock clock;

    public DiscourseApiImporter(MemberPseudonymiser members) {
        this(members, Clock.systemUTC());
    }

    public DiscourseApiImporter(MemberPseudonymiser members, Clock clock) {
        this.items = new DiscourseItems(Objects.requireNonNull(members, "members"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Imports members, topics and posts of the forum {@code api} reads, then flushes the sink.
     *
     * @throws DiscourseApiException when the forum cannot be read at all (key refused, wrong URL, keeps failing)
     * @throws org.communitypulse.ingest.ImportException when the sink fails
     */
    public ImportSummary run(DiscourseApiClient api, String communityId, EventSink sink, ProgressListener progress) {
        ImportRun run = new ImportRun(communityId, sink, progress, expectedItems(api));
        long[] done = {0};
        importUsers(api, communityId, run, done);
        importTopics(api, communityId, run, done);
        run.summary().note("discourse api: requests", api.requests());
        run.summary().note("discourse api: retries (429, 5xx, network)", api.retries());
        run.summary().note("discourse api: HTTP 429 answers", api.rateLimited());
        return run.finish();
    }

    /** Users + topics per {@code /about.json}, or 0 (unknown) when the forum does not say. */
    private static long expectedItems(DiscourseApiClient api) {
        JsonNode stats;
        try {
            stats = api.get("/about.json").path("about").path("stats");
        } catch (DiscourseApiException e) {
            if (e.status() == 401) {
                throw e;
            }
            return 0;
        }
        return count(stats, "user_count", "users_count") + count(stats, "topic_count", "topics_count");
    }

    private static long count(JsonNode stats, String name, String newerName) {
        JsonNode n = stats.has(name) ? stats.get(name) : stats.path(newerName);
        return n.canConvertToLong() ? Math.max(0, n.asLong()) : 0;
    }

    private void importUsers(DiscourseApiClient api, String communityId, ImportRun run, long[] done) {
        for (int page = 1; ; page++) {
            String path = USERS_PATH + "?order=created&asc=true&page=" + page;
            JsonNode body;
            try {
                body = api.get(path);
            } catch (DiscourseApiException e) {
                if (e.status() == 403 || e.status() == 404) {
                    run.reject(path, 0, e.getMessage() + "; members and roles not imported");
                    return;
                }
                throw e;
            }
            JsonNode users = body.isArray() ? body : body.path("users");
            if (!users.isArray()) {
                run.reject(path, 0, "expected an array of users");
                return;
            }
            if (users.isEmpty()) {
                return;
            }
            Instant asOf = clock.instant();
            long row = 0;
            for (JsonNode user : users) {
                row++;
                run.mapRow(path, row, () -> items.user(user, communityId, asOf, run.summary()));
                run.at(path, ++done[0], done[0], false);
            }
            run.summary().rowsRead(USERS_PATH, row);
        }
    }

    private void importTopics(DiscourseApiClient api, String communityId, ImportRun run, long[] done) {
        Set<String> seen = new HashSet<>();
        for (int page = 0; ; page++) {
            String path = LATEST_PATH + "?order=created&ascending=true&page=" + page;
            JsonNode list = api.get(path).path("topic_list");
            JsonNode topics = list.path("topics");
            if (!topics.isArray()) {
                run.reject(path, 0, "expected topic_list.topics to be an array");
                return;
            }
            boolean anyNew = false;
            for (JsonNode summary : topics) {
                String id = summary.path("id").asText("");
                if (id.isEmpty() || !seen.add(id)) {
                    continue;
                }
                anyNew = true;
                importTopic(api, id, communityId, run);
                // One or more requests per topic: slow enough to report each (the console throttles itself).
                run.at("/t/" + id + ".json", ++done[0], done[0], true);
            }
            // A page of topics already read means the paging went around: stop rather than loop.
            if (topics.isEmpty() || !anyNew || !list.hasNonNull("more_topics_url")) {
                return;
            }
        }
    }

    private void importTopic(DiscourseApiClient api, String id, String communityId, ImportRun run) {
        String path = "/t/" + id + ".json";
        JsonNode topic;
        List<JsonNode> posts;
        try {
            topic = api.get(path);
            posts = allPosts(api, id, topic, run);
        } catch (DiscourseApiException e) {
            if (e.status() == 401) {
                throw e;
            }
            run.reject(path, 0, e.getMessage());
            return;
        }
        if (posts == null) {
            run.reject(path, 0, "post_stream.posts must be an array");
            return;
        }
        for (JsonNode post : posts) {
            run.mapRow(path, 0, () -> items.post(topic, post, communityId));
        }
        run.summary().rowsRead("/t/{id}.json posts", posts.size());
    }

    /** The topic's posts in stream order, fetching those the first page left out; null if malformed. */
    private static List<JsonNode> allPosts(DiscourseApiClient api, String topicId, JsonNode topic, ImportRun run) {
        JsonNode stream = topic.path("post_stream");
        if (!stream.path("posts").isArray()) {
            return null;
        }
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        stream.get("posts").forEach(post -> byId.put(post.path("id").asText(""), post));
        List<String> order = new ArrayList<>();
        stream.path("stream").forEach(postId -> order.add(postId.asText()));
        List<String> missing = order.stream().filter(postId -> !byId.containsKey(postId)).toList();
        for (int from = 0; from < missing.size(); from += POSTS_PER_REQUEST) {
            StringBuilder query = new StringBuilder("/t/" + topicId + "/posts.json?");
            for (String postId : missing.subList(from, Math.min(missing.size(), from + POSTS_PER_REQUEST))) {
                query.append(query.charAt(query.length() - 1) == '?' ? "" : "&").append("post_ids%5B%5D=")
                        .append(postId);
            }
            api.get(query.toString()).path("post_stream").path("posts")
                    .forEach(post -> byId.put(post.path("id").asText(""), post));
        }
        if (order.isEmpty()) {
            return new ArrayList<>(byId.values());
        }
        List<JsonNode> ordered = new ArrayList<>(order.size());
        for (String postId : order) {
            JsonNode post = byId.remove(postId);
            if (post != null) {
                ordered.add(post);
            } else {
                run.summary().skipped("discourse:post listed in the stream but not returned (deleted?)");
            }
        }
        // Posts the stream did not list (should not happen) are still imported, after the others.
        ordered.addAll(byId.values());
        return ordered;
    }
}
