package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.communitypulse.connect.PulseConnectConfig;
import org.communitypulse.connect.SlackPollerConfig;
import org.communitypulse.connect.SlackPollerSourceTask;
import org.communitypulse.connect.standalone.StandaloneSourceRunner;
import org.communitypulse.ingest.http.WebhookServer;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.ingest.slack.FakeSlackWorkspace;
import org.communitypulse.ingest.slack.SlackPoller;
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
 * Slack catch-up closes a webhook outage: a fake workspace ({@link FakeSlackWorkspace}, answering in the shapes of
 * Slack's documented responses) keeps producing messages and replies, each delivered as a signed Events API
 * {@code message} to the real {@link WebhookServer} publishing to the real broker, under two communities: "ref"
 * whose receiver never stops (the undisturbed run) and "gap" whose receiver is stopped for the middle third, so
 * those deliveries fail (Slack's three retries included) and are lost. After the restart, {@code pulse poll
 * slack}'s runner with the real {@link SlackPollerSourceTask} reads the workspace; the real Streams app's
 * {@code pulse.engagement.daily} of "gap" must then equal that of "ref", record for record, with every event
 * counted once; the fake rate limits (429 + Retry-After past a budget per method) must have been met and honoured.
 *
 * <p>The reconciliation sees the gap while it is open: during the outage the same task in {@code reconcile.only}
 * mode recounts the workspace; {@code pulse.reconciliation} shows the day GAP_OPEN missing exactly the lost items,
 * then, at the next recount (more posted meanwhile), GAP_NOT_CLOSED with DATA_GAP FIRING on {@code pulse.alerts};
 * the redelivered later messages do not close it, the catch-up does: COMPLETE and DATA_GAP RESOLVED.
 */
class SlackGapIT extends PlatformTestBase {

    private static final String SECRET = "slack-gap-it-signing-secret-0123";
    private static final String CHANNEL = "C0GAP0001";
    private static final String OTHER = "C0GAP0002";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fake's budget: calls per window, per method; the client's own pace is set far above it. */
    private static final int BUDGET = 3;
    private static final Duration BUDGET_WINDOW = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ObjectNode[]> script = new ArrayList<>();

    @Test
    void shouldCloseAWebhookOutageWithThePollerWhenTheReceiverWasDownForAWindow(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        String prefix = "slackgap-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, prefix + "app",
                dir.resolve("state"), Map.of()));
             FakeSlackWorkspace slack = new FakeSlackWorkspace().channel(CHANNEL).channel(OTHER)) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            slack.limit("conversations.history", BUDGET, BUDGET_WINDOW)
                    .limit("conversations.replies", BUDGET, BUDGET_WINDOW)
                    .limit("users.list", BUDGET, BUDGET_WINDOW);
            // Messages of the last half hour (or since midnight, so that every one is on today's UTC day).
            Instant now = Instant.now();
            Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant base = now.minus(Duration.ofMinutes(30)).isBefore(midnight) ? midnight : now.minus(
                    Duration.ofMinutes(30));
            long step = Math.max(1, Duration.between(base, now.minusSeconds(10)).toMillis() / 40);

            Map<String, String> props = new HashMap<>();
            props.put(PulseConnectConfig.COMMUNITY_CONFIG, "gap");
            props.put(PulseConnectConfig.TOPIC_PREFIX_CONFIG, prefix);
            props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.ccompatUrl());
            props.put(SlackPollerConfig.API_URL_CONFIG, slack.url().toString());
            props.put(SlackPollerConfig.TOKEN_CONFIG, FakeSlackWorkspace.TOKEN);
            props.put(SlackPollerConfig.CHANNELS_CONFIG, CHANNEL + "," + OTHER);
            props.put(SlackPollerConfig.LOOKBACK_HOURS_CONFIG, "48");
            props.put(SlackPollerConfig.TIER2_CONFIG, "600");
            props.put(SlackPollerConfig.TIER3_CONFIG, "600");
            props.put(SlackPollerConfig.POLL_INTERVAL_MS_CONFIG, "200");
            Map<String, String> reconcileProps = new HashMap<>(props);
            reconcileProps.put(SlackPollerConfig.RECONCILE_ONLY_CONFIG, "true");
            reconcileProps.put(SlackPollerConfig.RECONCILE_DAYS_CONFIG, "2");
            Path catchUpOffsets = dir.resolve("slack-gap.offsets.json");
            CommunityDayKey day = new CommunityDayKey("gap", LocalDate.ofInstant(base, ZoneOffset.UTC));

            try (WebhookServer ref = receiver(app)) {
                WebhookServer gap = receiver(app);
                int delivered = 0;
                int lost = 0;
                Reconciliation open = null;
                Reconciliation notClosed = null;
                for (int phase = 0; phase < 3; phase++) {
                    if (phase == 1) {
                        gap.close();
                    }
                    List<ObjectNode[]> produced = producePhase(slack, phase, n -> base.plusMillis(step * n));
                    if (phase == 2) {
                        // Posted while the receiver is still down (their deliveries succeed after the restart, as
                        // Slack's retries would): the next recount still finds the gap, now not closed.
                        assertThat(reconcile(reconcileProps, dir)).as("one day count per day of the window")
                                .isEqualTo(2);
                        notClosed = awaitReconciliation(app, day,
                                r -> r.getStatus() == ReconciliationStatus.GAP_NOT_CLOSED);
                        assertThat(notClosed.getMissing()).isEqualTo(lost + produced.size());
                        Alert firing = awaitDataGap(app, "gap", AlertState.FIRING);
                        assertThat(firing.getSummary()).contains("missing on " + day.getDay());
                        gap = receiver(app);
                    }
                    for (ObjectNode[] message : produced) {
                        assertThat(deliver(ref.port(), "ref", message[0], message[1])).isTrue();
                        if (deliver(phase == 1 ? -1 : gap.port(), "gap", message[0], message[1])) {
                            delivered++;
                        } else {
                            lost++;
                        }
                    }
                    if (phase == 1) {
                        // During the outage, the reconcile-only poll (as pulse poll slack --reconcile-only --once).
                        awaitProcessedAndEmitted(prefix + "app", app, Duration.ofMinutes(2));
                        assertThat(reconcile(reconcileProps, dir)).as("one day count per day of the window")
                                .isEqualTo(2);
                        open = awaitReconciliation(app, day,
                                r -> r.getStatus() == ReconciliationStatus.GAP_OPEN);
                        assertThat(open.getMissing()).as("items whose deliveries were lost").isEqualTo(lost);
                        assertThat(open.getPlatformItems()).isEqualTo(script.size());
                        assertThat(open.getPipelineItems()).isEqualTo(delivered);
                        assertThat(catchUpOffsets).as("the catch-up's cursor, not written").doesNotExist();
                    }
                }
                assertThat(lost).as("deliveries lost while the receiver was down").isGreaterThan(5);
                awaitProcessedAndEmitted(prefix + "app", app, Duration.ofMinutes(2));
                Map<LocalDate, DailyEngagement> refDaily = daily(app, "ref");
                assertThat(comparable(daily(app, "gap"))).as("the gap is open before the poller runs")
                        .isNotEqualTo(comparable(refDaily));
                assertThat(latest(app.topics().reconciliation()).get(day).getStatus())
                        .as("redelivered items do not close the gap").isEqualTo(ReconciliationStatus.GAP_NOT_CLOSED);

                SlackPollerSourceTask task = new SlackPollerSourceTask();
                long sent;
                // The recounts' calls are not the catch-up's: its figures are counted from here.
                int historyBefore = slack.calls("conversations.history");
                int threadsBefore = slack.calls("conversations.replies");
                int limitedByRecounts = slack.rateLimited();
                long pollStart = System.nanoTime();
                try (var producer = StandaloneSourceRunner.producer(kafka.bootstrapServers(), Map.of())) {
                    sent = new StandaloneSourceRunner(task, props, catchUpOffsets, producer,
                            line -> System.out.println("[slack-gap-it] " + line)).run(true);
                }
                long pollMillis = (System.nanoTime() - pollStart) / 1_000_000;
                gap.close();

                // Rate limits: the budget was met (429s) and every Retry-After was waited out before calling again.
                assertThat(slack.rateLimited() - limitedByRecounts).as("429 answers to the catch-up").isPositive();
                assertThat(slack.earlyRetries()).as("calls made before their Retry-After").isZero();
                assertThat(pollMillis).as("the poll waited out the limits").isGreaterThanOrEqualTo(1000);

                awaitProcessedAndEmitted(prefix + "app", app, Duration.ofMinutes(2));
                Map<LocalDate, DailyEngagement> gapDaily = daily(app, "gap");
                refDaily = daily(app, "ref");
                assertThat(comparable(gapDaily)).as("gap's daily metrics after the poll, against the undisturbed run")
                        .isEqualTo(comparable(refDaily));
                long threads = script.stream().filter(m -> !m[0].has("thread_ts")).count();
                long replies = script.size() - threads;
                assertThat(refDaily.values().stream().mapToLong(DailyEngagement::getThreads).sum()).isEqualTo(threads);
                assertThat(gapDaily.values().stream().mapToLong(DailyEngagement::getReplies).sum()).isEqualTo(replies);
                assertThat(gapDaily.values().stream().mapToLong(DailyEngagement::getEvents).sum())
                        .as("every event counted once").isEqualTo(script.size());

                Map<CommunityDayKey, PlatformDayCount> counts = latest(app.topics().platformCounts());
                LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                assertThat(counts.get(new CommunityDayKey("gap", today))).isNotNull()
                        .satisfies(c -> assertThat(c.getItems()).isEqualTo(script.size()));
                // The catch-up's events close the gap the reconcile-only polls found, and the alert resolves.
                Reconciliation complete = awaitReconciliation(app, day,
                        r -> r.getStatus() == ReconciliationStatus.COMPLETE);
                assertThat(complete.getMissing()).isZero();
                assertThat(complete.getPipelineItems()).isEqualTo(script.size());
                awaitDataGap(app, "gap", AlertState.RESOLVED);
                System.out.printf("[slack-gap-it] reconcile-only: GAP_OPEN missing %d of %d (pipeline %d), then "
                                + "GAP_NOT_CLOSED missing %d with DATA_GAP FIRING; after the catch-up COMPLETE %d/%d, "
                                + "DATA_GAP RESOLVED%n", open.getMissing(), open.getPlatformItems(),
                        open.getPipelineItems(), notClosed.getMissing(), complete.getPipelineItems(),
                        complete.getPlatformItems());
                System.out.printf("[slack-gap-it] %d messages (%d threads, %d replies), %d deliveries to gap, %d lost; "
                                + "poller sent %d records in %d ms with %d history, %d replies, %d users.list calls, "
                                + "%d answered 429, 0 early%n", script.size(), threads, replies,
                        delivered, lost, sent, pollMillis, slack.calls("conversations.history") - historyBefore,
                        slack.calls("conversations.replies") - threadsBefore, slack.calls("users.list"),
                        slack.rateLimited() - limitedByRecounts);

                // A second outage, and the next poll from the saved offsets with the client's pace under the budget:
                // only the new messages are sent, and Slack never has to say 429.
                Instant later = Instant.now().minusMillis(1500);
                List<ObjectNode[]> fourth = producePhase(slack, 3, n -> later.plusMillis(10L * (n - 39)));
                for (ObjectNode[] message : fourth) {
                    assertThat(deliver(ref.port(), "ref", message[0], message[1])).isTrue();
                }
                Instant newest = SlackPoller.instant(fourth.get(fourth.size() - 1)[0].path("ts").asText());
                await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(newest.plusSeconds(3)));
                int limitedBefore = slack.rateLimited();
                int callsBefore = slack.calls("conversations.history") + slack.calls("conversations.replies");
                int repliesBefore = slack.calls("conversations.replies");
                props.put(SlackPollerConfig.TIER2_CONFIG, "80");
                props.put(SlackPollerConfig.TIER3_CONFIG, "80");
                long sentAgain;
                long againStart = System.nanoTime();
                try (var producer = StandaloneSourceRunner.producer(kafka.bootstrapServers(), Map.of())) {
                    sentAgain = new StandaloneSourceRunner(new SlackPollerSourceTask(), props,
                            dir.resolve("slack-gap.offsets.json"), producer,
                            line -> System.out.println("[slack-gap-it] " + line)).run(true);
                }
                long againMillis = (System.nanoTime() - againStart) / 1_000_000;
                int calls = slack.calls("conversations.history") + slack.calls("conversations.replies") - callsBefore;
                assertThat(sentAgain).as("the new messages and one day count, nothing sent before")
                        .isEqualTo(fourth.size() + 1);
                assertThat(slack.rateLimited()).as("429s with the pace under the budget").isEqualTo(limitedBefore);
                assertThat(slack.earlyRetries()).isZero();
                // 80 a minute: 750 ms apart per method, so n replies calls take at least (n - 1) * 750 ms.
                int repliesCalls = slack.calls("conversations.replies") - repliesBefore;
                assertThat(repliesCalls).as("threads whose latest_reply moved").isGreaterThanOrEqualTo(2);
                assertThat(againMillis).isGreaterThanOrEqualTo((repliesCalls - 1) * 750L);

                awaitProcessedAndEmitted(prefix + "app", app, Duration.ofMinutes(2));
                Map<LocalDate, DailyEngagement> gapAgain = daily(app, "gap");
                assertThat(comparable(gapAgain)).as("after the second outage and poll")
                        .isEqualTo(comparable(daily(app, "ref")));
                assertThat(gapAgain.values().stream().mapToLong(DailyEngagement::getEvents).sum())
                        .isEqualTo(script.size());
                System.out.printf("[slack-gap-it] second outage: %d messages, poll sent %d records in %d ms with %d "
                                + "history/replies calls, no 429; %d ms in all%n", fourth.size(), sentAgain,
                        againMillis, calls, (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    /** One reconcile-only poll with the standalone runner and its own offsets file; the records it sent. */
    private long reconcile(Map<String, String> props, Path dir) throws InterruptedException {
        try (var producer = StandaloneSourceRunner.producer(kafka.bootstrapServers(), Map.of())) {
            return new StandaloneSourceRunner(new SlackPollerSourceTask(), props,
                    dir.resolve("slack-gap-reconcile.offsets.json"), producer,
                    line -> System.out.println("[slack-gap-it reconcile] " + line)).run(true);
        }
    }

    /** The day's latest reconciliation once it satisfies {@code until} (read_committed, up to two minutes). */
    private static Reconciliation awaitReconciliation(PulseStreamsApp app, CommunityDayKey day,
                                                      Predicate<Reconciliation> until) {
        AtomicReference<Reconciliation> seen = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            seen.set(latest(app.topics().reconciliation()).get(day));
            assertThat(seen.get()).as("reconciliation of " + day).isNotNull().matches(until);
        });
        return seen.get();
    }

    /** The community's latest DATA_GAP record once it is in {@code state}. */
    private static Alert awaitDataGap(PulseStreamsApp app, String community, AlertState state) {
        AtomicReference<Alert> seen = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            seen.set(latest(app.topics().alerts()).get(new AlertKey(community, AlertCondition.DATA_GAP)));
            assertThat(seen.get()).as("DATA_GAP of " + community).isNotNull()
                    .satisfies(a -> assertThat(a.getState()).isEqualTo(state));
        });
        return seen.get();
    }

    /**
     * A third of the workspace's activity: new threads in both channels, replies to them, and replies to threads
     * of earlier phases (which the history API shows only as a moved latest_reply). Returns listed message and
     * channel pairs, in order.
     */
    private List<ObjectNode[]> producePhase(FakeSlackWorkspace slack, int phase, IntFunction<Instant> at) {
        List<ObjectNode[]> produced = new ArrayList<>();
        int first = phase * 13;
        String[] users = {"U0ANN", "U0BOB", "U0CAT", "U0DAN"};
        for (int i = 0; i < 13; i++) {
            int n = first + i;
            String ts = SlackPoller.ts(at.apply(n));
            String channel = n % 3 == 2 ? OTHER : CHANNEL;
            String user = users[n % users.length];
            ObjectNode message;
            List<ObjectNode[]> threads = script.stream().filter(m -> !m[0].has("thread_ts")
                    && m[1].path("id").asText().equals(channel)).toList();
            if (i % 3 != 0 || threads.isEmpty()) {
                message = slack.post(channel, user, ts, "message " + n);
            } else {
                // Alternately the newest thread and the oldest one (a reply to an old thread).
                ObjectNode[] parent = threads.get(i % 2 == 0 ? threads.size() - 1 : 0);
                message = slack.reply(channel, parent[0].path("ts").asText(), user, ts, "reply " + n);
            }
            ObjectNode[] pair = {message, channelNode(channel)};
            script.add(pair);
            produced.add(pair);
        }
        return produced;
    }

    private static ObjectNode channelNode(String channel) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", channel);
        return node;
    }

    private WebhookServer receiver(PulseStreamsApp app) {
        Map<String, Object> props = new HashMap<>();
        props.put(WebhookServerConfig.PORT_CONFIG, 0);
        props.put(WebhookServerConfig.HOST_CONFIG, "127.0.0.1");
        // One test secret posts to the test's path communities (a single-tenant set-up).
        props.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, true);
        return WebhookServer.forKafka(new WebhookServerConfig(props), Map.of(WebhookSource.SLACK.secretVariable(),
                SECRET), kafka.bootstrapServers(), app.topics().activity(), Map.of()).start();
    }

    /**
     * Delivers the {@code message} event of a listed message as Slack does: signed, and tried again three times
     * when the receiver does not answer 2xx. A port of -1 is a receiver that is down.
     */
    private boolean deliver(int port, String community, ObjectNode listed, ObjectNode channel) throws Exception {
        ObjectNode event = listed.deepCopy();
        event.put("channel", channel.path("id").asText());
        event.put("event_ts", listed.path("ts").asText());
        event.put("channel_type", "channel");
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("token", "XXYYZZ");
        envelope.put("team_id", "T0GAP");
        envelope.put("api_app_id", "A0GAP");
        envelope.set("event", event);
        envelope.put("type", "event_callback");
        envelope.put("event_id", "Ev" + community + listed.path("ts").asText().replace(".", ""));
        envelope.put("event_time", (long) Double.parseDouble(listed.path("ts").asText()));
        byte[] body = JSON.writeValueAsBytes(envelope);
        URI url = URI.create("http://127.0.0.1:" + (port < 0 ? closedPort() : port) + "/webhooks/slack/" + community);
        for (int attempt = 0; attempt < 4; attempt++) {
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .header("X-Slack-Request-Timestamp", timestamp)
                    .header("X-Slack-Retry-Num", Integer.toString(attempt))
                    .header("X-Slack-Signature", "v0=" + hmac(("v0:" + timestamp + ":").getBytes(
                            StandardCharsets.US_ASCII), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return true;
                }
            } catch (IOException refused) {
                // the receiver is down: Slack tries again, then drops the event
            }
        }
        return false;
    }

    /** A port nothing listens on. */
    private static int closedPort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String hmac(byte[] prefix, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(prefix);
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** The community's latest daily record per day. */
    private static Map<LocalDate, DailyEngagement> daily(PulseStreamsApp app, String community) {
        Map<LocalDate, DailyEngagement> out = new TreeMap<>();
        latest(app.topics().dailyEngagement()).forEach((key, value) -> {
            if (key.getCommunityId().equals(community)) {
                out.put(key.getDay(), value);
            }
        });
        return out;
    }

    /** Every field but the community and the wall-clock time of computation, per day. */
    private static Map<LocalDate, Map<String, Object>> comparable(Map<LocalDate, DailyEngagement> daily) {
        Map<LocalDate, Map<String, Object>> out = new TreeMap<>();
        daily.forEach((day, record) -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (var field : record.getSchema().getFields()) {
                if (!field.name().equals("communityId") && !field.name().equals("updatedAt")) {
                    fields.put(field.name(), GenericData.get().getField(record, field.name(), field.pos()));
                }
            }
            out.put(day, fields);
        });
        return out;
    }

    private static <K, V> Map<K, V> latest(Topic<K, V> topic) {
        Map<K, V> out = new LinkedHashMap<>();
        // Assigned to the end offsets: a subscription's group join can outlast an "until an empty poll" rule.
        for (ConsumerRecord<byte[], byte[]> r : CommittedTopics.readAll(topic.name())) {
            out.put(topic.keySerde().deserializer().deserialize(r.topic(), r.key()),
                    topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }
        return out;
    }
}
