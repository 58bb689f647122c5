package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.communitypulse.connect.GitHubPollerConfig;
import org.communitypulse.connect.GitHubPollerSourceTask;
import org.communitypulse.connect.PulseConnectConfig;
import org.communitypulse.connect.standalone.StandaloneSourceRunner;
import org.communitypulse.ingest.github.FakeGitHub;
import org.communitypulse.ingest.github.FakeGitHub.Delivery;
import org.communitypulse.ingest.http.WebhookServer;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.webhook.WebhookSource;
import org.communitypulse.schemas.Topic;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub's webhooks miss what happens while the receiver is down, and GitHub does not redeliver: the poller closes
 * the gap. One fake GitHub (documented answers, growing) feeds two pipelines on the real broker, registry, webhook
 * receiver and Streams application: an undisturbed one receives every webhook delivery; the other's receiver is
 * stopped while activity goes on (those deliveries fail), restarted, and then the GitHub poller runs. The daily
 * metrics of both must be equal, record for record, every polled event that had been delivered counted as a
 * duplicate, and the fake's rate limits (primary, secondary) must have been waited for, never exceeded.
 *
 * <p>The reconciliation sees the gap while it is open: during the outage the same task in {@code reconcile.only}
 * mode ({@code pulse poll github --reconcile-only --once}) recounts the repository; {@code pulse.reconciliation}
 * shows the outage day GAP_OPEN missing exactly the lost items, then, at the next recount, GAP_NOT_CLOSED with
 * DATA_GAP FIRING on {@code pulse.alerts}; after the catch-up, COMPLETE and DATA_GAP RESOLVED.
 */
class GitHubGapIT extends PlatformTestBase {

