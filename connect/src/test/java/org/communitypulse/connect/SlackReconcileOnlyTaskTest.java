package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.ingest.slack.FakeSlackWorkspace;
import org.communitypulse.ingest.slack.SlackPoller;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code reconcile.only}: a full recount of the window per poll, published as day counts only, with no offset
 * read or written (so the catch-up cursor of the same channels never moves).
 */
class SlackReconcileOnlyTaskTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final PollerTasks.Registry registry = new PollerTasks.Registry();
    private final List<Map<String, ?>> offsetReads = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void shouldPublishOnlyOneFullRecountPerDayOfTheWindowAndNoOffsetWhenReconcileOnly() throws Exception {
        try (FakeSlackWorkspace slack = new FakeSlackWorkspace().channel("C0ONE").channel("C0TWO")) {
            // Two days ago (first day of a 3-day window), yesterday, today; and the day before the window.
            String old = ts("2026-12-04T23:00:00Z");
            slack.post("C0ONE", "U1", old, "before the window");
            slack.reply("C0ONE", old, "U2", ts("2026-12-04T23:30:00Z"), "before the window too");
            String thread = ts("2026-12-05T00:00:00Z");
            slack.post("C0ONE", "U1", thread, "at 00:00 UTC of the first day");
            slack.reply("C0ONE", thread, "U2", ts("2026-12-05T10:00:00Z"), "r1");
            slack.reply("C0ONE", thread, "U3", ts("2026-12-07T09:00:00Z"), "r2, today");
            slack.post("C0TWO", "U4", ts("2026-12-05T11:00:00Z"), "other channel");
            slack.botMessage("C0TWO", ts("2026-12-07T08:00:00Z"), "bots are not counted");
            slack.post("C0TWO", "U4", ts("2026-12-07T11:59:59.500Z"), "too fresh: the next poll's");

            Map<String, String> props = SlackPollerSourceConnectorTest.props(slack.url().toString());
            props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.url());
            props.put(SlackPollerConfig.RECONCILE_ONLY_CONFIG, "true");
            props.put(SlackPollerConfig.RECONCILE_DAYS_CONFIG, "3");
            props.put(SlackPollerConfig.POLL_INTERVAL_MS_CONFIG, "100");
            SlackPollerSourceTask task = started(props);
            try {
                List<SourceRecord> first = PollerTasks.pollOnce(task);
                assertThat(first).allSatisfy(r -> {
                    assertThat(r.topic()).isEqualTo("pulse.platform.counts");
                    assertThat(r.sourcePartition()).isNull();
                    assertThat(r.sourceOffset()).isNull();
                });
                List<PlatformDayCount> counts = first.stream().map(r -> PollerTasks.decodeDayCount((byte[]) r.value())).toList();
                assertThat(counts).extracting(PlatformDayCount::getDay).containsExactly(
                        LocalDate.parse("2026-12-05"), LocalDate.parse("2026-12-06"), LocalDate.parse("2026-12-07"));
                assertThat(counts).extracting(PlatformDayCount::getItems).containsExactly(3L, 0L, 1L);
                assertThat(counts).allSatisfy(c -> {
                    assertThat(c.getCommunityId()).isEqualTo("workspace");
                    assertThat(c.getSource()).isEqualTo(SourcePlatform.SLACK);
                    assertThat(c.getObservedAt()).isEqualTo(NOW);
                    assertThat(c.getCompleteThrough()).isEqualTo(NOW.minusSeconds(2));
                });
                assertThat(slack.calls("users.list")).as("members are not read").isZero();

                // The next poll counts the whole window again: same counts, whatever the first published.
                List<SourceRecord> second = PollerTasks.pollOnce(task);
                assertThat(second.stream().map(r -> PollerTasks.decodeDayCount((byte[]) r.value()).getItems()))
                        .containsExactly(3L, 0L, 1L);
                assertThat(offsetReads).as("the catch-up's offsets, never read").isEmpty();
            } finally {
                task.stop();
            }
        }
    }

    private static String ts(String instant) {
        return SlackPoller.ts(Instant.parse(instant));
    }

    private SlackPollerSourceTask started(Map<String, String> props) {
        SlackPollerSourceTask task = new SlackPollerSourceTask(() -> NOW);
        return PollerTasks.started(task, props, offsetReads,
                partition -> Map.of(SlackPoller.ChannelState.OFFSET_TS, "1765000000.000000"));
    }
}
