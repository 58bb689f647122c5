package org.communitypulse.ingest.discourse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.ImportSamples;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscourseApiImporterTest {

    private static final String COMMUNITY = "forum";
    private static final String USERS_PAGE = DiscourseApiImporter.USERS_PATH + "?order=created&asc=true&page=";
    private static final String LATEST_PAGE = DiscourseApiImporter.LATEST_PATH + "?order=created&ascending=true&page=";

    private FakeDiscourseForum forum;
    private final List<Duration> waits = new ArrayList<>();
    private final List<ProgressListener.Progress> progress = new ArrayList<>();

    @BeforeEach
    void startForum() throws IOException {
        forum = new FakeDiscourseForum()
                .serve("/about.json", "{\"about\":{\"stats\":{\"topic_count\":2,\"user_count\":4}}}")
                .serve(USERS_PAGE + 1, sample("admin/users/list/active.json"))
                .serve(USERS_PAGE + 2, "[]")
                .serve(LATEST_PAGE + 0, latest(List.of(1001), true))
                .serve(LATEST_PAGE + 1, latest(List.of(1002), false))
                .serve("/t/1001.json", sample("t/1001.json"))
                .serve("/t/1002.json", longTopic(1002, 25, 20))
                .serve("/t/1002/posts.json?post_ids[]=6021&post_ids[]=6022&post_ids[]=6023&post_ids[]=6024"
                        + "&post_ids[]=6025", postsOf(1002, 21, 25));
    }

    @AfterEach
    void stopForum() {
        forum.close();
    }

    private DiscourseApiClient client(String key) {
        return new DiscourseApiClient(DiscourseApiClient.Settings.of(forum.url(), key, FakeDiscourseForum.USER),
                waits::add);
    }

    private ImportSummary importForum(CollectingEventSink sink) {
        return new DiscourseApiImporter(MemberPseudonymiser.none(),
                Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC))
                .run(client(FakeDiscourseForum.KEY), COMMUNITY, sink, progress::add);
    }

    @Test
    void shouldGiveSavedJsonEventIdsWhenSameForumFetchedByUrl() {
        CollectingEventSink fetched = new CollectingEventSink();
        importForum(fetched);
        CollectingEventSink saved = new CollectingEventSink();
        new DiscourseExportImporter(MemberPseudonymiser.none())
                .run(ImportSamples.path("discourse", "saved"), COMMUNITY, saved, ProgressListener.NONE);

        Set<String> fetchedIds = fetched.events().stream().map(ActivityEvent::getEventId).collect(Collectors.toSet());
        assertThat(saved.events()).isNotEmpty().allSatisfy(e -> assertThat(fetchedIds).contains(e.getEventId()));
        ActivityEvent topic = fetched.events().stream().filter(e -> e.getType() == EventType.THREAD_CREATED
                && e.getThreadId().equals("1001")).findFirst().orElseThrow();
        assertThat(topic.getChannel()).isEqualTo("5");
    }

    @Test
    void shouldFetchWholePostStreamInChunksWhenTopicLongerThanOnePage() {
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importForum(sink);

        List<ActivityEvent> topic1002 = sink.events().stream().filter(e -> "1002".equals(e.getThreadId())).toList();
        assertThat(topic1002).hasSize(25);
        assertThat(topic1002.get(0).getType()).isEqualTo(EventType.THREAD_CREATED);
        assertThat(topic1002.subList(1, 25)).allMatch(e -> e.getType() == EventType.REPLY_CREATED);
        assertThat(forum.requests()).filteredOn(r -> r.startsWith("/t/1002/posts.json")).hasSize(1);
        // 4 users (one rejected: no id) -> 3 joins + 4 roles + 3 identity observations; topic 1001 -> 2 events
        // (+1 rejected post), 1002 -> 25.
        assertThat(summary.totalEvents()).isEqualTo(10 + 2 + 25);
        assertThat(sink.events()).filteredOn(e -> e.getType() == EventType.IDENTITY_OBSERVED).hasSize(3);
        assertThat(summary.rejectedTotal()).isEqualTo(2);
        assertThat(summary.rejectedRows()).extracting(Object::toString)
                .contains("/t/1001.json:0: post 5007: 'created_at' is not an ISO-8601 date-time");
    }

    @Test
    void shouldWaitRetryAfterAndGoOnWhenForumAnswers429() {
        forum.rateLimitOnce(LATEST_PAGE + 1, 3);
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importForum(sink);

        assertThat(waits).containsExactly(Duration.ofSeconds(3));
        assertThat(forum.requests()).filteredOn((LATEST_PAGE + 1)::equals).hasSize(2);
        assertThat(summary.totalEvents()).isEqualTo(37);
        assertThat(summary.render()).contains("discourse api: HTTP 429 answers");
    }

    @Test
    void shouldBackOffExponentiallyWhenGatewayKeepsFailing() {
        forum.fail("/t/1002.json", 503);
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importForum(sink);

        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32), Duration.ofSeconds(60),
                Duration.ofSeconds(60));
        assertThat(summary.rejectedRows()).extracting(Object::toString).anySatisfy(row -> assertThat(row)
                .contains("/t/1002.json returned HTTP 503: the forum failed (9 attempts)"));
        assertThat(sink.events()).noneMatch(e -> "1002".equals(e.getThreadId()));
    }

    @Test
    void shouldNameUrlButNotKeyWhenKeyRefused() {
        assertThatThrownBy(() -> new DiscourseApiImporter(MemberPseudonymiser.none())
                .run(client("wrong-secret-key"), COMMUNITY, new CollectingEventSink(), ProgressListener.NONE))
                .isInstanceOf(DiscourseApiException.class)
                .hasMessageContaining(forum.url() + "/about.json returned HTTP 401")
                .hasMessageContaining("check the key and the API username")
                .hasMessageNotContaining("wrong-secret-key");
        assertThat(DiscourseApiClient.Settings.of(forum.url(), "wrong-secret-key", "u").toString())
                .doesNotContain("wrong-secret-key");
    }

    @Test
    void shouldStopWithUrlWhenForumNotFound() {
        forum.serve("/about.json", "{}").fail(LATEST_PAGE + 0, 404);
        assertThatThrownBy(() -> importForum(new CollectingEventSink()))
                .isInstanceOf(DiscourseApiException.class)
                .hasMessageContaining(forum.url() + LATEST_PAGE.replace("?", "?") + "0 returned HTTP 404")
                .hasMessageContaining("check the forum URL");
    }

    @Test
    void shouldRejectMembersAndImportTopicsWhenKeyIsNotAdmin() {
        forum.fail(USERS_PAGE + 1, 403);
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importForum(sink);

        assertThat(summary.rejectedRows()).extracting(Object::toString).anySatisfy(row -> assertThat(row)
                .contains("returned HTTP 403").contains("members and roles not imported"));
        assertThat(sink.events()).noneMatch(e -> e.getType() == EventType.MEMBER_JOINED);
        assertThat(summary.events(EventType.REPLY_CREATED)).isEqualTo(25);
    }

    @Test
    void shouldReportProgressAgainstForumTotalsWhenImporting() {
        importForum(new CollectingEventSink());
        ProgressListener.Progress last = progress.get(progress.size() - 1);
        assertThat(last.totalBytes()).isEqualTo(6);
        assertThat(last.bytesRead()).isEqualTo(6);
        assertThat(last.eventsProduced()).isEqualTo(37);
    }

    private static String sample(String name) {
        try {
            return Files.readString(ImportSamples.path("discourse", "saved").resolve(Path.of(name)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String latest(List<Integer> topicIds, boolean more) {
        String topics = topicIds.stream().map(id -> "{\"id\":" + id + ",\"title\":\"t" + id + "\"}")
                .collect(Collectors.joining(","));
        return "{\"users\":[],\"topic_list\":{\"per_page\":30,"
                + (more ? "\"more_topics_url\":\"/latest?order=created&ascending=true&page=1\"," : "")
                + "\"topics\":[" + topics + "]}}";
    }

    /** A topic of {@code posts} posts (ids 6001..) of which the first {@code firstPage} are inline. */
    static String longTopic(int id, int posts, int firstPage) {
        String stream = IntStream.rangeClosed(1, posts).mapToObj(n -> String.valueOf(6000 + n))
                .collect(Collectors.joining(","));
        return "{\"id\":" + id + ",\"archetype\":\"regular\",\"category_id\":7,\"post_stream\":{\"posts\":["
                + posts(id, 1, firstPage) + "],\"stream\":[" + stream + "]}}";
    }

    static String postsOf(int topicId, int from, int to) {
        return "{\"post_stream\":{\"posts\":[" + posts(topicId, from, to) + "]},\"id\":" + topicId + "}";
    }

    private static String posts(int topicId, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> "{\"id\":" + (6000 + n) + ",\"post_number\":" + n
                + ",\"post_type\":1,\"user_id\":" + (100 + n % 3) + ",\"topic_id\":" + topicId
                + ",\"created_at\":\"2024-05-10T10:" + String.format("%02d", n) + ":00.000Z\"}")
                .collect(Collectors.joining(","));
    }
}
