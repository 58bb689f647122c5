package org.communitypulse.ingest.stackexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ImportSummary.RejectedRow;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackExchangeImporterTest {

    private static final String COMMUNITY = "sample";

    private final CollectingEventSink sink = new CollectingEventSink();

    static Path sampleDump() throws URISyntaxException {
        return Path.of(StackExchangeImporterTest.class.getResource("/stackexchange/sample/Posts.xml").toURI())
                .getParent();
    }

    @Test
    void shouldImportValidRowsAndReportBadOnesWhenDumpHasMalformedRows() throws Exception {
        ImportSummary summary = new StackExchangeImporter().run(sampleDump(), COMMUNITY, sink, ProgressListener.NONE);

        assertThat(summary.eventsByType()).containsExactlyInAnyOrderEntriesOf(Map.of(
                EventType.THREAD_CREATED, 2L, EventType.REPLY_CREATED, 6L, EventType.MEMBER_JOINED, 3L,
                EventType.REACTION_ADDED, 2L, EventType.ANSWER_ACCEPTED, 1L, EventType.MODERATION_ACTION, 3L));
        assertThat(sink.events()).hasSize(17);
        assertThat(sink.flushes()).isEqualTo(1);
        assertThat(summary.rowsReadByFile()).containsExactly(Map.entry("Posts.xml", 8L),
                Map.entry("Users.xml", 5L), Map.entry("Comments.xml", 5L), Map.entry("Votes.xml", 6L),
                Map.entry("PostHistory.xml", 4L));
        assertThat(summary.missingFiles()).containsExactly("Badges.xml");
        assertThat(summary.skippedByReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "post type 5", 1L, "vote type 3", 1L, "vote type 5", 1L, "posthistory type 2", 1L));
        assertThat(summary.notes()).containsExactly(Map.entry(StackExchangeRowMapper.NOTE_THREAD_UNKNOWN, 1L));
        assertThat(summary.rejectedTotal()).isEqualTo(7);
        assertThat(summary.rejectedRows()).extracting(RejectedRow::file, RejectedRow::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Posts.xml", 7L),
                org.assertj.core.groups.Tuple.tuple("Posts.xml", 8L),
                org.assertj.core.groups.Tuple.tuple("Posts.xml", 9L),
                org.assertj.core.groups.Tuple.tuple("Users.xml", 5L),
                org.assertj.core.groups.Tuple.tuple("Users.xml", 6L),
                org.assertj.core.groups.Tuple.tuple("Comments.xml", 7L),
                org.assertj.core.groups.Tuple.tuple("Votes.xml", 8L));
        assertThat(summary.rejectedRows().get(0).toString()).isEqualTo("Posts.xml:7: missing attribute ParentId");
        assertThat(summary.rejectedRows().get(2).reason()).startsWith("bad XML");
        assertThat(summary.rejectedRows().get(4).reason()).isEqualTo("not a <row/> element");
    }

    @Test
    void shouldResolveThreadsAcrossFilesWhenPostsAreReadFirst() throws Exception {
        new StackExchangeImporter().run(sampleDump(), COMMUNITY, sink, ProgressListener.NONE);
        // The answer after the broken line (Posts.xml:9) is imported, and comments on it find its question.
        Map<String, String> threadByComment = sink.events().stream()
                .filter(e -> "comment".equals(e.getAttributes().get("kind")))
                .collect(Collectors.toMap(ActivityEvent::getParentId, e -> String.valueOf(e.getThreadId())));
        assertThat(threadByComment).containsExactlyInAnyOrderEntriesOf(
                Map.of("1", "1", "3", "1", "8", "2", "999", "null"));
        ActivityEvent accepted = sink.events().stream()
                .filter(e -> e.getType() == EventType.ANSWER_ACCEPTED).findFirst().orElseThrow();
        assertThat(accepted.getParentId()).isEqualTo("3");
        assertThat(accepted.getThreadId()).isEqualTo("1");
        // Answer 3's OwnerUserId, remembered from Posts.xml.
        assertThat(accepted.getAttributes()).isEqualTo(Map.of(StackExchangeRowMapper.ANSWER_AUTHOR_ATTRIBUTE, "47"));
        List<String> actions = sink.events().stream().filter(e -> e.getType() == EventType.MODERATION_ACTION)
                .map(e -> e.getAttributes().get("action") + "@" + e.getThreadId()).toList();
        assertThat(actions).containsExactly("closed@2", "reopened@2", "deleted@2");
        assertThat(sink.events()).allSatisfy(e -> assertThat(e.getCommunityId()).isEqualTo(COMMUNITY));
        assertThat(sink.events()).extracting(ActivityEvent::getEventId).doesNotHaveDuplicates();
    }

    @Test
    void shouldProduceSameEventIdsWhenImportedTwice() throws Exception {
        CollectingEventSink again = new CollectingEventSink();
        new StackExchangeImporter().run(sampleDump(), COMMUNITY, sink, ProgressListener.NONE);
        new StackExchangeImporter().run(sampleDump(), COMMUNITY, again, ProgressListener.NONE);
        assertThat(again.events()).isEqualTo(sink.events());
    }

    @Test
    void shouldReportProgressUpToAllBytesWhenImportEnds() throws Exception {
        List<ProgressListener.Progress> updates = new ArrayList<>();
        ImportSummary[] finished = new ImportSummary[1];
        ProgressListener listener = new ProgressListener() {
            @Override
            public void update(Progress progress) {
                updates.add(progress);
            }

            @Override
            public void finished(ImportSummary summary) {
                finished[0] = summary;
            }
        };
        ImportSummary summary = new StackExchangeImporter().run(sampleDump(), COMMUNITY, sink, listener);

        long totalBytes = 0;
        for (String file : List.of("Posts.xml", "Users.xml", "Comments.xml", "Votes.xml", "PostHistory.xml")) {
            totalBytes += Files.size(sampleDump().resolve(file));
        }
        assertThat(updates).extracting(ProgressListener.Progress::currentFile)
                .containsExactly("Posts.xml", "Users.xml", "Comments.xml", "Votes.xml", "PostHistory.xml");
        ProgressListener.Progress last = updates.get(updates.size() - 1);
        assertThat(last.bytesRead()).isEqualTo(totalBytes);
        assertThat(last.totalBytes()).isEqualTo(totalBytes);
        assertThat(last.percent()).isEqualTo(100.0);
        assertThat(last.eventsProduced()).isEqualTo(17);
        assertThat(last.rowsRead()).isEqualTo(4);
        assertThat(finished[0]).isSameAs(summary);
    }

    @Test
    void shouldStopWithSinkErrorWhenSendFails() throws Exception {
        CollectingEventSink failing = new CollectingEventSink(3);
        assertThatThrownBy(() -> new StackExchangeImporter().run(sampleDump(), COMMUNITY, failing,
                ProgressListener.NONE))
                .isInstanceOf(ImportException.class).hasMessageStartingWith("test sink refuses event");
        assertThat(failing.events()).hasSize(3);
        assertThat(failing.flushes()).isZero();
    }

    @Test
    void shouldReportAllFilesMissingWhenFolderIsEmpty(@TempDir Path empty) {
        ImportSummary summary = new StackExchangeImporter().run(empty, COMMUNITY, sink, ProgressListener.NONE);
        assertThat(summary.missingFiles()).containsExactly("Posts.xml", "Users.xml", "Comments.xml", "Votes.xml",
                "PostHistory.xml", "Badges.xml");
        assertThat(summary.totalEvents()).isZero();
        assertThat(sink.events()).isEmpty();
    }

    @Test
    void shouldFailClearlyWhenFolderDoesNotExist(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> new StackExchangeImporter().run(missing, COMMUNITY, sink, ProgressListener.NONE))
                .isInstanceOf(ImportException.class).hasMessageContaining("is not a directory")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void shouldKeepReadingWhenFileHasInvalidUtf8Bytes(@TempDir Path dir) throws Exception {
        byte[] head = "<users>\n<row Id=\"1\" CreationDate=\"2010-08-25T18:10:17.000\" DisplayName=\"".getBytes();
        byte[] bad = {(byte) 0xC3, (byte) 0x28};
        byte[] tail = "\" />\n<row Id=\"2\" CreationDate=\"2010-08-25T18:10:18.000\" />\n</users>\n".getBytes();
        byte[] all = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
        Files.write(dir.resolve("Users.xml"), all);

        ImportSummary summary = new StackExchangeImporter().run(dir, COMMUNITY, sink, ProgressListener.NONE);
        assertThat(summary.events(EventType.MEMBER_JOINED)).isEqualTo(2);
    }
}
