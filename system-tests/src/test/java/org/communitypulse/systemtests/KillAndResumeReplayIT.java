package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.communitypulse.cli.ReplayRunner;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.github.GitHubArchiveImporter;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume story on the real pipeline: an import killed half-way and then re-run in full into the same broker
 * gives the same metrics, byte for byte, as one clean import, because the intake drops the re-sent events by id.
 */
class KillAndResumeReplayIT {

    private static final String COMMUNITY = "octo";
    private static final int COMMENTS = 600;
    private static final int KILLED_AFTER = 250;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHubArchiveImporter importer = new GitHubArchiveImporter(MemberPseudonymiser.none());

    @Test
    void shouldWriteCleanRunsMetricsWhenKilledImportIsRerun(@TempDir Path tmp) throws Exception {
        Path file = archive(tmp.resolve("events.jsonl"));
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        ReplayRunner runner = new ReplayRunner(Duration.ofSeconds(120), quiet);

        Path clean = tmp.resolve("clean.jsonl");
        runner.run((sink, progress) -> importer.run(file, COMMUNITY, sink, progress), clean);

        Path resumed = tmp.resolve("resumed.jsonl");
        ReplayRunner.Result result = runner.run((sink, progress) -> {
            EventSink dying = new DyingSink(sink, KILLED_AFTER);
            assertThatThrownBy(() -> importer.run(file, COMMUNITY, dying, ProgressListener.NONE))
                    .isInstanceOf(ImportException.class);
            sink.flush();
            return importer.run(file, COMMUNITY, sink, progress);
        }, resumed);

        assertThat(result.summary().totalEvents()).isEqualTo(COMMENTS);
        assertThat(Files.readAllLines(clean)).hasSizeGreaterThan(3);
        assertThat(Files.readString(resumed)).isEqualTo(Files.readString(clean));
        // And the days count each comment once, not the 250 re-sent ones twice.
        long counted = 0;
        for (String line : Files.readAllLines(resumed)) {
            JsonNode node = JSON.readTree(line);
            if (node.get("topic").asText().equals("pulse.engagement.daily")) {
                counted += node.get("value").get("events").asLong();
            }
        }
        assertThat(counted).isEqualTo(COMMENTS);
    }

    /** Forwards the first events, then fails as a killed process would. */
    private static final class DyingSink implements EventSink {
        private final EventSink target;
        private final int limit;
        private int sent;

        DyingSink(EventSink target, int limit) {
            this.target = target;
            this.limit = limit;
        }

        @Override
        public void send(ActivityEvent event) {
            if (sent++ >= limit) {
                throw new ImportException("killed after " + limit + " events");
            }
            target.send(event);
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
        }
    }

    /** Issue comments over ten days by a few dozen members. */
    private static Path archive(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            for (int i = 1; i <= COMMENTS; i++) {
                String at = "2024-01-%02dT%02d:00:00Z".formatted(1 + i % 10, i % 24);
                out.write(("{\"id\":\"%d\",\"type\":\"IssueCommentEvent\",\"actor\":{\"id\":%d},"
                        + "\"repo\":{\"id\":186853002,\"name\":\"Codertocat/Hello-World\"},\"payload\":{\"action\":"
                        + "\"created\",\"issue\":{\"number\":%d,\"user\":{\"id\":1}},\"comment\":{\"id\":%d,\"user\":"
                        + "{\"id\":%d},\"created_at\":\"%s\"}},\"created_at\":\"%s\"}\n")
                        .formatted(10_000 + i, i % 37, 1 + i % 40, 5_000_000 + i, i % 37, at, at));
            }
        }
        return file;
    }
}
