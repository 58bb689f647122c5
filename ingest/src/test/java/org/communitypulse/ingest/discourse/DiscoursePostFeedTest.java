package org.communitypulse.ingest.discourse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscoursePostFeedTest {

    private FakeDiscourseForum forum;
    private final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void startForum() throws IOException {
        // Posts 1..12, newest first, 5 a page, as /posts.json pages with before=<id>.
        forum = new FakeDiscourseForum()
                .serve("/posts.json", page(12, 8))
                .serve("/posts.json?before=8", page(7, 3))
                .serve("/posts.json?before=3", page(2, 1))
                .serve("/posts.json?before=1", "{\"latest_posts\":[]}");
    }

    @AfterEach
    void stopForum() {
        forum.close();
    }

    private DiscoursePostFeed feed() {
        return new DiscoursePostFeed(new DiscourseApiClient(
                DiscourseApiClient.Settings.of(forum.url(), FakeDiscourseForum.KEY, FakeDiscourseForum.USER),
                waits::add));
    }

    private static List<Long> ids(List<com.fasterxml.jackson.databind.JsonNode> posts) {
        return posts.stream().map(DiscoursePostFeed::idOf).toList();
    }

    @Test
    void shouldReturnNewerPostsOldestFirstWhenPagingBackToKnownPost() {
        assertThat(ids(feed().postsAfter(5))).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(forum.requests()).containsExactly("/posts.json", "/posts.json?before=8");
    }

    @Test
    void shouldReadWholeForumWhenStartingFromZero() {
        assertThat(ids(feed().postsAfter(0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 12).boxed().toList());
    }

    @Test
    void shouldReadOnePageWhenNothingNew() {
        assertThat(feed().postsAfter(12)).isEmpty();
        assertThat(forum.requests()).containsExactly("/posts.json");
    }

    @Test
    void shouldWaitOutRateLimitWhenPaging() {
        forum.rateLimitOnce("/posts.json?before=8", 2);
        assertThat(ids(feed().postsAfter(4))).hasSize(8);
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    private static String page(long newest, long oldest) {
        return "{\"latest_posts\":[" + LongStream.rangeClosed(oldest, newest).boxed()
                .sorted((a, b) -> Long.compare(b, a))
                .map(id -> "{\"id\":" + id + ",\"topic_id\":9,\"post_number\":" + id + ",\"post_type\":1}")
                .collect(Collectors.joining(",")) + "]}";
    }
}
