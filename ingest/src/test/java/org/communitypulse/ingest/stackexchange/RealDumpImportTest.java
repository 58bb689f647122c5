package org.communitypulse.ingest.stackexchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Imports the real bicycles.meta dump and checks the counts against a deliberately naive second
 * reading of the same files (regular expressions over lines), which shares no code with the importer.
 */
class RealDumpImportTest {

    private static Path dump;
    private static ImportSummary summary;
    private static List<ActivityEvent> events;

    static Path realDump() {
        String shared = System.getProperty("pulse.shared.data");
        Path dir = shared == null ? null : Path.of(shared, "stackexchange", "bicycles.meta");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(dir), "real dump not available: " + dir);
        return dir;
    }

    @BeforeAll
    static void importOnce() {
        dump = realDump();
        CollectingEventSink sink = new CollectingEventSink();
        summary = new StackExchangeImporter().run(dump, "bicycles.meta", sink, ProgressListener.NONE);
        events = sink.events();
    }

    private static List<String> rows(String file) throws IOException {
        return Files.readAllLines(dump.resolve(file), StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains("<row ")).toList();
    }

    private static String attr(String line, String name) {
        // A space before the name so that "Id" does not match "PostId".
        Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    private static long count(List<String> rows, String name, Set<String> values) {
        return rows.stream().filter(r -> values.contains(attr(r, name))).count();
    }

    @Test
    void shouldMatchIndependentCountsWhenImportingRealDump() throws IOException {
        List<String> posts = rows("Posts.xml");
        List<String> comments = rows("Comments.xml");
        List<String> votes = rows("Votes.xml");
        List<String> history = rows("PostHistory.xml");

        assertThat(summary.rejectedTotal()).as(summary.render()).isZero();
        assertThat(summary.missingFiles()).isEmpty();
        assertThat(summary.events(EventType.MEMBER_JOINED)).isEqualTo(rows("Users.xml").size());
        assertThat(summary.events(EventType.THREAD_CREATED)).isEqualTo(count(posts, "PostTypeId", Set.of("1")));
        assertThat(summary.events(EventType.REPLY_CREATED))
                .isEqualTo(count(posts, "PostTypeId", Set.of("2")) + comments.size());
        assertThat(summary.events(EventType.REACTION_ADDED)).isEqualTo(count(votes, "VoteTypeId", Set.of("2")));
        assertThat(summary.events(EventType.ANSWER_ACCEPTED)).isEqualTo(count(votes, "VoteTypeId", Set.of("1")));
        assertThat(summary.events(EventType.MODERATION_ACTION)).isEqualTo(
                count(history, "PostHistoryTypeId", Set.of("10", "11", "12", "13", "14", "15")));
        assertThat(summary.events(EventType.BADGE_AWARDED)).isEqualTo(rows("Badges.xml").size());
        assertThat(summary.rowsReadByFile()).containsEntry("Posts.xml", (long) posts.size())
                .containsEntry("Votes.xml", (long) votes.size());
        assertThat(events).hasSize((int) summary.totalEvents());
        assertThat(events.stream().map(ActivityEvent::getEventId).distinct().count()).isEqualTo(events.size());
    }

    @Test
    void shouldPutCommentsInTheThreadOfTheirQuestionWhenImportingRealDump() throws IOException {
        Map<String, String> threadOfPost = new HashMap<>();
        for (String post : rows("Posts.xml")) {
            String type = attr(post, "PostTypeId");
            if ("1".equals(type)) {
                threadOfPost.put(attr(post, "Id"), attr(post, "Id"));
            } else if ("2".equals(type)) {
                threadOfPost.put(attr(post, "Id"), attr(post, "ParentId"));
            }
        }
        Map<String, String> expected = new HashMap<>();
        for (String comment : rows("Comments.xml")) {
            expected.put(attr(comment, "Id"), String.valueOf(threadOfPost.get(attr(comment, "PostId"))));
        }
        // Comment events carry no row id; compare per parent post, which determines the thread.
        Map<String, String> actualByParent = events.stream()
                .filter(e -> "comment".equals(e.getAttributes().get("kind")))
                .collect(Collectors.toMap(ActivityEvent::getParentId, e -> String.valueOf(e.getThreadId()),
                        (a, b) -> a));
        Map<String, String> expectedByParent = rows("Comments.xml").stream()
                .collect(Collectors.toMap(c -> attr(c, "PostId"), c -> expected.get(attr(c, "Id")), (a, b) -> a));
        assertThat(actualByParent).isEqualTo(expectedByParent);

        long commentsOnAnswers = rows("Comments.xml").stream()
                .filter(c -> {
                    String thread = threadOfPost.get(attr(c, "PostId"));
                    return thread != null && !thread.equals(attr(c, "PostId"));
                }).count();
        assertThat(commentsOnAnswers).as("the dump has comments on answers to check").isPositive();

        long unknown = 0;
        for (String c : rows("Comments.xml")) {
            unknown += threadOfPost.containsKey(attr(c, "PostId")) ? 0 : 1;
        }
        for (String v : rows("Votes.xml")) {
            if (Set.of("1", "2").contains(attr(v, "VoteTypeId"))) {
                unknown += threadOfPost.containsKey(attr(v, "PostId")) ? 0 : 1;
            }
        }
        for (String h : rows("PostHistory.xml")) {
            if (Set.of("10", "11", "12", "13", "14", "15").contains(attr(h, "PostHistoryTypeId"))) {
                unknown += threadOfPost.containsKey(attr(h, "PostId")) ? 0 : 1;
            }
        }
        assertThat(summary.notes().getOrDefault(StackExchangeRowMapper.NOTE_THREAD_UNKNOWN, 0L)).isEqualTo(unknown);
    }

    @Test
    void shouldNameTheAnswerOwnerOnEveryAcceptedAnswerWhenImportingRealDump() throws IOException {
        Map<String, String> ownerOfPost = new HashMap<>();
        for (String post : rows("Posts.xml")) {
            String owner = attr(post, "OwnerUserId");
            if (owner != null && Set.of("1", "2").contains(attr(post, "PostTypeId"))) {
                ownerOfPost.put(attr(post, "Id"), owner);
            }
        }
        // Accept votes carry no row id in the event; the accepted post (parent) identifies each one.
        Map<String, String> expected = new HashMap<>();
        for (String vote : rows("Votes.xml")) {
            if ("1".equals(attr(vote, "VoteTypeId"))) {
                expected.put(attr(vote, "PostId"), String.valueOf(ownerOfPost.get(attr(vote, "PostId"))));
            }
        }
        Map<String, String> actual = events.stream().filter(e -> e.getType() == EventType.ANSWER_ACCEPTED)
                .collect(Collectors.toMap(ActivityEvent::getParentId,
                        e -> String.valueOf(e.getAttributes().get(StackExchangeRowMapper.ANSWER_AUTHOR_ATTRIBUTE)),
                        (a, b) -> a));
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.values()).as("the dump has accepted answers of known authors")
                .anyMatch(owner -> !owner.equals("null"));
    }
}
