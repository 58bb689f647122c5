package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.ingest.github.FakeGitHub;
import org.communitypulse.ingest.github.FakeGitHub.Delivery;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code reconcile.only}: each poll recounts the window's threads and replies of every list (from GitHub's
 * documented answers, served by {@link FakeGitHub}) and publishes only day counts, under its own partition, never
 * reading the catch-up's offsets; and it counts exactly what the catch-up counts.
 */
class GitHubReconcileOnlyTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Instant DEC4 = Instant.parse("2026-12-04T00:00:00Z");
    private static final Instant DEC5 = Instant.parse("2026-12-05T00:00:00Z");
    private static final Instant DEC6 = Instant.parse("2026-12-06T00:00:00Z");
    private static final Instant DEC7 = Instant.parse("2026-12-07T00:00:00Z");

    private final PollerTasks.Registry registry = new PollerTasks.Registry();
    private final List<Map<String, ?>> offsetReads = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void shouldPublishOnlyOneFullRecountPerDayOfTheWindowWhenReconcileOnly() throws Exception {
        try (FakeGitHub github = new FakeGitHub(1_000, 60_000, 2)) {
            // Before the window (3 days: Dec 5, 6, 7): an issue and a pull request created on Dec 4.
            Delivery old = github.open(false, 11, DEC4.plusSeconds(82_800));
            int oldIssue = old.payload().get("issue").get("number").asInt();
            Delivery oldPull = github.open(true, 12, DEC4.plusSeconds(3_600));
            int oldPullNumber = oldPull.payload().get("pull_request").get("number").asInt();
            github.comment(oldIssue, 12, DEC4.plusSeconds(86_000));
            // Dec 5: a pull request at 00:00 UTC sharp, a comment on the old issue (which moves it into `since`).
            Delivery pull = github.open(true, 13, DEC5);
            int pullNumber = pull.payload().get("pull_request").get("number").asInt();
            github.comment(oldIssue, 13, DEC5.plusSeconds(36_000));
            // Dec 6: a review of the old pull request (listed, as its update moved; the pull itself is not
            // counted), a discussion and its answer.
            github.review(oldPullNumber, 11, DEC6.plusSeconds(3_600));
            Delivery discussion = github.discuss(14, DEC6.plusSeconds(7_200), true);
            int discussionNumber = discussion.payload().get("discussion").get("number").asInt();
            Delivery answer = github.discussionComment(discussionNumber, null, 15, DEC6.plusSeconds(9_000));
            // Dec 7: a review comment, a reply in the discussion; an edit counts nothing.
            github.reviewComment(pullNumber, 11, DEC7.plusSeconds(3_600));
            github.discussionComment(discussionNumber, answer.payload().get("comment").get("id").asLong(), 13,
                    DEC7.plusSeconds(7_200));
            github.edit(oldIssue, DEC7.plusSeconds(10_000));

            Map<String, String> props = props(github);
            props.put(GitHubPollerConfig.RECONCILE_ONLY_CONFIG, "true");
            props.put(GitHubPollerConfig.RECONCILE_DAYS_CONFIG, "3");
            GitHubPollerSourceTask task = started(props, true);
            try {
                List<SourceRecord> first = PollerTasks.pollOnce(task);
                assertThat(first).hasSize(3).allSatisfy(r -> {
                    assertThat(r.topic()).isEqualTo("pulse.platform.counts");
                    assertThat(r.sourcePartition()).isEqualTo(Map.of(
                            GitHubPollerSourceTask.PARTITION_API, github.url().toString(),
                            GitHubPollerSourceTask.PARTITION_COMMUNITY, "octo",
                            GitHubPollerSourceTask.PARTITION_MODE, GitHubPollerSourceTask.MODE_RECONCILE));
                    assertThat(r.sourceOffset()).isEqualTo(Map.of(GitHubPollerSourceTask.OFFSET_COUNTED_AT,
                            NOW.toEpochMilli()));
                });
                List<PlatformDayCount> counts = first.stream().map(r -> PollerTasks.decodeDayCount((byte[]) r.value())).toList();
                assertThat(counts).extracting(PlatformDayCount::getDay).containsExactly(
                        LocalDate.parse("2026-12-05"), LocalDate.parse("2026-12-06"), LocalDate.parse("2026-12-07"));
                assertThat(counts).extracting(PlatformDayCount::getItems).containsExactly(2L, 3L, 2L);
                assertThat(counts).allSatisfy(c -> {
                    assertThat(c.getCommunityId()).isEqualTo("octo");
                    assertThat(c.getSource()).isEqualTo(SourcePlatform.GITHUB);
                    assertThat(c.getObservedAt()).isEqualTo(NOW);
                    assertThat(c.getCompleteThrough()).isEqualTo(NOW);
                });
                assertThat(github.requests()).as("every list asked from 00:00 UTC of the window's first day")
                        .filteredOn(r -> r.pathAndQuery().contains("since=")).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.pathAndQuery()).contains("since=" + DEC5));

                // The next poll counts the whole window again: same counts, whatever the first published.
                github.comment(pullNumber, 14, DEC7.plusSeconds(20_000));
                List<SourceRecord> second = PollerTasks.pollOnce(task);
                assertThat(second.stream().map(r -> PollerTasks.decodeDayCount((byte[]) r.value()).getItems()))
                        .containsExactly(2L, 3L, 3L);
                assertThat(offsetReads).as("the catch-up's offsets, never read").isEmpty();
            } finally {
                task.stop();
            }

            // The catch-up, reading everything, counts the same items on the same days (one mapping, one decision).
            GitHubPollerSourceTask catchUp = started(props(github), false);
            try {
                List<SourceRecord> records = PollerTasks.pollOnce(catchUp);
                assertThat(records).filteredOn(r -> r.topic().equals("pulse.activity")).hasSize(11);
                SortedMap<LocalDate, Long> caughtUp = catchUp.dayCounts();
                assertThat(caughtUp.tailMap(LocalDate.parse("2026-12-05"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                        LocalDate.parse("2026-12-05"), 2L, LocalDate.parse("2026-12-06"), 3L,
                        LocalDate.parse("2026-12-07"), 3L));
                assertThat(caughtUp.get(LocalDate.parse("2026-12-04"))).as("outside the window").isEqualTo(3L);
            } finally {
                catchUp.stop();
            }
        }
    }

    private Map<String, String> props(FakeGitHub github) {
        Map<String, String> props = GitHubPollerSourceConnectorTest.props();
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.url());
        props.put(GitHubPollerConfig.URL_CONFIG, github.url().toString());
        props.put(GitHubPollerConfig.TOKEN_CONFIG, FakeGitHub.TOKEN);
        props.put(GitHubPollerConfig.REPOSITORIES_CONFIG, FakeGitHub.FULL_NAME);
        props.put(GitHubPollerConfig.POLL_INTERVAL_MS_CONFIG, "100");
        return new HashMap<>(props);
    }

    /** A task on {@link #NOW}; {@code watched}: its offset reads are recorded (the reconcile-only task's). */
    private GitHubPollerSourceTask started(Map<String, String> props, boolean watched) {
        GitHubPollerSourceTask task = new GitHubPollerSourceTask(Clock.fixed(NOW, ZoneOffset.UTC));
        return PollerTasks.started(task, props, watched ? offsetReads : new ArrayList<>(), partition -> null);
    }
}
