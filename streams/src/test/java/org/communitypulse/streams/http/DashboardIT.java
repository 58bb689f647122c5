package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.communitypulse.streams.http.DashboardPipeline.get;
import static org.communitypulse.streams.http.DashboardPipeline.json;
import static org.communitypulse.streams.http.DashboardPipeline.summary;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard API on a running pipeline (real broker and registry): what it answers, how fast a
 * change reaches a server-sent-events client, and that with two instances either one answers every
 * question with the same data (forwarding to the instance that holds the community).
 */
class DashboardIT {

    @RegisterExtension
    static final RealPlatform PLATFORM = new RealPlatform();

    static ActivityEvent thread(String id, String community, String actor, Instant at) {
        ActivityEvent e = TestEvents.event(id, community, EventType.THREAD_CREATED, actor, at);
        e.setThreadId(id);
        return e;
    }

    /** A ROLE_GRANTED of {@code attribute} ({@code role} or {@code level}) {@code value} to {@code actor}. */
    static ActivityEvent role(String id, String community, String actor, Instant at, String attribute, String value) {
        ActivityEvent e = TestEvents.event(id, community, EventType.ROLE_GRANTED, actor, at);
        e.setAttributes(java.util.Map.of(attribute, value));
        return e;
    }

    static ActivityEvent reply(String id, String community, String actor, String thread, Instant at) {
        ActivityEvent e = TestEvents.event(id, community, EventType.REPLY_CREATED, actor, at);
        e.setThreadId(thread);
        e.setParentId(thread);
        return e;
    }