    private static final String COMMUNITY = "octo";
    private static final String SECRET = "github-gap-it-secret";
    private static final Instant T = Instant.parse("2026-11-28T09:00:00Z");
    private static final Duration AWAIT = Duration.ofMinutes(3);
    /** Requests per window of the fake's primary limit, and the window: the poll needs several windows. */
    private static final int LIMIT = 6;
    private static final long WINDOW_MS = 1_500;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldEqualUndisturbedMetricsWhenPollerClosesWebhookGap(@TempDir Path tmp) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String calm = "ghcalm-" + run + ".";
        String gap = "ghgap-" + run + ".";
        try (FakeGitHub github = new FakeGitHub(LIMIT, WINDOW_MS, 3);
             PulseStreamsApp calmApp = start(calm, tmp.resolve("calm"));
             PulseStreamsApp gapApp = start(gap, tmp.resolve("gap"))) {
            WebhookServer calmHooks = receiver(calmApp);
            WebhookServer gapHooks = receiver(gapApp);
            try {
                // Before the outage: both receivers get everything.
                List<Delivery> before = beforeOutage(github);
                deliver(before, calmHooks, gapHooks);

                // The outage: the second receiver is down, its deliveries fail (GitHub would not retry them).
                int downPort = gapHooks.port();
                gapHooks.close();
                List<Delivery> during = duringOutage(github, before.subList(5, 7));
                for (Delivery delivery : during) {
                    assertThat(send(calmHooks.port(), delivery)).isEqualTo(200);
                    assertThatThrownBy(() -> send(downPort, delivery)).isInstanceOf(IOException.class);
                }

                // Still during the outage, the reconcile-only poller recounts the repository (each run a fresh
                // task, as --once): every lost delivery is a thread or a reply of the outage day.
                LocalDate outageDay = LocalDate.ofInstant(T.plusSeconds(86_400), ZoneOffset.UTC);
                int windowDays = (int) ChronoUnit.DAYS.between(LocalDate.ofInstant(T, ZoneOffset.UTC),
                        LocalDate.now(ZoneOffset.UTC)) + 1;
                long lostItems = during.size();
                awaitProcessedAndEmitted(gap + "app", gapApp, AWAIT);
                long eventsBefore = activityRecords(gapApp);
                assertThat(reconcile(github, gap, tmp, windowDays)).as("one count per day of the window, nothing else")
                        .isEqualTo(windowDays);
                Reconciliation open = awaitReconciliation(gapApp, outageDay, ReconciliationStatus.GAP_OPEN);
                assertThat(open.getMissing()).as("the lost deliveries' items").isEqualTo(lostItems);
                assertThat(open.getPlatformItems()).isEqualTo(lostItems);
                assertThat(open.getPipelineItems()).isZero();
                assertThat(latestDataGap(gapApp)).as("no DATA_GAP at the first sight of a gap").isNull();
                // The next poll finds the gap still open: not closed by the next poll, so DATA_GAP fires.
                assertThat(reconcile(github, gap, tmp, windowDays)).isEqualTo(windowDays);
                Reconciliation notClosed = awaitReconciliation(gapApp, outageDay,
                        ReconciliationStatus.GAP_NOT_CLOSED);
                assertThat(notClosed.getMissing()).isEqualTo(lostItems);
                assertThat(notClosed.getGapSince()).isEqualTo(open.getGapSince());
                await().atMost(AWAIT).untilAsserted(() -> assertThat(latestDataGap(gapApp)).isNotNull()
                        .extracting(Alert::getState).isEqualTo(AlertState.FIRING));
                assertThat(activityRecords(gapApp)).as("no activity events from a recount").isEqualTo(eventsBefore);
                assertThat(tmp.resolve("github.offsets.json")).as("the catch-up's cursor, untouched").doesNotExist();

                gapHooks = receiver(gapApp);
                List<Delivery> after = afterOutage(github);
                deliver(after, calmHooks, gapHooks);
                int all = before.size() + during.size() + after.size();
                int delivered = before.size() + after.size();

                // The gap is real: without the poller the second pipeline lacks what happened during the outage.
                awaitProcessedAndEmitted(gap + "app", gapApp, AWAIT);
                assertThat(latest(gapApp.topics().dailyEngagement()).values().stream().mapToLong(v -> v.get(6)).sum())
                        .as("events before the poll").isEqualTo(delivered);

                // The poller catches up: a secondary limit on its first request, a primary limit it must wait out.
                awaitFreshWindow(github);
                github.secondaryLimitNext(1);
                StandaloneSourceRunner poller = poller(github, gap, tmp.resolve("github.offsets.json"));
                AtomicReference<Throwable> failed = new AtomicReference<>();
                Thread polling = new Thread(() -> {
                    try {
                        poller.run(false);
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                }, "github-poller");
                polling.start();
                // Polls go on every 300 ms; unchanged lists then answer 304.
                await().atMost(Duration.ofMinutes(1)).until(() -> github.notModified() >= 2 || failed.get() != null);
                poller.stop();
                assertThat(poller.awaitFinished(Duration.ofSeconds(30))).isTrue();
                assertThat(failed.get()).isNull();

                awaitProcessedAndEmitted(calm + "app", calmApp, AWAIT);
                awaitProcessedAndEmitted(gap + "app", gapApp, AWAIT);

                Map<LocalDate, List<Long>> undisturbed = latest(calmApp.topics().dailyEngagement());
                Map<LocalDate, List<Long>> caughtUp = latest(gapApp.topics().dailyEngagement());
                assertThat(undisturbed).hasSize(3);
                assertThat(undisturbed.values().stream().mapToLong(v -> v.get(6)).sum()).isEqualTo(all);
                assertThat(caughtUp).as("daily metrics after the gap was closed").isEqualTo(undisturbed);

                assertThat(metric(calmApp, "accepted-total")).isEqualTo(all);
                assertThat(metric(gapApp, "accepted-total")).isEqualTo(all);
                // The first poll read every item: those the webhook had delivered came again, as duplicates.
                assertThat(metric(gapApp, "duplicates-total")).isEqualTo(delivered);

                // What the API lists per day is what the pipeline counted: threads + replies.
                Map<LocalDate, Long> platform = counts(gapApp.topics().platformCounts());
                undisturbed.forEach((day, values) -> assertThat(platform.get(day)).as("platform count of " + day)
                        .isEqualTo(values.get(0) + values.get(1)));

                // The catch-up's events closed the gap the recounts found, and the alert resolves.
                Reconciliation complete = awaitReconciliation(gapApp, outageDay, ReconciliationStatus.COMPLETE);
                assertThat(complete.getMissing()).isZero();
                assertThat(complete.getPipelineItems()).isEqualTo(complete.getPlatformItems()).isEqualTo(lostItems);
                await().atMost(AWAIT).untilAsserted(() -> assertThat(latestDataGap(gapApp)).isNotNull()
                        .extracting(Alert::getState).isEqualTo(AlertState.RESOLVED));
                System.out.printf("GitHubGapIT: reconcile-only over %d days: GAP_OPEN missing %d of %d (pipeline %d), "
                                + "then GAP_NOT_CLOSED missing %d with DATA_GAP FIRING; after the catch-up COMPLETE "
                                + "%d/%d, DATA_GAP RESOLVED%n", windowDays, open.getMissing(), open.getPlatformItems(),
                        open.getPipelineItems(), notClosed.getMissing(), complete.getPipelineItems(),
                        complete.getPlatformItems());

                assertRateLimitsHonoured(github);
                System.out.printf("GitHubGapIT: %d items, %d delivered to both, %d polled; fake GitHub: %d requests, "
                                + "%d answered 304, %d secondary-limited, %d over the limit%n", all, delivered,
                        all, github.requests().size(), github.notModified(), github.secondaryLimited(),
                        github.overLimit());
            } finally {
                gapHooks.close();
                calmHooks.close();
            }
        }
    }

