package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.communitypulse.connect.DiscoursePollerConfig;
import org.communitypulse.connect.DiscoursePollerSourceTask;
import org.communitypulse.connect.PulseConnectConfig;
import org.communitypulse.connect.standalone.FileOffsetStore;
import org.communitypulse.connect.standalone.StandaloneSourceRunner;
import org.communitypulse.ingest.http.WebhookServer;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done means" for Discourse: two pipelines (own topics, Streams app and webhook receiver) follow the
 * same forum. The reference one receives every webhook. The other one's receiver is down for a window while the
 * forum goes on creating users, topics, replies and likes, whose deliveries are lost; after the receiver is
 * back, {@code pulse poll discourse}'s runner reads the forum's API (which rate limits it) and closes the gap.
 * The daily metrics of both are then equal record for record, and everything the poller published that had
 * arrived by webhook before is counted as a duplicate by the pipeline, not as a new event.
 *
 * <p>During the outage a reconcile-only poller ({@code pulse poll discourse --reconcile-only}) recounts the forum:
 * the reconciliation shows the day GAP_OPEN with the lost threads and replies missing, then GAP_NOT_CLOSED at the
 * next recount with DATA_GAP FIRING; once the catch-up poller closed the gap, COMPLETE and DATA_GAP RESOLVED.
 */
class DiscourseGapIT extends PlatformTestBase {

