package org.communitypulse.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackPollerTest {

    private static final String COMMUNITY = "workspace";
    private static final MemberPseudonymiser MEMBERS = MemberPseudonymiser.fromKey("poll-test-key-0123456789", "k",
            null, "f");

    private final FakeSlackWorkspace slack;
    private final SlackApiClient api;
    private final SlackPoller poller;

    SlackPollerTest() throws Exception {
        slack = new FakeSlackWorkspace().channel("C123ABC456");
        api = new SlackApiClient(new SlackApiClient.Settings(slack.url(), FakeSlackWorkspace.TOKEN,
                Duration.ofSeconds(5), 2, Duration.ofMillis(10), Duration.ofMillis(20), 1000, 1000));
        poller = new SlackPoller(api, MEMBERS, Duration.ofDays(3));
    }

    @AfterEach
    void close() {
        slack.close();
    }

    /** The message object of an Events API sample, as the history API lists it (no channel, no event fields). */
    private static ObjectNode listed(JsonNode webhook) {
        ObjectNode message = webhook.path("event").deepCopy();
        message.remove(List.of("channel", "channel_type", "event_ts"));
        return message;
    }

    @Test
    void shouldMapPolledMessagesToTheWebhookEventsWhenTheSameMessagesAreListed() {
        JsonNode top = WebhookSamples.json("slack", "message");
        JsonNode reply = WebhookSamples.json("slack", "message.thread_reply");
        ObjectNode parent = slack.post("C123ABC456", "U123ABC456", "1355517523.000005", "Hello world");
        parent.setAll(listed(top));
        ObjectNode answer = slack.reply("C123ABC456", "1355517523.000005", "U222BBB222", "1482960137.003543", "x");
        answer.setAll(listed(reply));
        SlackPayloadMapper webhook = new SlackPayloadMapper(MEMBERS);
        List<ActivityEvent> delivered = List.of(
                webhook.map(null, top, COMMUNITY, Instant.now()).events().get(0),
                webhook.map(null, reply, COMMUNITY, Instant.now()).events().get(0));

        SlackPoller.ChannelRead read = poller.read(SlackPoller.ChannelState.start("C123ABC456",
                Instant.ofEpochSecond(1_355_517_000L)), COMMUNITY, Instant.ofEpochSecond(1_482_960_200L));

        assertThat(read.items()).extracting(SlackPoller.Item::event).containsExactlyElementsOf(delivered);
        assertThat(delivered).extracting(ActivityEvent::getType)
                .containsExactly(EventType.THREAD_CREATED, EventType.REPLY_CREATED);
    }

    @Test
    void shouldReadNewRepliesOfAnOlderThreadWhenItsLatestReplyMoved() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        String old = SlackPoller.ts(now.minusSeconds(7200));
        slack.post("C123ABC456", "U1", old, "an older thread");
        slack.reply("C123ABC456", old, "U2", SlackPoller.ts(now.minusSeconds(7100)), "read before");
        slack.post("C123ABC456", "U3", SlackPoller.ts(now.minusSeconds(5000)), "a quiet thread");
        SlackPoller.ChannelState cursor = new SlackPoller.ChannelState("C123ABC456",
                SlackPoller.ts(now.minusSeconds(3600)), SlackPoller.ts(now.minusSeconds(9000)), new TreeMap<>());
        String late = SlackPoller.ts(now.minusSeconds(60));
        slack.reply("C123ABC456", old, "U4", late, "a reply to the old thread, after the cursor");

        SlackPoller.ChannelRead read = poller.read(cursor, COMMUNITY, now);

        assertThat(read.items()).hasSize(1);
        ActivityEvent event = read.items().get(0).event();
        assertThat(event.getType()).isEqualTo(EventType.REPLY_CREATED);
        assertThat(event.getThreadId()).isEqualTo("C123ABC456/" + old);
        assertThat(event.getOccurredAt()).isEqualTo(SlackPoller.instant(late));
        // One history read, one replies read: the quiet thread and the old replies are not asked for again.
        assertThat(slack.calls("conversations.history")).isEqualTo(1);
        assertThat(slack.calls("conversations.replies")).isEqualTo(1);
        assertThat(read.next().ts()).isEqualTo(SlackPoller.ts(now.minus(SlackPoller.SETTLE)));
    }

    @Test
    void shouldSkipAThreadDeletedBetweenHistoryAndRepliesWhenSlackAnswersThreadNotFound() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        String parent = SlackPoller.ts(now.minusSeconds(600));
        slack.post("C123ABC456", "U1", parent, "deleted in a moment");
        slack.reply("C123ABC456", parent, "U2", SlackPoller.ts(now.minusSeconds(300)), "reply");
        slack.answerOnce("conversations.replies", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("ok", false).put("error", "thread_not_found"));

        SlackPoller.ChannelRead read = poller.read(SlackPoller.ChannelState.start("C123ABC456",
                now.minusSeconds(3600)), COMMUNITY, now);

        assertThat(read.items()).extracting(i -> i.event().getType()).containsExactly(EventType.THREAD_CREATED);
    }

    @Test
    void shouldMissRepliesToThreadsOlderThanTheWindowWhenOnlyThreadsInTheWindowAreFollowed() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        String ancient = SlackPoller.ts(now.minus(Duration.ofDays(5)));
        slack.post("C123ABC456", "U1", ancient, "older than the 3-day window");
        slack.reply("C123ABC456", ancient, "U2", SlackPoller.ts(now.minusSeconds(60)), "late reply");
        SlackPoller.ChannelState cursor = new SlackPoller.ChannelState("C123ABC456",
                SlackPoller.ts(now.minusSeconds(600)), SlackPoller.ts(now.minus(Duration.ofDays(6))), new TreeMap<>());

        assertThat(poller.read(cursor, COMMUNITY, now).items()).isEmpty();
    }

    @Test
    void shouldCountThreadsAndRepliesPerDayAndLeaveTheNewestForTheNextPollWhenBotsAndSettlingMessagesArePresent() {
        Instant now = Instant.parse("2026-12-07T00:30:00Z");
        String yesterday = SlackPoller.ts(Instant.parse("2026-12-06T23:00:00Z"));
        slack.post("C123ABC456", "U1", yesterday, "thread yesterday");
        slack.reply("C123ABC456", yesterday, "U2", SlackPoller.ts(Instant.parse("2026-12-06T23:10:00Z")), "r1");
        slack.reply("C123ABC456", yesterday, "U3", SlackPoller.ts(Instant.parse("2026-12-07T00:10:00Z")), "r2");
        slack.botMessage("C123ABC456", SlackPoller.ts(Instant.parse("2026-12-07T00:11:00Z")), "deploy done");
        slack.post("C123ABC456", "U1", SlackPoller.ts(now.minusMillis(500)), "too fresh for this poll");
        SlackPoller.ChannelState start = SlackPoller.ChannelState.start("C123ABC456",
                Instant.parse("2026-12-06T00:00:00Z"));

        SlackPoller.ChannelRead read = poller.read(start, COMMUNITY, now);

        assertThat(read.items()).hasSize(3);
        assertThat(read.unmapped()).isEqualTo(1);
        assertThat(read.next().days()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                LocalDate.parse("2026-12-06"), 2L, LocalDate.parse("2026-12-07"), 1L)));
        assertThat(read.touched()).containsExactly(LocalDate.parse("2026-12-06"), LocalDate.parse("2026-12-07"));
        // Each item carries the state up to itself: a restart after the first commits never counts it twice.
        assertThat(read.items().get(0).after().days()).containsExactlyEntriesOf(
                new TreeMap<>(Map.of(LocalDate.parse("2026-12-06"), 1L)));
        SlackPoller.ChannelState restored = SlackPoller.ChannelState.fromOffset("C123ABC456",
                read.next().toOffset(), null);
        assertThat(restored).isEqualTo(read.next());
        assertThat(SlackPoller.dayCounts(List.of(restored), restored.days())).containsExactlyEntriesOf(
                restored.days());

        SlackPoller.ChannelRead second = poller.read(restored, COMMUNITY, now.plusSeconds(60));
        assertThat(second.items()).extracting(i -> i.event().getOccurredAt())
                .containsExactly(SlackPoller.instant(SlackPoller.ts(now.minusMillis(500))));
        assertThat(second.next().days().get(LocalDate.parse("2026-12-07"))).isEqualTo(2L);
    }

    @Test
    void shouldRecountThreadsAndRepliesPerDayOfTheWindowFromTheListingsWithoutACursor() {
        Instant now = Instant.parse("2026-12-07T00:30:00Z");
        Instant from = Instant.parse("2026-12-06T00:00:00Z");
        // Before the window: neither the thread nor its late reply is listed (the documented limit).
        String before = SlackPoller.ts(Instant.parse("2026-12-05T23:59:59Z"));
        slack.post("C123ABC456", "U1", before, "the day before the window");
        slack.reply("C123ABC456", before, "U2", SlackPoller.ts(Instant.parse("2026-12-06T08:00:00Z")), "late");
        String thread = SlackPoller.ts(from.plusSeconds(1));
        slack.post("C123ABC456", "U1", thread, "first second of the window");
        slack.reply("C123ABC456", thread, "U2", SlackPoller.ts(Instant.parse("2026-12-06T09:00:00Z")), "r1");
        slack.reply("C123ABC456", thread, "U3", SlackPoller.ts(Instant.parse("2026-12-07T00:05:00Z")), "r2");
        slack.post("C123ABC456", "U4", SlackPoller.ts(Instant.parse("2026-12-06T20:00:00Z")), "no replies");
        slack.botMessage("C123ABC456", SlackPoller.ts(Instant.parse("2026-12-07T00:11:00Z")), "deploy done");
        slack.post("C123ABC456", "U1", SlackPoller.ts(now.minusMillis(500)), "too fresh for this poll");

        SlackPoller.Recount recount = poller.recount("C123ABC456", COMMUNITY, from, now);

        assertThat(recount.days()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                LocalDate.parse("2026-12-06"), 3L, LocalDate.parse("2026-12-07"), 1L)));
        assertThat(recount.through()).isEqualTo(now.minus(SlackPoller.SETTLE));
        assertThat(slack.queries()).filteredOn(q -> "conversations.history".equals(q.get("method")))
                .allSatisfy(q -> assertThat(q).containsEntry("oldest", SlackPoller.ts(from)));
        // No cursor: the same window read again gives the same counts.
        assertThat(poller.recount("C123ABC456", COMMUNITY, from, now).days())
                .containsExactlyEntriesOf(recount.days());
        // The catch-up reading the same window (threads of the window only) counts the same items.
        SlackPoller.ChannelRead read = new SlackPoller(api, MEMBERS, Duration.ZERO).read(
                SlackPoller.ChannelState.start("C123ABC456", from), COMMUNITY, now);
        assertThat(read.next().days()).containsExactlyEntriesOf(recount.days());
        // With its 3-day thread window it also follows the older thread: more than the recount, never less.
        assertThat(poller.read(SlackPoller.ChannelState.start("C123ABC456", from), COMMUNITY, now).next().days())
                .containsEntry(LocalDate.parse("2026-12-06"), 4L);
    }

    @Test
    void shouldLeaveADayOutOfTheCountsWhenAChannelStartedReadingDuringIt() {
        SlackPoller.ChannelState started = SlackPoller.ChannelState.start("C1", Instant.parse("2026-12-06T10:00:00Z"));
        SlackPoller.ChannelState full = SlackPoller.ChannelState.start("C2", Instant.parse("2026-12-06T00:00:00Z"));
        TreeMap<LocalDate, Long> days = new TreeMap<>(Map.of(LocalDate.parse("2026-12-06"), 1L,
                LocalDate.parse("2026-12-07"), 0L));

        assertThat(SlackPoller.dayCounts(List.of(started, full), days)).containsOnlyKeys(
                LocalDate.parse("2026-12-07"));
        assertThat(SlackPoller.dayCounts(List.of(full), days)).containsOnlyKeys(LocalDate.parse("2026-12-06"),
                LocalDate.parse("2026-12-07"));
    }

    @Test
    void shouldMapRolesAndDeactivationsChangedAfterTheCursorWhenUsersAreListed() {
        slack.answerOnce("users.list", FakeSlackWorkspace.resource("users.list.json"));

        SlackPoller.MembersRead read = poller.members(1_490_000_000L, COMMUNITY);

        // Only spengler (updated 1502138686) changed after the cursor; glinda (1480527098) did not.
        assertThat(read.users()).isEqualTo(1);
        assertThat(read.updated()).isEqualTo(1_502_138_686L);
        assertThat(read.events()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(EventType.ROLE_GRANTED);
            assertThat(e.getActorId()).isEqualTo(MEMBERS.apply(e.getSource(), "W012A3CDE"));
            assertThat(e.getOccurredAt()).isEqualTo(Instant.ofEpochSecond(1_502_138_686L));
        });
        assertThat(slack.queries()).extracting(q -> q.get("method")).containsExactly("users.list", "users.list");
    }
}
