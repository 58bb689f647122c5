package org.communitypulse.ingest.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.ImportSamples;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubArchiveImporterTest {

    private static final String COMMUNITY = "octo";

    private final GitHubArchiveImporter importer = new GitHubArchiveImporter(MemberPseudonymiser.none());
    private final GitHubPayloadMapper webhook = new GitHubPayloadMapper(MemberPseudonymiser.none());

    @TempDir
    Path temp;

    private ImportSummary importFile(Path file, CollectingEventSink sink) {
        return importer.run(file, COMMUNITY, sink, ProgressListener.NONE);
    }

    private String webhookId(String sample) {
        String event = sample.substring(0, sample.indexOf('.'));
        return webhook.map(event, WebhookSamples.json("github", sample), COMMUNITY, Instant.EPOCH)
                .events().get(0).getEventId();
    }

    @Test
    void shouldMapThreadsRepliesAndRolesWhenArchiveImported() {
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importFile(ImportSamples.path("github", "events.jsonl"), sink);

        List<ActivityEvent> events = sink.events();
        assertThat(events).extracting(ActivityEvent::getType).containsExactly(EventType.THREAD_CREATED,
                EventType.REPLY_CREATED, EventType.THREAD_CREATED, EventType.REPLY_CREATED, EventType.REPLY_CREATED,
                EventType.ROLE_GRANTED);
        assertThat(events).extracting(ActivityEvent::getThreadId).containsExactly("Codertocat/Hello-World#1",
                "Codertocat/Hello-World#1", "Codertocat/Hello-World#2", "Codertocat/Hello-World#2",
                "Codertocat/Hello-World#2", null);
        assertThat(events).extracting(ActivityEvent::getActorId).containsExactly("21031067", "21031067", "21031067",
                "21031067", "583231", "583231");
        // GH Archive keeps the labels as the webhook has them: programmed-content rules can read them.
        assertThat(events.get(0).getAttributes()).containsEntry("labels", "bug");
        assertThat(events.get(2).getAttributes()).doesNotContainKey("labels");
        assertThat(events.get(3).getAttributes()).containsEntry("kind", "review").containsEntry("state", "commented");
        assertThat(events.get(4).getAttributes()).containsEntry("kind", "review_comment");
        assertThat(events.get(1).getOccurredAt()).isEqualTo(Instant.parse("2019-05-15T15:20:21Z"));
        // MemberEvent has no time of its own in the payload: the archive's created_at is used.
        assertThat(events.get(5).getOccurredAt()).isEqualTo(Instant.parse("2019-05-15T15:24:00Z"));
        assertThat(events.get(5).getAttributes()).containsEntry("role", "collaborator");

        assertThat(summary.rejectedTotal()).isZero();
        assertThat(summary.totalEvents()).isEqualTo(6);
        assertThat(summary.skippedByReason()).containsEntry("github:PushEvent", 1L)
                .containsEntry("github:watch.started", 1L).containsEntry("github:issues.closed", 1L);
        assertThat(summary.rowsReadByFile()).containsEntry("events.jsonl", 9L);
        assertThat(sink.flushes()).isEqualTo(1);
    }

    @Test
    void shouldGiveWebhookEventIdsWhenSameItemsImported() {
        CollectingEventSink sink = new CollectingEventSink();
        importFile(ImportSamples.path("github", "events.jsonl"), sink);

        List<ActivityEvent> events = sink.events();
        assertThat(events.get(0).getEventId()).isEqualTo(webhookId("issues.opened"));
        assertThat(events.get(1).getEventId()).isEqualTo(webhookId("issue_comment.created"));
        assertThat(events.get(2).getEventId()).isEqualTo(webhookId("pull_request.opened"));
        assertThat(events.get(3).getEventId()).isEqualTo(webhookId("pull_request_review.submitted"));
    }

    @Test
    void shouldRejectBadLinesWithFileAndLineAndImportTheRestWhenInputMalformed() {
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importFile(ImportSamples.path("github", "bad-events.jsonl"), sink);

        assertThat(sink.events()).hasSize(2);
        assertThat(summary.rejectedTotal()).isEqualTo(3);
        assertThat(summary.rejectedRows()).extracting(ImportSummary.RejectedRow::line).containsExactly(2L, 3L, 4L);
        assertThat(summary.rejectedRows()).allSatisfy(row -> assertThat(row.file()).isEqualTo("bad-events.jsonl"));
        assertThat(summary.rejectedRows().get(0).reason()).startsWith("not valid JSON");
        assertThat(summary.rejectedRows().get(1).reason()).contains("not a JSON object");
        assertThat(summary.rejectedRows().get(2).reason()).contains("'repo'");
        assertThat(summary.render()).contains("bad-events.jsonl:4:");
    }

    @Test
    void shouldReadGzipWhenArchiveCompressed() throws IOException {
        Path gz = gzip(ImportSamples.path("github", "events.jsonl"), temp.resolve("2019-05-15-15.json.gz"));
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importFile(gz, sink);
        assertThat(summary.totalEvents()).isEqualTo(6);
        assertThat(summary.rejectedTotal()).isZero();
    }

    @Test
    void shouldImportCompleteLinesAndRejectTheBreakWhenGzipTruncated() throws IOException {
        // Large enough that the break falls after the reader's first buffer of decompressed lines.
        String lines = Files.readString(ImportSamples.path("github", "events.jsonl"));
        Path plain = Files.writeString(temp.resolve("whole.jsonl"), lines.repeat(500));
        Path gz = gzip(plain, temp.resolve("whole.json.gz"));
        byte[] bytes = Files.readAllBytes(gz);
        Path truncated = Files.write(temp.resolve("cut.json.gz"), Arrays.copyOf(bytes, bytes.length * 2 / 3));

        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importFile(truncated, sink);

        assertThat(summary.rejectedTotal()).isEqualTo(1);
        ImportSummary.RejectedRow row = summary.rejectedRows().get(0);
        assertThat(row.file()).isEqualTo("cut.json.gz");
        assertThat(row.line()).isGreaterThan(1).isLessThan(9 * 500);
        assertThat(row.reason()).contains("truncated");
        // Every line before the break was imported (6 events per 9 lines of the sample).
        assertThat(summary.totalRowsRead()).isEqualTo(row.line() - 1);
        assertThat(sink.events()).hasSizeGreaterThan(100);
    }

    @Test
    void shouldRejectEveryLineWithReasonWhenFileIsNotJsonLines() throws IOException {
        Path xml = Files.writeString(temp.resolve("Posts.xml"), "<?xml version=\"1.0\"?>\n<posts>\n</posts>\n");
        ImportSummary summary = importFile(xml, new CollectingEventSink());
        assertThat(summary.rejectedTotal()).isEqualTo(3);
        assertThat(summary.rejectedRows().get(0).toString()).startsWith("Posts.xml:1: not valid JSON");
    }

    @Test
    void shouldReportRowsEventsAndBytesUpToTheWholeFileWhenImporting() throws IOException {
        String lines = Files.readString(ImportSamples.path("github", "events.jsonl"));
        Path file = Files.writeString(temp.resolve("many.jsonl"), lines.repeat(100));
        List<ProgressListener.Progress> updates = new java.util.ArrayList<>();
        List<ImportSummary> finished = new java.util.ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void update(Progress progress) {
                updates.add(progress);
            }

            @Override
            public void finished(ImportSummary summary) {
                finished.add(summary);
            }
        };

        ImportSummary summary = importer.run(file, COMMUNITY, new CollectingEventSink(), listener);

        // Every 256 rows, and once at the end of the file.
        assertThat(updates).hasSize(900 / 256 + 1);
        assertThat(updates).allSatisfy(p -> assertThat(p.totalBytes()).isEqualTo(Files.size(file)));
        assertThat(updates.get(0).rowsRead()).isEqualTo(256);
        assertThat(updates.get(0).eta()).isNotNull();
        ProgressListener.Progress last = updates.get(updates.size() - 1);
        assertThat(last.rowsRead()).isEqualTo(900);
        assertThat(last.eventsProduced()).isEqualTo(600);
        assertThat(last.percent()).isEqualTo(100.0);
        assertThat(finished).containsExactly(summary);
    }

    private static Path gzip(Path source, Path target) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            Files.copy(source, out);
        }
        return target;
    }
}