    /** One run of the reconcile-only poller ({@code --reconcile-only --once}, own offsets file); its records sent. */
    private static long reconcile(FakeGitHub github, String prefix, Path tmp, int days) throws InterruptedException {
        awaitFreshWindow(github);
        Map<String, String> props = props(github, prefix);
        props.put(GitHubPollerConfig.RECONCILE_ONLY_CONFIG, "true");
        props.put(GitHubPollerConfig.RECONCILE_DAYS_CONFIG, Integer.toString(days));
        return new StandaloneSourceRunner(new GitHubPollerSourceTask(), props,
                tmp.resolve("github-reconcile.offsets.json"),
                StandaloneSourceRunner.producer(kafka.bootstrapServers(), Map.of()), line -> { }).run(true);
    }

    /**
     * Until the fake's rate-limit window has turned over: a new task's client knows nothing of the window the one
     * before spent, so it starts on a fresh one (as a long enough pause would on GitHub) and never goes over.
     */
    private static void awaitFreshWindow(FakeGitHub github) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<FakeGitHub.Request> requests = github.requests();
            return requests.isEmpty() || Instant.now().isAfter(
                    requests.get(requests.size() - 1).at().plusMillis(WINDOW_MS + 100));
        });
    }

    /** Waits until the day's latest committed reconciliation has {@code status}, and returns it. */
    private static Reconciliation awaitReconciliation(PulseStreamsApp app, LocalDate day,
                                                      ReconciliationStatus status) {
        return await().atMost(AWAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> latestReconciliation(app, day), r -> r != null && r.getStatus() == status);
    }

    private static Reconciliation latestReconciliation(PulseStreamsApp app, LocalDate day) {
        AtomicReference<Reconciliation> latest = new AtomicReference<>();
        readAll(app.topics().reconciliation(), (key, v) -> {
            if (key.getDay().equals(day)) {
                latest.set(v);
            }
        });
        return latest.get();
    }

    /** The community's latest DATA_GAP record on {@code pulse.alerts} (read_committed), or null. */
    private static Alert latestDataGap(PulseStreamsApp app) {
        AlertKey wanted = new AlertKey(COMMUNITY, AlertCondition.DATA_GAP);
        Alert latest = null;
        for (var r : CommittedTopics.readAll(app.topics().alerts())) {
            if (wanted.equals(r.key()) && r.value() != null) {
                latest = r.value();
            }
        }
        return latest;
    }

    /** Records on the activity topic (read_committed): a recount adds none. */
    private static long activityRecords(PulseStreamsApp app) {
        return CommittedTopics.readAll(app.topics().activity()).size();
    }

    private static void assertRateLimitsHonoured(FakeGitHub github) {
        List<FakeGitHub.Request> requests = github.requests();
        long counted = requests.stream().filter(r -> r.status() != 304 && r.status() != 403).count();
        assertThat(github.overLimit()).as("requests beyond the primary limit").isZero();
        assertThat(counted).as("requests counted against the limit (more than one window's worth)")
                .isGreaterThan(LIMIT);
        assertThat(github.secondaryLimited()).isEqualTo(1);
        int refused = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).status() == 403) {
                refused = i;
            }
        }
        assertThat(Duration.between(requests.get(refused).at(), requests.get(refused + 1).at()))
                .as("wait after the secondary limit's Retry-After: 1").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(github.notModified()).isGreaterThanOrEqualTo(2);
    }

    // ------------------------------------------------------------------ the activity on the fake GitHub

    private static List<Delivery> beforeOutage(FakeGitHub github) {
        List<Delivery> out = new ArrayList<>();
        out.add(github.open(false, 11, T));
        out.add(github.comment(1, 12, T.plusSeconds(3_600)));
        out.add(github.open(true, 13, T.plusSeconds(7_200)));
        out.add(github.review(2, 11, T.plusSeconds(10_800)));
        out.add(github.reviewComment(2, 12, T.plusSeconds(10_800)));
        Delivery discussion = github.discuss(14, T.plusSeconds(14_400), true);
        out.add(discussion);
        out.add(github.discussionComment(number(discussion, "discussion"), null, 15, T.plusSeconds(18_000)));
        return out;
    }

    private static List<Delivery> duringOutage(FakeGitHub github, List<Delivery> discussion) {
        Instant day2 = T.plusSeconds(86_400);
        List<Delivery> out = new ArrayList<>();
        Delivery issue = github.open(false, 14, day2);
        out.add(issue);
        out.add(github.comment(number(issue, "issue"), 11, day2.plusSeconds(3_600)));
        // Same instant as the comment before: the cursor must not lose one of them.
        out.add(github.comment(1, 15, day2.plusSeconds(3_600)));
        Delivery pull = github.open(true, 12, day2.plusSeconds(7_200));
        out.add(pull);
        out.add(github.review(number(pull, "pull_request"), 13, day2.plusSeconds(10_800)));
        out.add(github.reviewComment(number(pull, "pull_request"), 11, day2.plusSeconds(10_860)));
        out.add(github.comment(2, 14, day2.plusSeconds(14_400)));
        long answer = discussion.get(1).payload().get("comment").get("id").asLong();
        out.add(github.discussionComment(number(discussion.get(0), "discussion"), answer, 14,
                day2.plusSeconds(15_000)));
        out.add(github.discuss(13, day2.plusSeconds(16_000), false));
        for (int i = 0; i < 6; i++) {
            Delivery opened = github.open(false, 20 + i, day2.plusSeconds(18_000 + 60L * i));
            out.add(opened);
            out.add(github.comment(number(opened, "issue"), 11,
                    day2.plusSeconds(18_030 + 60L * i)));
        }
        return out;
    }

    private static List<Delivery> afterOutage(FakeGitHub github) {
        Instant day3 = T.plusSeconds(2 * 86_400);
        List<Delivery> out = new ArrayList<>();
        Delivery opened = github.open(false, 16, day3);
        out.add(opened);
        out.add(github.comment(number(opened, "issue"), 12, day3.plusSeconds(600)));
        out.add(github.review(2, 15, day3.plusSeconds(3_600)));
        return out;
    }

    private static int number(Delivery delivery, String item) {
        return delivery.payload().get(item).get("number").asInt();
    }

    // ------------------------------------------------------------------ the pipeline and its input

    private static PulseStreamsApp start(String prefix, Path state) throws Exception {
        PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, prefix + "app", state,
                Map.of()));
        app.start();
        app.awaitRunning(Duration.ofSeconds(90));
        return app;
    }

    private static WebhookServer receiver(PulseStreamsApp app) {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        // One test secret posts to the test's path communities (a single-tenant set-up).
        props.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        return WebhookServer.forKafka(new WebhookServerConfig(props),
                Map.of(WebhookSource.GITHUB.secretVariable(), SECRET), kafka.bootstrapServers(),
                app.topics().activity(), Map.of()).start();
    }

    private static StandaloneSourceRunner poller(FakeGitHub github, String prefix, Path offsets) {
        return new StandaloneSourceRunner(new GitHubPollerSourceTask(), props(github, prefix), offsets,
                StandaloneSourceRunner.producer(kafka.bootstrapServers(), Map.of()), line -> { });
    }

    private static Map<String, String> props(FakeGitHub github, String prefix) {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, COMMUNITY);
        props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.put(GitHubPollerConfig.URL_CONFIG, github.url().toString());
        props.put(GitHubPollerConfig.TOKEN_CONFIG, FakeGitHub.TOKEN);
        props.put(GitHubPollerConfig.REPOSITORIES_CONFIG, FakeGitHub.FULL_NAME);
        props.put(GitHubPollerConfig.POLL_INTERVAL_MS_CONFIG, "300");
        return props;
    }

    private void deliver(List<Delivery> deliveries, WebhookServer... receivers) throws Exception {
        for (Delivery delivery : deliveries) {
            for (WebhookServer receiver : receivers) {
                assertThat(send(receiver.port(), delivery)).as(delivery.event()).isEqualTo(200);
            }
        }
    }

    /** A signed delivery as GitHub sends it; the status, or an IOException when nobody listens. */
    private int send(int port, Delivery delivery) throws IOException, InterruptedException {
        byte[] body = json.writeValueAsBytes(delivery.payload());
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhooks/github/" + COMMUNITY))
                .header("Content-Type", "application/json").header("X-GitHub-Event", delivery.event())
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    // ------------------------------------------------------------------ reading the results

    /** Latest committed value per day, without the wall-clock updatedAt, read to the end of the topic. */
    private static Map<LocalDate, List<Long>> latest(Topic<CommunityDayKey, DailyEngagement> topic) {
        Map<LocalDate, List<Long>> days = new TreeMap<>();
        readAll(topic, (key, v) -> days.put(key.getDay(), List.of(v.getThreads(), v.getReplies(),
                v.getReactions(), v.getAcceptedAnswers(), v.getNewMembers(), v.getActiveMembers(), v.getEvents())));
        return days;
    }

    private static Map<LocalDate, Long> counts(Topic<CommunityDayKey, PlatformDayCount> topic) {
        Map<LocalDate, Long> days = new TreeMap<>();
        readAll(topic, (key, v) -> days.put(key.getDay(), v.getItems()));
        return days;
    }

    private static <V> void readAll(Topic<CommunityDayKey, V> topic,
                                    java.util.function.BiConsumer<CommunityDayKey, V> each) {
        for (var r : CommittedTopics.readAll(topic)) {
            if (r.value() != null && COMMUNITY.equals(r.key().getCommunityId())) {
                each.accept(r.key(), r.value());
            }
        }
    }
}
