package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference calculator on {@link TinyDump}, whose metrics are worked out by hand below. */
class ReferenceMetricsTest {

    private static final String COMMUNITY = "tiny";

    @TempDir
    Path dump;

    private ReferenceMetrics metrics;

    @BeforeEach
    void writeDump() throws IOException {
        TinyDump.writeTo(dump);
        metrics = ReferenceMetrics.fromDump(dump, COMMUNITY);
    }

    @Test
    void shouldMakeOneEventPerValidDistinctRowWhenDumpHasSkippedRejectedAndRepeatedRows() {
        // 3 joins + 7 questions and answers + 33 comments + 2 votes + 1 history + 1 badge.
        assertThat(metrics.events()).hasSize(47);
        ReferenceMetrics.Event accepted = metrics.events().stream()
                .filter(e -> e.type() == ReferenceMetrics.Type.ANSWER_ACCEPTED).findFirst().orElseThrow();
        assertThat(accepted.answerAuthor()).isEqualTo("2");
        assertThat(accepted.thread()).isEqualTo("10");
        // Comment 200 and vote 200 are different items.
        assertThat(metrics.events()).extracting(ReferenceMetrics.Event::id).contains("comment/200", "vote/200");
    }

    @Test
    void shouldCountEveryDailyFieldWhenDayHasThreadsRepliesAndResponses() {
        // Q10 first answered by 2 after 1,800.5 s (its author's comment does not count); Q12 self-answered,
        // then answered by nobody known after 172,800 s. Ranks: p50 ceil(1.0) = 1, p90 ceil(1.8) = 2.
        assertThat(fields(metrics.daily("2024-01-01"))).containsExactlyEntriesOf(ordered(
                "communityId", COMMUNITY, "day", "2024-01-01", "threads", 2, "answers", 2, "comments", 1,
                "otherReplies", 0, "replies", 3, "reactions", 1, "acceptedAnswers", 0, "newMembers", 2,
                "activeMembers", 2, "events", 8, "peerReplies", 3, "peerReplyShare", 1.0,
                "peerAcceptedAnswers", 0, "peerAcceptedShare", null, "threadsResponded", 2, "threadsUnanswered", 0,
                "firstResponseP50Seconds", 1800, "firstResponseP90Seconds", 172_800,
                "respondedWithin24hShare", 0.5, "respondedWithin7dShare", 1.0));
    }

    @Test
    void shouldLetAnyReplyRespondWhenThreadHasNoAuthorAndCountOnlyActorsAsActive() {
        // Q14 (no owner) answered after 8 days: responded, but neither within 24 h nor within 7 d.
        // Its creator is no member, so only 3 (comment 101) is active.
        ObjectNode jan2 = metrics.daily("2024-01-02");
        assertThat(fields(jan2)).containsAllEntriesOf(ordered("threads", 1, "replies", 1, "comments", 1,
                "acceptedAnswers", 1, "peerAcceptedAnswers", 1, "peerAcceptedShare", 1.0, "activeMembers", 1,
                "events", 3, "threadsResponded", 1, "firstResponseP50Seconds", 691_200,
                "firstResponseP90Seconds", 691_200, "respondedWithin24hShare", 0.0, "respondedWithin7dShare", 0.0));
    }

    @Test
    void shouldGiveNullSharesAndQuantilesWhenDayHasNoThreadsOrNoReplies() {
        assertThat(fields(metrics.daily("2024-01-03"))).containsAllEntriesOf(ordered("threads", 0, "replies", 2,
                "comments", 2, "newMembers", 1, "activeMembers", 1, "events", 3, "threadsResponded", 0,
                "firstResponseP50Seconds", null, "respondedWithin24hShare", null, "peerAcceptedShare", null));
        // A day with only a moderation action still has a record; nothing to divide by.
        assertThat(fields(metrics.daily("2024-01-04"))).containsAllEntriesOf(ordered("events", 1, "replies", 0,
                "activeMembers", 0, "peerReplyShare", null));
        assertThat(fields(metrics.daily("2024-02-05"))).containsAllEntriesOf(ordered("threads", 1,
                "threadsResponded", 1, "firstResponseP50Seconds", 54_000, "respondedWithin24hShare", 1.0));
        assertThat(metrics.records().get(ReferenceMetrics.DAILY).keySet()).hasSize(13);
        assertThat(metrics.daily("2024-01-05")).isNull();
    }