    private static final String COMMUNITY = "forum";
    private static final String SECRET = "discourse-gap-it-secret";
    private static final Duration AWAIT = Duration.ofMinutes(3);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void shouldCloseTheWebhookGapWithThePollerSoDailyMetricsEqualThoseOfAnUndisturbedRun(
            @TempDir Path referenceState, @TempDir Path gapState, @TempDir Path pollState) throws Exception {
        String run = FakeDiscourse.randomSuffix();
        PulseStreamsApp reference = app("dgap-ref-" + run + ".", referenceState);
        PulseStreamsApp gapped = app("dgap-gap-" + run + ".", gapState);
        FakeDiscourse forum = new FakeDiscourse(SECRET);
        toClose.add(forum);
        forum.subscribe("reference", endpoint(receiver(reference.topics())));
        WebhookServer gappedReceiver = receiver(gapped.topics());
        forum.subscribe("gapped", endpoint(gappedReceiver));

        // Before the outage: both receive everything.
        long alice = forum.user("alice");
        long bob = forum.user("bob");
        long firstTopic = forum.topic(alice, "How do I configure the thing?");
        long bobsReply = forum.reply(bob, firstTopic);
        forum.like(alice, bobsReply);
        assertThat(forum.failedDeliveries("gapped")).isZero();

        // The outage: the forum goes on, the deliveries to the gapped receiver fail and are lost.
        gappedReceiver.close();
        long carol = forum.user("carol");
        long secondTopic = forum.topic(carol, "Where is the changelog?");
        forum.reply(alice, secondTopic);
        long carolsReply = forum.reply(carol, firstTopic);
        forum.like(bob, carolsReply);
        forum.like(carol, bobsReply);
        forum.like(alice, forum.firstPost(secondTopic));
        for (int i = 0; i < 6; i++) {
            forum.reply(i % 2 == 0 ? bob : carol, secondTopic);
        }
        int lost = forum.failedDeliveries("gapped");
        // 1 user + 2 of the new topic + 1 + 1 replies + 3 likes + 6 replies.
        assertThat(lost).isEqualTo(14);
        LocalDate outageDay = LocalDate.now(ZoneOffset.UTC);
        // Threads and replies among them: the new topic, its reply, carol's reply, 6 replies.
        long lostItems = 1 + 1 + 1 + 6;

        // While the receiver is down, the reconcile-only poller recounts the forum: the gap shows while it is open.
        awaitProcessedAndEmitted(gapped.topics().prefix() + "app", gapped, AWAIT);
        int activityBefore = CommittedTopics.readAll(gapped.topics().activity()).size();
        long recounted = reconcile(forum, gapped.topics().prefix(), pollState);
        assertThat(recounted).as("one count per day of the 7-day window, nothing else").isEqualTo(7);
        assertThat(CommittedTopics.readAll(gapped.topics().platformCounts())).hasSize(7);
        assertThat(CommittedTopics.readAll(gapped.topics().activity())).as("no activity events from a recount")
                .hasSize(activityBefore);
        Reconciliation open = awaitReconciliation(gapped.topics(), outageDay, ReconciliationStatus.GAP_OPEN);
        assertThat(open.getMissing()).isEqualTo(lostItems);
        assertThat(open.getPlatformItems()).isEqualTo(2 + lostItems);
        assertThat(open.getPipelineItems()).isEqualTo(2);
        assertThat(latestDataGap(gapped.topics())).as("no DATA_GAP at the first sight of a gap").isNull();
        // The next recount finds the gap still open: not closed by the next poll, so DATA_GAP fires.
        assertThat(reconcile(forum, gapped.topics().prefix(), pollState)).isEqualTo(7);
        Reconciliation notClosed = awaitReconciliation(gapped.topics(), outageDay,
                ReconciliationStatus.GAP_NOT_CLOSED);
        assertThat(notClosed.getMissing()).isEqualTo(lostItems);
        assertThat(notClosed.getGapSince()).isEqualTo(open.getGapSince());
        await().atMost(AWAIT).untilAsserted(() -> assertThat(latestDataGap(gapped.topics())).isNotNull()
                .extracting(Alert::getState).isEqualTo(AlertState.FIRING));
        int countsBeforeCatchUp = CommittedTopics.readAll(gapped.topics().platformCounts()).size();

        // Back up (on a new port); then the poller catches up, against an API limit of 4 requests in 5.
        forum.subscribe("gapped", endpoint(receiver(gapped.topics())));
        forum.resetRequestCounts();
        forum.budget(5);
        long sent = poll(forum, gapped.topics().prefix(), pollState);

        awaitProcessedAndEmitted(reference.topics().prefix() + "app", reference, AWAIT);
        awaitProcessedAndEmitted(gapped.topics().prefix() + "app", gapped, AWAIT);

        Map<LocalDate, DailyEngagement> expected = latest(reference.topics().dailyEngagement());
        assertThat(expected).isNotEmpty();
        assertThat(latest(gapped.topics().dailyEngagement())).as("daily metrics after the poller closed the gap")
                .isEqualTo(expected);

        // Every record on the gapped activity topic beyond the distinct event ids was counted as a duplicate.
        List<ActivityEvent> gappedEvents = events(gapped.topics().activity());
        Set<String> distinct = new HashSet<>();
        gappedEvents.forEach(e -> distinct.add(e.getEventId()));
        Set<String> referenceIds = new HashSet<>();
        events(reference.topics().activity()).forEach(e -> referenceIds.add(e.getEventId()));
        assertThat(distinct).as("the same items, by event id").isEqualTo(referenceIds);
        long duplicates = gappedEvents.size() - distinct.size();
        assertThat(metric(gapped, "duplicates-total")).isEqualTo(duplicates);
        assertThat(metric(gapped, "accepted-total")).isEqualTo(distinct.size());
        // The poller read the forum from its start: what the webhooks had delivered came again, as duplicates
        // (2 users, the first topic, its reply, the like; the topic's two webhooks were one event already).
        long polledEvents = sent - (pollCountRecords(gapped.topics()) - countsBeforeCatchUp);
        long beforeOutage = 5;
        assertThat(polledEvents).isEqualTo(distinct.size());
        assertThat(duplicates).isEqualTo(beforeOutage + 1);

        // The API's limit was honoured: each 429 was waited out for its Retry-After before the next request.
        assertThat(forum.rateLimited()).isGreaterThan(0);
        assertThat(forum.retryAfterWaitsMillis()).hasSize(forum.rateLimited()).allMatch(ms -> ms >= 950);
        // /posts.json: 3 pages of 5 and the empty one after; users: 1 page and the empty one after; likers of the
        // 3 liked posts: 9 answered, plus one repeat per 429.
        assertThat(forum.requests() - forum.rateLimited()).isEqualTo(9);
        assertThat(forum.rateLimited()).isEqualTo(2);

        // The platform's own count of threads and replies per day, for reconciliation (the recounts' other days
        // of the window: nothing on the platform, nothing in the pipeline).
        Map<LocalDate, Long> platform = platformCounts(gapped.topics());
        Map<LocalDate, Long> pipeline = new TreeMap<>();
        expected.forEach((day, daily) -> pipeline.put(day, daily.getThreads() + daily.getReplies()));
        assertThat(platform).containsAllEntriesOf(pipeline);
        platform.keySet().removeAll(pipeline.keySet());
        assertThat(platform.values()).allMatch(items -> items == 0);

        // The catch-up poller closed the gap: the reconciliation says so and DATA_GAP is resolved.
        Reconciliation complete = awaitReconciliation(gapped.topics(), outageDay, ReconciliationStatus.COMPLETE);
        assertThat(complete.getMissing()).isZero();
        assertThat(complete.getPipelineItems()).isEqualTo(complete.getPlatformItems()).isEqualTo(2 + lostItems);
        await().atMost(AWAIT).untilAsserted(() -> assertThat(latestDataGap(gapped.topics())).isNotNull()
                .extracting(Alert::getState).isEqualTo(AlertState.RESOLVED));
        assertThat(latestReconciliation(reference.topics(), outageDay)).as("the reference has no platform counts")
                .isNull();
    }

    /** One run of the reconcile-only poller ({@code --reconcile-only --once}); its records sent. */
    private long reconcile(FakeDiscourse forum, String prefix, Path state) throws InterruptedException {
        Map<String, String> props = pollerProps(forum, prefix);
        props.put(DiscoursePollerConfig.RECONCILE_ONLY_CONFIG, "true");
        props.put(DiscoursePollerConfig.RECONCILE_DAYS_CONFIG, "7");
        StandaloneSourceRunner runner = new StandaloneSourceRunner(new DiscoursePollerSourceTask(), props,
                state.resolve("discourse-reconcile-forum.offsets.json"),
                StandaloneSourceRunner.producer(kafka.bootstrapServers(), Map.of()), line -> { });
        return runner.run(true);
    }

