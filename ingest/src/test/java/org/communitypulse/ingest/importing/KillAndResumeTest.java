package org.communitypulse.ingest.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.github.GitHubArchiveImporter;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running is the resume: an import killed half-way and run again sends the prefix twice with the same ids,
 * so after the intake's deduplication by event id the result equals one clean run.
 */
class KillAndResumeTest {

    private static final String COMMUNITY = "octo";
    private static final int COMMENTS = 2_000;
    private static final int KILLED_AFTER = 777;

    @TempDir
    Path temp;

    private final GitHubArchiveImporter importer = new GitHubArchiveImporter(MemberPseudonymiser.none());

    @Test
    void shouldSendExactlyTheCleanRunsEventsPlusTheResentPrefixWhenKilledImportIsRerun() throws IOException {
        Path file = comments(temp.resolve("events.jsonl"));
        CollectingEventSink clean = new CollectingEventSink();
        importer.run(file, COMMUNITY, clean, ProgressListener.NONE);

        // The "crash": the sink dies after KILLED_AFTER events, as a producer would when the process is killed.
        CollectingEventSink killed = new CollectingEventSink(KILLED_AFTER);
        assertThatThrownBy(() -> importer.run(file, COMMUNITY, killed, ProgressListener.NONE))
                .isInstanceOf(ImportException.class);
        CollectingEventSink rerun = new CollectingEventSink();
        ImportSummary summary = importer.run(file, COMMUNITY, rerun, ProgressListener.NONE);

        List<ActivityEvent> sent = new ArrayList<>(killed.events());
        sent.addAll(rerun.events());
        Set<String> distinct = ids(sent);
        assertThat(distinct).isEqualTo(ids(clean.events())).hasSize(COMMENTS);
        // The duplicates are exactly the prefix sent before the crash, and identical events, not just ids.
        assertThat(killed.events()).hasSize(KILLED_AFTER).isEqualTo(clean.events().subList(0, KILLED_AFTER));
        assertThat(sent.size() - distinct.size()).isEqualTo(KILLED_AFTER);
        assertThat(rerun.events()).isEqualTo(clean.events());
        assertThat(summary.rejectedTotal()).isZero();
    }

    private static Set<String> ids(List<ActivityEvent> events) {
        return events.stream().map(ActivityEvent::getEventId).collect(Collectors.toCollection(HashSet::new));
    }

    /** A GH Archive file of distinct issue comments. */
    private static Path comments(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= COMMENTS; i++) {
                int issue = 1 + i % 50;
                out.write(("{\"id\":\"%d\",\"type\":\"IssueCommentEvent\",\"actor\":{\"id\":%d,\"login\":\"u%d\"},"
                        + "\"repo\":{\"id\":186853002,\"name\":\"Codertocat/Hello-World\"},\"payload\":{\"action\":"
                        + "\"created\",\"issue\":{\"number\":%d,\"user\":{\"id\":1}},\"comment\":{\"id\":%d,\"user\":"
                        + "{\"id\":%d},\"created_at\":\"2024-01-01T00:00:00Z\"}},\"created_at\":\"2024-01-01T00:00:00Z\"}\n")
                        .formatted(10_000 + i, i % 97, i % 97, issue, 5_000_000 + i, i % 97));
            }
        }
        return file;
    }
}