    @Test
    void shouldAnswerEveryCommunityQuestionWhenEventsHaveBeenProcessed(@TempDir Path state) throws Exception {
        String prefix = "dash-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String live = "live";
        String silent = "silent";
        String backlog = "backlog";
        Instant now = Instant.now();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant twoDaysAgo = today.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
        Instant january = Instant.parse("2026-01-05T10:00:00Z");
        List<ActivityEvent> events = new ArrayList<>();
        events.add(thread("l1", live, "ann", now.minusSeconds(30)));
        events.add(reply("l2", live, "bob", "l1", now.minusSeconds(20)));
        events.add(TestEvents.event("l3", live, EventType.REACTION_ADDED, "cy", now.minusSeconds(10)));
        events.add(thread("s1", silent, "dan", january));
        events.add(reply("s2", silent, "eve", "s1", january.plusSeconds(600)));
        for (int i = 0; i < 12; i++) {
            events.add(thread("b" + i, backlog, "m" + i, twoDaysAgo.plusSeconds(i)));
        }
        // m0 (active: the first thread) is the sponsor; a grant alone would not fill the role.
        events.add(role("bg1", backlog, "m0", twoDaysAgo.plusSeconds(100), "role", "sponsor"));
        events.add(role("bg2", backlog, "carl", twoDaysAgo.plusSeconds(101), "level", "corporate-user"));

        try (PulseStreamsApp app = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, state, 2)) {
            int port = app.httpPort().orElseThrow();
            app.awaitRunning(Duration.ofSeconds(90));
            DashboardPipeline.produce(PLATFORM.kafka(), app, events);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode all = json(port, Dashboard.COMMUNITIES_PATH);
                assertThat(all.path("communities")).hasSize(3);
                assertThat(summary(all, live).path("trailing").path("replies28d").asLong()).isEqualTo(1);
                assertThat(summary(all, silent).path("health").asText()).isEqualTo("stalled");
                assertThat(summary(all, backlog).path("health").asText()).isEqualTo("at_risk");
                // SLOW_FIRST_RESPONSE alone makes the backlog community at risk once a few of its threads are in;
                // BACKLOG_GROWING needs all twelve, which may reach the view one emission later.
                assertThat(summary(all, backlog).path("firingAlerts").toString()).contains("BACKLOG_GROWING");
                assertThat(summary(all, silent).path("firingAlerts").toString()).contains("NO_ACTIVITY");
            });

            JsonNode all = json(port, Dashboard.COMMUNITIES_PATH);
            assertThat(all.path("partial").asBoolean()).isFalse();
            JsonNode l = summary(all, live);
            assertThat(l.path("health").asText()).isEqualTo("healthy");
            assertThat(l.path("latestDay").asText()).isEqualTo(today.toString());
            assertThat(l.path("trailing").path("dau").asLong()).isEqualTo(2);
            assertThat(l.path("trailing").path("mau").asLong()).isEqualTo(2);
            assertThat(l.path("trailing").path("threads28d").asLong()).isEqualTo(1);
            assertThat(l.path("trailing").path("openThreads").asLong()).isZero();
            assertThat(l.path("sparkline")).hasSize(28);
            assertThat(l.path("sparkline").get(27).asLong()).as("threads + replies today").isEqualTo(2);
            assertThat(l.path("sparklineFrom").asText()).isEqualTo(today.minusDays(27).toString());
            assertThat(summary(all, silent).path("firingAlerts").toString()).contains("NO_ACTIVITY");
            assertThat(summary(all, silent).path("latestDay").asText()).isEqualTo("2026-01-05");
            assertThat(summary(all, backlog).path("firingAlerts").toString()).contains("BACKLOG_GROWING");
            assertThat(summary(all, backlog).path("trailing").path("openThreads").asLong()).isEqualTo(12);

            String base = Dashboard.COMMUNITIES_PATH + "/";
            assertThat(json(port, base + live)).isEqualTo(l);
            JsonNode daily = json(port, base + live + "/daily");
            assertThat(daily.path("to").asText()).isEqualTo(today.toString());
            assertThat(daily.path("from").asText()).isEqualTo(today.minusDays(89).toString());
            assertThat(daily.path("days")).hasSize(1);
            JsonNode day = daily.path("days").get(0);
            assertThat(day.path("threads").asLong()).isEqualTo(1);
            assertThat(day.path("replies").asLong()).isEqualTo(1);
            assertThat(day.path("reactions").asLong()).isEqualTo(1);
            assertThat(day.path("threadsResponded").asLong()).isEqualTo(1);
            assertThat(day.path("firstResponseP50Seconds").asLong()).isEqualTo(10);
            assertThat(day.path("peerReplyShare").asDouble()).isEqualTo(1.0);

            JsonNode january5 = json(port, base + silent + "/daily?from=2026-01-01&to=2026-01-31");
            assertThat(january5.path("days")).hasSize(1);
            assertThat(january5.path("days").get(0).path("day").asText()).isEqualTo("2026-01-05");
            assertThat(json(port, base + silent + "/daily?from=2026-02-01&to=2026-02-28").path("days")).isEmpty();
            JsonNode trailing = json(port, base + backlog + "/trailing?from=" + today.minusDays(10) + "&to=" + today);
            assertThat(trailing.path("days")).hasSize(1);
            assertThat(trailing.path("days").get(0).path("threads7d").asLong()).isEqualTo(12);

            JsonNode members = json(port, base + live + "/members?top=1");
            assertThat(members.path("members").asLong()).isEqualTo(2);
            assertThat(members.path("levels").path("NEWCOMER").asLong()).isEqualTo(2);
            assertThat(members.path("top")).hasSize(1);
            assertThat(members.path("top").get(0).path("contributions28d").asLong()).isEqualTo(1);

            JsonNode retention = json(port, base + live + "/retention");
            assertThat(retention.path("cohorts")).hasSize(1);
            assertThat(retention.path("cohorts").get(0).path("cohortSize").asLong()).isEqualTo(2);

            JsonNode alerts = json(port, base + silent + "/alerts");
            assertThat(alerts.path("health").asText()).isEqualTo("stalled");
            assertThat(alerts.path("alerts").findValuesAsText("condition")).contains("NO_ACTIVITY");
            assertThat(alerts.path("alerts").get(0).path("evidence").isObject()).isTrue();
            assertThat(json(port, base + live + "/alerts").path("alerts")).isEmpty();

            JsonNode roles = json(port, base + backlog + "/roles");
            assertThat(roles.path("roles")).hasSize(10);
            assertThat(roles.path("requiredRoles").asLong()).isEqualTo(7);
            assertThat(roles.path("vacantRequired").asLong()).isEqualTo(6);
            JsonNode sponsor = roles.path("roles").get(4);
            assertThat(sponsor.path("role").asText()).isEqualTo("sponsor");
            assertThat(sponsor.path("holders").get(0).asText()).isEqualTo("m0");
            assertThat(sponsor.path("filled").asBoolean()).isTrue();
            assertThat(roles.path("training").path("corporateUsers").asInt()).isEqualTo(1);
            JsonNode violations = json(port, base + backlog + "/violations");
            assertThat(violations.path("count").asInt()).isEqualTo(7);
            assertThat(violations.path("open").findValuesAsText("rule")).containsExactlyInAnyOrder(
                    "corporate-user-untrained", "required-role-vacant", "required-role-vacant", "required-role-vacant",
                    "required-role-vacant", "required-role-vacant", "required-role-vacant");
            assertThat(json(port, base + live + "/roles").path("roles")).isEmpty();
            assertThat(json(port, base + live + "/violations").path("count").asInt()).isZero();
            assertThat(get(port, base + "nobody/roles").statusCode()).isEqualTo(404);
            assertThat(get(port, base + "nobody/daily").statusCode()).isEqualTo(404);
            assertThat(get(port, base + "nobody").statusCode()).isEqualTo(404);
            HttpResponse<String> badDate = get(port, base + live + "/daily?from=yesterday");
            assertThat(badDate.statusCode()).isEqualTo(400);
            assertThat(badDate.body()).contains("ISO date");
            assertThat(get(port, base + live + "/daily?from=2026-02-02&to=2026-02-01").statusCode()).isEqualTo(400);
            assertThat(get(port, base + live + "/daily?from=2000-01-01&to=2026-02-01").statusCode()).isEqualTo(400);
            assertThat(get(port, base + live + "/members?top=0").statusCode()).isEqualTo(400);
            assertThat(get(port, base + live + "/members?top=x").statusCode()).isEqualTo(400);

            HttpResponse<String> page = get(port, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Community Pulse", "/webjars/uplot/");
            assertThat(get(port, "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").statusCode()).isEqualTo(200);
            assertThat(get(port, "/app.js").statusCode()).isEqualTo(200);

            System.out.printf("API latency: /api/communities %.1f ms, /daily %.1f ms, /members %.1f ms (mean of 20)%n",
                    meanMillis(port, Dashboard.COMMUNITIES_PATH), meanMillis(port, base + live + "/daily"),
                    meanMillis(port, base + live + "/members"));

            // A new reply reaches a server-sent-events client within the emit interval plus one poll.
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            CompletableFuture<HttpResponse<Stream<String>>> stream = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Dashboard.EVENTS_PATH))
                            .header("Accept", "text/event-stream")
                            .header("Authorization", "Bearer " + TestTokens.READ).build(),
                    HttpResponse.BodyHandlers.ofLines());
            stream.thenAccept(response -> response.body().forEach(lines::add));
            assertThat(nextCommunities(lines, Duration.ofSeconds(10))).as("snapshot on connect").isNotNull();
            long t0 = System.nanoTime();
            DashboardPipeline.produce(PLATFORM.kafka(), app, List.of(reply("l4", live, "dee", "l1", Instant.now())));
            long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
            JsonNode changed = null;
            while (changed == null && System.nanoTime() < deadline) {
                JsonNode doc = nextCommunities(lines, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (doc != null && summary(doc, live).path("trailing").path("replies28d").asLong() == 2) {
                    changed = doc;
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("Event produced -> SSE update: " + millis + " ms");
            assertThat(changed).as("SSE update with the new reply").isNotNull();
            assertThat(millis).as("ms from produce to SSE update").isLessThan(5_000);
            stream.cancel(true);
        }
    }

    @Test
    void shouldAnswerTheSameFromEitherInstanceWhenTwoInstancesShareTheCommunities(@TempDir Path stateA,
                                                                                 @TempDir Path stateB) throws Exception {
        String prefix = "dash2-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Instant at = Instant.now().minusSeconds(60);
        List<String> communities = new ArrayList<>();
        List<ActivityEvent> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String c = "c" + i;
            communities.add(c);
            events.add(thread(c + "-t", c, "a" + i, at));
            events.add(role(c + "-g", c, "s" + i, at, "role", "sponsor"));
            for (int r = 0; r <= i; r++) {
                events.add(reply(c + "-r" + r, c, "r" + r, c + "-t", at.plusSeconds(r + 1)));
            }
        }
        try (PulseStreamsApp a = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, stateA, 4);
             PulseStreamsApp b = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, stateB, 4)) {
            int portA = a.httpPort().orElseThrow();
            int portB = b.httpPort().orElseThrow();
            a.awaitRunning(Duration.ofSeconds(90));
            b.awaitRunning(Duration.ofSeconds(90));
            DashboardPipeline.produce(PLATFORM.kafka(), a, events);

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Set<String> localA = ids(json(portA, Dashboard.COMMUNITIES_PATH + "?scope=local"));
                Set<String> localB = ids(json(portB, Dashboard.COMMUNITIES_PATH + "?scope=local"));
                assertThat(localA).as("each instance holds some communities").isNotEmpty();
                assertThat(localB).as("each instance holds some communities").isNotEmpty();
                assertThat(localA).doesNotContainAnyElementsOf(localB);
                Set<String> union = new HashSet<>(localA);
                union.addAll(localB);
                assertThat(union).containsExactlyInAnyOrderElementsOf(communities);
                JsonNode fromA = json(portA, Dashboard.COMMUNITIES_PATH);
                JsonNode fromB = json(portB, Dashboard.COMMUNITIES_PATH);
                assertThat(fromA.path("instances").asInt()).isEqualTo(2);
                assertThat(fromA.path("communities")).hasSize(8);
                assertThat(fromA.path("communities")).isEqualTo(fromB.path("communities"));
                for (int i = 0; i < 8; i++) {
                    assertThat(summary(fromA, "c" + i).path("trailing").path("replies28d").asLong()).isEqualTo(i + 1);
                }
            });
            // Platform counts go through the repartition by community: each must meet its community's activity
            // on the task (and instance) holding it. Odd communities miss one item.
            java.time.LocalDate day = java.time.LocalDate.ofInstant(at, java.time.ZoneOffset.UTC);
            List<org.communitypulse.schemas.avro.PlatformDayCount> counts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String c = "c" + i;
                long posts = events.stream().filter(e -> e.getCommunityId().equals(c)
                        && e.getType() != org.communitypulse.schemas.avro.EventType.ROLE_GRANTED
                        && java.time.LocalDate.ofInstant(e.getOccurredAt(), java.time.ZoneOffset.UTC).equals(day))
                        .count();
                counts.add(DashboardPipeline.count(c, day, posts + i % 2));
            }
            DashboardPipeline.observe(PLATFORM.kafka(), a, counts);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (int i = 0; i < 8; i++) {
                    JsonNode reconciliation = json(i % 2 == 0 ? portA : portB,
                            Dashboard.COMMUNITIES_PATH + "/c" + i + "/reconciliation");
                    assertThat(reconciliation.path("checkedDays").asInt()).as("c" + i).isEqualTo(1);
                    assertThat(reconciliation.path("missing").asLong()).as("c" + i).isEqualTo(i % 2);
                    assertThat(reconciliation.path("completeUpTo").asText()).as("c" + i)
                            .isEqualTo(i % 2 == 0 ? day.toString() : "null");
                }
            });
            for (String c : communities) {
                for (String question : List.of("", "/daily", "/trailing", "/members", "/retention", "/alerts", "/roles",
                        "/violations", "/reconciliation")) {
                    String path = Dashboard.COMMUNITIES_PATH + "/" + c + question;
                    assertThat(json(portA, path)).as(path).isEqualTo(json(portB, path));
                }
            }
            for (int i = 0; i < 8; i++) {
                // Required roles first (all seven), then by id: the sponsor is the fifth.
                String path = Dashboard.COMMUNITIES_PATH + "/c" + i + "/roles";
                assertThat(json(portA, path).path("roles").get(4).path("holders").get(0).asText()).as(path)
                        .isEqualTo("s" + i);
            }
            assertThat(json(portB, Dashboard.COMMUNITIES_PATH + "/c7/daily").path("days").get(0)
                    .path("replies").asLong()).isEqualTo(8);
        }
    }

    private static Set<String> ids(JsonNode doc) {
        Set<String> ids = new HashSet<>();
        doc.path("communities").forEach(c -> ids.add(c.path("communityId").asText()));
        return ids;
    }

    /** The next {@code communities} SSE event's data, or null when none arrives in time. */
    private static JsonNode nextCommunities(LinkedBlockingQueue<String> lines, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean inEvent = false;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return null;
            }
            if (line.equals("event: " + Dashboard.COMMUNITIES_EVENT)) {
                inEvent = true;
            } else if (inEvent && line.startsWith("data: ")) {
                return DashboardPipeline.JSON.readTree(line.substring("data: ".length()));
            }
        }
        return null;
    }

    private static double meanMillis(int port, String path) throws Exception {
        get(port, path);
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThat(get(port, path).statusCode()).isEqualTo(200);
        }
        return (System.nanoTime() - start) / 20 / 1e6;
    }
}