    /** Waits until the day's latest committed reconciliation has {@code status}, and returns it. */
    private static Reconciliation awaitReconciliation(Topics topics, LocalDate day, ReconciliationStatus status) {
        return await().atMost(AWAIT).until(() -> latestReconciliation(topics, day),
                r -> r != null && r.getStatus() == status);
    }

    private static Reconciliation latestReconciliation(Topics topics, LocalDate day) {
        Reconciliation latest = null;
        for (ConsumerRecord<CommunityDayKey, Reconciliation> r : CommittedTopics.readAll(topics.reconciliation())) {
            if (r.key().getCommunityId().equals(COMMUNITY) && r.key().getDay().equals(day)) {
                latest = r.value();
            }
        }
        return latest;
    }

    /** The community's latest committed DATA_GAP alert, or null. */
    private static Alert latestDataGap(Topics topics) {
        Alert latest = null;
        for (ConsumerRecord<AlertKey, Alert> r : CommittedTopics.readAll(topics.alerts())) {
            if (r.value() != null && r.value().getCondition() == AlertCondition.DATA_GAP
                    && r.value().getCommunityId().equals(COMMUNITY)) {
                latest = r.value();
            }
        }
        return latest;
    }

    private long poll(FakeDiscourse forum, String prefix, Path state) throws InterruptedException {
        Map<String, String> props = pollerProps(forum, prefix);
        Path offsets = state.resolve("discourse-forum.offsets.json");
        List<String> progress = new ArrayList<>();
        StandaloneSourceRunner runner = new StandaloneSourceRunner(new DiscoursePollerSourceTask(), props, offsets,
                StandaloneSourceRunner.producer(kafka.bootstrapServers(), Map.of()), progress::add);
        long sent = runner.run(true);
        assertThat(progress).last().asString().contains(sent + " record(s) sent", "caught up");
        // The offsets were saved once acknowledged: a second run has nothing new but today's count.
        assertThat(new FileOffsetStore(offsets).offset(Map.of(DiscoursePollerSourceTask.PARTITION_FORUM,
                forum.url().toString(), DiscoursePollerSourceTask.PARTITION_COMMUNITY, COMMUNITY)))
                .containsKeys(DiscoursePollerSourceTask.OFFSET_POST_ID, DiscoursePollerSourceTask.OFFSET_USER_ID);
        return sent;
    }

    private Map<String, String> pollerProps(FakeDiscourse forum, String prefix) {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, COMMUNITY);
        props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.put(DiscoursePollerConfig.URL_CONFIG, forum.url().toString());
        props.put(DiscoursePollerConfig.API_KEY_CONFIG, FakeDiscourse.KEY);
        props.put(DiscoursePollerConfig.POLL_INTERVAL_MS_CONFIG, "1000");
        return props;
    }

    private PulseStreamsApp app(String prefix, Path state) throws Exception {
        PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, prefix + "app", state,
                Map.of()));
        toClose.add(app);
        app.start();
        app.awaitRunning(Duration.ofSeconds(90));
        return app;
    }

    private WebhookServer receiver(Topics topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        // One test secret posts to the test's path communities (a single-tenant set-up).
        props.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        WebhookServer server = WebhookServer.forKafka(new WebhookServerConfig(props),
                Map.of(WebhookSource.DISCOURSE.secretVariable(), SECRET), kafka.bootstrapServers(),
                topics.activity(), Map.of()).start();
        toClose.add(server);
        return server;
    }

    private static URI endpoint(WebhookServer server) {
        return URI.create("http://127.0.0.1:" + server.port() + "/webhooks/discourse/" + COMMUNITY);
    }

    /** Latest committed value per day, without the wall-clock updatedAt. */
    private static Map<LocalDate, DailyEngagement> latest(Topic<CommunityDayKey, DailyEngagement> topic) {
        Map<LocalDate, DailyEngagement> days = new TreeMap<>();
        for (ConsumerRecord<CommunityDayKey, DailyEngagement> r : CommittedTopics.readAll(topic)) {
            days.put(r.key().getDay(), DailyEngagement.newBuilder(r.value()).setUpdatedAt(Instant.EPOCH).build());
        }
        return days;
    }

    private static List<ActivityEvent> events(Topic<String, ActivityEvent> topic) {
        List<ActivityEvent> out = new ArrayList<>();
        CommittedTopics.readAll(topic).forEach(r -> out.add(r.value()));
        return out;
    }

    /** The last PlatformDayCount per day. */
    private static Map<LocalDate, Long> platformCounts(Topics topics) {
        Map<LocalDate, Long> out = new TreeMap<>();
        for (ConsumerRecord<CommunityDayKey, PlatformDayCount> r : CommittedTopics.readAll(topics.platformCounts())) {
            assertThat(r.value().getCommunityId()).isEqualTo(COMMUNITY);
            out.put(r.value().getDay(), r.value().getItems());
        }
        return out;
    }

    private static long pollCountRecords(Topics topics) {
        return CommittedTopics.readAll(topics.platformCounts()).size();
    }
}