    @Test
    void shouldComputeWindowsAndOpenBacklogWhenTrailingDayIsBusy() {
        // Window Dec 7..Jan 3: members 1 (2 contributions), 2 (4), 3 (1); DAU 2, 1, 1; Q14 still open.
        assertThat(fields(metrics.trailing("2024-01-03"))).containsExactlyEntriesOf(ordered(
                "communityId", COMMUNITY, "day", "2024-01-03", "dau", 1, "wau", 3, "mau", 3,
                "stickiness", 4 / 28.0 / 3, "threads7d", 3, "replies7d", 6, "threads28d", 3, "replies28d", 6,
                "contributions28d", 7, "top1PercentShare", 4 / 7.0, "top10PercentShare", 4 / 7.0,
                "peerReplyShare28d", 1.0, "openThreads", 1));
        // Q12's first response came on Jan 3, so on Jan 1 it is still open; Q10 was answered the same day.
        assertThat(fields(metrics.trailing("2024-01-01"))).containsAllEntriesOf(ordered("dau", 2, "mau", 2,
                "contributions28d", 5, "top1PercentShare", 0.6, "openThreads", 1));
        // Quiet day: WAU from Jan 3 and Jan 8 (member 2 both), Q14 open until Jan 10.
        assertThat(fields(metrics.trailing("2024-01-09"))).containsAllEntriesOf(ordered("dau", 0, "wau", 1,
                "mau", 3, "stickiness", 5 / 28.0 / 3, "replies7d", 3, "replies28d", 7, "contributions28d", 8,
                "top1PercentShare", 0.625, "openThreads", 1));
        assertThat(metrics.trailing("2024-01-10").get("openThreads").asLong()).isZero();
        assertThat(fields(metrics.trailing("2024-02-05"))).containsAllEntriesOf(ordered("mau", 2,
                "threads28d", 1, "replies28d", 1, "openThreads", 1));
        assertThat(metrics.trailing("2024-02-06").get("openThreads").asLong()).isZero();
    }

    @Test
    void shouldEmitEveryCalendarDayWithNullRatiosWhenWindowIsEmpty() {
        // Jan 1 .. Apr 10 2024 (a leap year): 31 + 29 + 31 + 10.
        assertThat(metrics.records().get(ReferenceMetrics.TRAILING)).hasSize(101);
        assertThat(fields(metrics.trailing("2024-03-20"))).containsAllEntriesOf(ordered("dau", 0, "wau", 0,
                "mau", 0, "stickiness", null, "contributions28d", 0, "top1PercentShare", null,
                "top10PercentShare", null, "peerReplyShare28d", null, "openThreads", 0));
        // Members 6 (20), 7 (5), 8 (1) and 3 (1) over Mar 14..Apr 10; k = ceil(0.04) = ceil(0.4) = 1.
        assertThat(fields(metrics.trailing("2024-04-10"))).containsAllEntriesOf(ordered("dau", 0, "wau", 1,
                "mau", 4, "stickiness", 4 / 28.0 / 4, "replies7d", 1, "replies28d", 27, "contributions28d", 27,
                "top1PercentShare", 20 / 27.0, "top10PercentShare", 20 / 27.0));
        assertThat(metrics.trailing("2023-12-31")).isNull();
        assertThat(metrics.trailing("2024-04-11")).isNull();
    }

    @Test
    void shouldRetainOnlyContributionsInWeeksTwoToFiveWhenCohortsAreBuilt() {
        // Week of Jan 1: 1 (back Jan 10), 2 (back Jan 8, the first day of the window), 3 (back only on
        // Feb 5 = Jan 1 + 35, just outside, and Apr 4).
        assertThat(fields(metrics.retention("2024-01-01"))).containsExactlyEntriesOf(ordered(
                "communityId", COMMUNITY, "cohortWeek", "2024-01-01", "cohortSize", 3, "retained", 2,
                "retainedShare", 2 / 3.0, "complete", true));
        assertThat(fields(metrics.retention("2024-02-05"))).containsAllEntriesOf(ordered("cohortSize", 1,
                "retained", 0, "retainedShare", 0.0, "complete", true));
        // Apr 10 is before Apr 1 + 34 days.
        assertThat(fields(metrics.retention("2024-04-01"))).containsAllEntriesOf(ordered("cohortSize", 3,
                "retained", 0, "complete", false));
        assertThat(metrics.records().get(ReferenceMetrics.RETENTION)).hasSize(3);
    }

    @Test
    void shouldLevelMembersAsOfLatestDayWhenBadgeIsTheLastEvent() {
        // Window Mar 14..Apr 10.
        assertThat(fields(metrics.member("6"))).containsExactlyEntriesOf(ordered("communityId", COMMUNITY,
                "memberId", "6", "level", "CHAMPION", "contributions28d", 20, "contributionsTotal", 20,
                "firstContributionAt", "2024-04-01T00:00:00Z", "lastContributionAt", "2024-04-01T00:19:00Z",
                "staff", false));
        assertThat(metrics.member("7").get("level").asText()).isEqualTo("CONTRIBUTOR");
        assertThat(metrics.member("8").get("level").asText()).isEqualTo("NEWCOMER");
        assertThat(metrics.member("3").get("level").asText()).isEqualTo("PARTICIPANT");
        // Five contributions, but none in the window.
        assertThat(fields(metrics.member("2"))).containsAllEntriesOf(ordered("level", "INACTIVE",
                "contributions28d", 0, "contributionsTotal", 5, "firstContributionAt", "2024-01-01T10:30:00.500Z",
                "lastContributionAt", "2024-01-08T00:00:00Z"));
        assertThat(metrics.records().get(ReferenceMetrics.LEVELS).keySet()).hasSize(7);
        // Joining alone (member of no contribution) gives no level.
        assertThat(metrics.member("4")).isNull();
    }

