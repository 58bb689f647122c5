package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference calculator on a dump small enough to work out by hand (2024-01-01 is a Monday):
 *
 * <pre>
 * Users     1, 2 join Jan 1; 3 joins Jan 3; row 4 has no CreationDate (rejected)
 * Q10 by 1  Jan 1 10:00    A11 by 2 Jan 1 10:30:00.5   C100 by 1 (its author) Jan 1 11:00
 *                          C101 by 3 on A11 (thread 10) Jan 2 05:00
 * Q12 by 2  Jan 1 12:00    A13 by 2 (self-answer) 12:10; C102 with no user Jan 3 12:00
 * Q14 no owner Jan 2 00:00 A16 by 1 Jan 10 00:00 (8 days = 691,200 s)
 * post 15 is a tag wiki (skipped); post 17 has a bad date (rejected)
 * C103 by 2 on unknown post 999 Jan 3 13:00; C104 by 2 on the wiki post Jan 8 (both: no thread)
 * Q18 by 3  Feb 5 09:00    C105 by 5 Feb 6 00:00 (15 h = 54,000 s)
 * C200..C219 by 6 on Q18, Apr 1 00:00..00:19; C220..C224 by 7 on Q10, Apr 2; C225 by 8 Apr 3;
 *                          C226 by 3 on his own Q18, Apr 4
 * Votes     200 upvote Jan 1 (and the same row again: one event); 201 accepts A11 Jan 2; 202 type 3
 * History   300 closes Q12 Jan 4; 301 is an edit (skipped)
 * Badges    400 to user 1 Apr 10: the latest day
 * </pre>
 */
class ReferenceMetricsTest {

    private static final String COMMUNITY = "tiny";

    @TempDir
    Path dump;

    private ReferenceMetrics metrics;

    @BeforeEach
    void writeDump() throws IOException {
        write("Users.xml", "users",
                "<row Id=\"1\" CreationDate=\"2024-01-01T08:00:00.000\" DisplayName=\"a\" />",
                "<row Id=\"2\" CreationDate=\"2024-01-01T09:00:00.000\" />",
                "<row Id=\"3\" CreationDate=\"2024-01-03T00:00:00.000\" />",
                "<row Id=\"4\" DisplayName=\"no date\" />");
        write("Posts.xml", "posts",
                post(10, 1, null, "2024-01-01T10:00:00.000", "1"),
                post(11, 2, 10, "2024-01-01T10:30:00.500", "2"),
                post(12, 1, null, "2024-01-01T12:00:00.000", "2"),
                post(13, 2, 12, "2024-01-01T12:10:00.000", "2"),
                post(14, 1, null, "2024-01-02T00:00:00.000", null),
                post(15, 5, null, "2024-01-02T00:00:00.000", "1"),
                post(16, 2, 14, "2024-01-10T00:00:00.000", "1"),
                post(17, 1, null, "bad", "3"),
                post(18, 1, null, "2024-02-05T09:00:00.000", "3"));
        List<String> comments = new ArrayList<>(List.of(
                comment(100, 10, "1", "2024-01-01T11:00:00.000"),
                comment(101, 11, "3", "2024-01-02T05:00:00.000"),
                comment(102, 12, null, "2024-01-03T12:00:00.000"),
                comment(103, 999, "2", "2024-01-03T13:00:00.000"),
                comment(104, 15, "2", "2024-01-08T00:00:00.000"),
                comment(105, 18, "5", "2024-02-06T00:00:00.000")));
        for (int i = 0; i < 20; i++) {
            comments.add(comment(200 + i, 18, "6", String.format("2024-04-01T00:%02d:00.000", i)));
        }
        for (int i = 0; i < 5; i++) {
            comments.add(comment(220 + i, 10, "7", "2024-04-02T10:00:0" + i + ".000"));
        }
        comments.add(comment(225, 12, "8", "2024-04-03T00:00:00.000"));
        comments.add(comment(226, 18, "3", "2024-04-04T00:00:00.000"));
        write("Comments.xml", "comments", comments.toArray(String[]::new));
        write("Votes.xml", "votes",
                "<row Id=\"200\" PostId=\"11\" VoteTypeId=\"2\" CreationDate=\"2024-01-01T00:00:00.000\" />",
                "<row Id=\"200\" PostId=\"11\" VoteTypeId=\"2\" CreationDate=\"2024-01-01T00:00:00.000\" />",
                "<row Id=\"201\" PostId=\"11\" VoteTypeId=\"1\" CreationDate=\"2024-01-02T00:00:00.000\" />",
                "<row Id=\"202\" PostId=\"11\" VoteTypeId=\"3\" CreationDate=\"2024-01-02T00:00:00.000\" />");
        write("PostHistory.xml", "posthistory",
                "<row Id=\"300\" PostHistoryTypeId=\"10\" PostId=\"12\" CreationDate=\"2024-01-04T00:00:00.000\" UserId=\"-1\" />",
                "<row Id=\"301\" PostHistoryTypeId=\"5\" PostId=\"12\" CreationDate=\"2024-01-04T00:00:00.000\" UserId=\"2\" />");
        write("Badges.xml", "badges",
                "<row Id=\"400\" UserId=\"1\" Name=\"Student\" Date=\"2024-04-10T00:00:00.000\" Class=\"3\" />");
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
                "staff", false, "asOfDay", "2024-04-10"));
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

    private void write(String file, String root, String... rows) throws IOException {
        StringBuilder text = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + root + ">\n");
        for (String row : rows) {
            text.append("  ").append(row).append('\n');
        }
        text.append("</").append(root).append(">\n");
        Files.writeString(dump.resolve(file), text, StandardCharsets.UTF_8);
    }

    private static String post(int id, int type, Integer parent, String created, String owner) {
        return "<row Id=\"" + id + "\" PostTypeId=\"" + type + "\""
                + (parent == null ? "" : " ParentId=\"" + parent + "\"")
                + " CreationDate=\"" + created + "\" Score=\"1\""
                + (owner == null ? "" : " OwnerUserId=\"" + owner + "\"") + " Body=\"&lt;p&gt;x&lt;/p&gt;\" />";
    }

    private static String comment(int id, int post, String user, String created) {
        return "<row Id=\"" + id + "\" PostId=\"" + post + "\" Score=\"0\" Text=\"t\" CreationDate=\"" + created + "\""
                + (user == null ? "" : " UserId=\"" + user + "\"") + " />";
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
