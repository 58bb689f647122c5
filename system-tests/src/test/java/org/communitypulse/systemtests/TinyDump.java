package org.communitypulse.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Stack Exchange dump small enough to work out its metrics by hand (2024-01-01 is a Monday), with
 * skipped, rejected and repeated rows, threadless comments, a champion, a contributor and a newcomer:
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
final class TinyDump {

    private TinyDump() {
    }

    /** Writes the dump's XML files into {@code dump} (an existing folder). */
    static void writeTo(Path dump) throws IOException {
        write(dump, "Users.xml", "users",
                "<row Id=\"1\" CreationDate=\"2024-01-01T08:00:00.000\" DisplayName=\"a\" />",
                "<row Id=\"2\" CreationDate=\"2024-01-01T09:00:00.000\" />",
                "<row Id=\"3\" CreationDate=\"2024-01-03T00:00:00.000\" />",
                "<row Id=\"4\" DisplayName=\"no date\" />");
        write(dump, "Posts.xml", "posts",
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
        write(dump, "Comments.xml", "comments", comments.toArray(String[]::new));
        write(dump, "Votes.xml", "votes",
                "<row Id=\"200\" PostId=\"11\" VoteTypeId=\"2\" CreationDate=\"2024-01-01T00:00:00.000\" />",
                "<row Id=\"200\" PostId=\"11\" VoteTypeId=\"2\" CreationDate=\"2024-01-01T00:00:00.000\" />",
                "<row Id=\"201\" PostId=\"11\" VoteTypeId=\"1\" CreationDate=\"2024-01-02T00:00:00.000\" />",
                "<row Id=\"202\" PostId=\"11\" VoteTypeId=\"3\" CreationDate=\"2024-01-02T00:00:00.000\" />");
        write(dump, "PostHistory.xml", "posthistory",
                "<row Id=\"300\" PostHistoryTypeId=\"10\" PostId=\"12\" CreationDate=\"2024-01-04T00:00:00.000\" UserId=\"-1\" />",
                "<row Id=\"301\" PostHistoryTypeId=\"5\" PostId=\"12\" CreationDate=\"2024-01-04T00:00:00.000\" UserId=\"2\" />");
        write(dump, "Badges.xml", "badges",
                "<row Id=\"400\" UserId=\"1\" Name=\"Student\" Date=\"2024-04-10T00:00:00.000\" Class=\"3\" />");
    }

    private static void write(Path dump, String file, String root, String... rows) throws IOException {
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
}