    @Test
    void shouldFindNoDifferenceWhenRecordsMeetThemselvesAndSomeWhenAFieldIsOff() {
        Map<String, Map<String, JsonNode[]>> copy = new LinkedHashMap<>();
        metrics.records().forEach((topic, records) -> {
            Map<String, JsonNode[]> c = new LinkedHashMap<>();
            records.forEach((k, kv) -> c.put(k, new JsonNode[] {kv[0], kv[1].deepCopy()}));
            copy.put(topic, c);
        });
        assertThat(MetricsFile.differences(metrics.records(), copy)).isEmpty();

        ObjectNode jan1 = (ObjectNode) copy.get(ReferenceMetrics.DAILY).values().iterator().next()[1];
        jan1.put("threads", 3);
        jan1.put("peerReplyShare", 1.0 + 1e-12);
        copy.get(ReferenceMetrics.LEVELS).remove(copy.get(ReferenceMetrics.LEVELS).keySet().iterator().next());
        List<String> diffs = MetricsFile.differences(metrics.records(), copy);
        assertThat(diffs).hasSize(2);
        assertThat(diffs.get(0)).contains("day=2024-01-01", "threads: expected 2, actual 3");
        assertThat(diffs.get(1)).contains("missing key");
    }

    @Test
    void shouldStartThreadOnceAndKeepThreadlessOnesOpenWhenEventsRepeatOrLackThread() {
        // Events no Stack Exchange row can give: a second THREAD_CREATED of thread t (counted, but t
        // stays a's thread, first answered by b after 25 h), one without a thread, a repeated id (first
        // wins) and a stamp before 2000 (dead-lettered by the intake).
        long jan1 = Instant.parse("2024-01-01T10:00:00Z").toEpochMilli();
        long hour = 3_600_000L;
        ReferenceMetrics m = ReferenceMetrics.fromEvents(COMMUNITY, List.of(
                event("1", ReferenceMetrics.Type.THREAD_CREATED, "a", "t", jan1),
                event("2", ReferenceMetrics.Type.THREAD_CREATED, "b", "t", jan1 + 24 * hour),
                event("3", ReferenceMetrics.Type.REPLY_CREATED, "b", "t", jan1 + 25 * hour),
                event("4", ReferenceMetrics.Type.THREAD_CREATED, "c", null, jan1 + 2 * hour),
                event("3", ReferenceMetrics.Type.REPLY_CREATED, "a", "t", jan1 + hour),
                event("5", ReferenceMetrics.Type.REPLY_CREATED, "d", "t", 0)));
        assertThat(m.events()).hasSize(4);
        assertThat(fields(m.daily("2024-01-01"))).containsAllEntriesOf(ordered("threads", 2,
                "threadsResponded", 1, "threadsUnanswered", 1, "firstResponseP50Seconds", 90_000,
                "respondedWithin24hShare", 0.0, "respondedWithin7dShare", 0.5));
        assertThat(fields(m.daily("2024-01-02"))).containsAllEntriesOf(ordered("threads", 1, "replies", 1,
                "threadsResponded", 0, "threadsUnanswered", 1, "firstResponseP50Seconds", null,
                "respondedWithin7dShare", 0.0));
        assertThat(m.trailing("2024-01-01").get("openThreads").asLong()).isEqualTo(2);
        assertThat(m.trailing("2024-01-02").get("openThreads").asLong()).isEqualTo(1);
    }

    private static ReferenceMetrics.Event event(String id, ReferenceMetrics.Type type, String actor, String thread,
                                                long at) {
        return new ReferenceMetrics.Event("test/" + id, type, actor, thread, at,
                type == ReferenceMetrics.Type.REPLY_CREATED ? "answer" : null, null);
    }

    /** A record's fields as plain Java values (Long, Double, String, Boolean, null), in record order. */
    private static Map<String, Object> fields(JsonNode record) {
        assertThat(record).as("record").isNotNull();
        Map<String, Object> out = new LinkedHashMap<>();
        record.fields().forEachRemaining(f -> out.put(f.getKey(), plain(f.getValue())));
        return out;
    }

    private static Object plain(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.asText();
    }

    /** name, value, name, value... with ints widened to Long, as {@link #fields} gives them. */
    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            out.put((String) pairs[i], v instanceof Integer n ? Long.valueOf(n) : v);
        }
        return out;
    }
}
