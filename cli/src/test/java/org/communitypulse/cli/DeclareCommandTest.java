package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.declarations.Declaration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse declare}: what it would publish, recorded instead of sent to Kafka (DeclareCommandIT sends it). */
class DeclareCommandTest {

    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-05-04T15:30:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Events sent and flushed; flushes counted so that an unflushed send is visible. */
    private static final class RecordingSink implements EventSink {
        final List<ActivityEvent> sent = new ArrayList<>();
        int flushes;

        @Override
        public void send(ActivityEvent event) {
            sent.add(event);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
        }
    }

    private record Run(int code, String out, String err, RecordingSink sink, ImportSummary summary) {
    }

    private static Run declare(String... args) {
        DeclareCommand command = new DeclareCommand(TODAY);
        new CommandLine(command).parseArgs(args);
        RecordingSink sink = new RecordingSink();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ImportSummary[] summary = {null};
        int code = command.execute((community, step) -> {
            summary[0] = step.importInto(sink, ProgressListener.NONE);
            return summary[0].rejectedTotal() == 0 ? ExitCodes.OK : ExitCodes.REJECTED_ROWS;
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), sink,
                summary[0]);
    }

    @Test
    void shouldPublishOneGoalWithItsStableIdAndPrintTheId() {
        Run run = declare("goal", "--community", "forum", "--evidence", "https://forum.example/plan",
                "--declared-by", "head-of-community", "--signal", "wau", "--target", "150", "--deadline", "2026-12-31",
                "--date", "2026-05-01", "--set", "name=Weekly actives");

        assertThat(run.code()).isZero();
        assertThat(run.sink().flushes).isEqualTo(1);
        ActivityEvent event = run.sink().sent.get(0);
        assertThat(run.sink().sent).hasSize(1);
        assertThat(event.getType()).isEqualTo(EventType.EVIDENCE_DECLARED);
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        assertThat(event.getAttributes()).containsEntry("declaration", "goal").containsEntry("target", "150")
                .containsEntry("deadline", "2026-12-31").containsEntry("name", "Weekly actives")
                .containsEntry("declared_by", "head-of-community").containsEntry("subject", "wau");
        assertThat(run.out().strip()).isEqualTo(event.getEventId());
        assertThat(Declaration.parse(event).toEvent(event.getSource())).isEqualTo(event);
        // The same declaration again: the same id, which the intake deduplicates.
        assertThat(declare("goal", "--community", "forum", "--evidence", "https://forum.example/plan",
                "--declared-by", "head-of-community", "--target", "150", "--signal", "wau", "--deadline", "2026-12-31",
                "--date", "2026-05-01", "--name", "Weekly actives").sink().sent.get(0).getEventId())
                .isEqualTo(event.getEventId());
    }

    @Test
    void shouldDateADeclarationTodayWhenNoDateIsGivenAndCarryWithdrawalAndValidity() {
        Run run = declare("policy", "--community", "forum", "--evidence", "doc-17", "--declared-by", "legal",
                "--policy", "community-guidelines", "--valid-until", "2026-06-30", "--withdrawn");

        assertThat(run.code()).isZero();
        assertThat(run.sink().sent).singleElement().satisfies(e -> {
            assertThat(e.getOccurredAt()).isEqualTo(Instant.parse("2026-05-04T00:00:00Z"));
            assertThat(e.getAttributes()).containsEntry("withdrawn", "true").containsEntry("valid_until", "2026-06-30")
                    .containsEntry("policy", "community-guidelines");
        });
    }

    @Test
    void shouldPublishNothingAndSayWhyWhenTheParserRefusesTheDeclaration() {
        Run noEvidence = declare("budget", "--community", "forum", "--declared-by", "cfo", "--amount", "1000");
        Run badNumber = declare("assessment", "--community", "forum", "--evidence", "survey-2026", "--declared-by",
                "ops", "--competency", "culture", "--stage", "5");
        Run twice = declare("goal", "--community", "forum", "--evidence", "x", "--declared-by", "y", "--signal",
                "wau", "--target", "1", "--set", "target=2");
        Run unknownKind = declare("vision", "--community", "forum", "--evidence", "x", "--declared-by", "y");
        Run colon = declare("strategy", "--community", "a:b", "--evidence", "x", "--declared-by", "y");

        assertThat(List.of(noEvidence, badNumber, twice, unknownKind, colon)).allSatisfy(run -> {
            assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.summary()).isNull();
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("Declaration refused: ");
        });
        assertThat(noEvidence.err()).contains("budget: 'evidence' is missing");
        assertThat(badNumber.err()).contains("assessment: 'stage' must be 1, 2, 3 or 4, not '5'");
        assertThat(twice.err()).contains("'target' is given twice");
        assertThat(unknownKind.err()).contains("unknown declaration 'vision'");
        assertThat(colon.err()).contains("communityId");
    }

    @Test
    void shouldPublishEveryDeclarationRowOfAFileAndRejectOtherRowsWithTheirLines() throws IOException {
        Path file = Files.writeString(dir.resolve("declared.jsonl"), """
                {"declaration": "headcount", "date": "2026-01-05", "evidence": "hr-report", "declared_by": "hr", "staff": 120}
                {"member": "ann", "role": "sponsor", "granted_at": "2026-01-01"}
                {"declaration": "dashboard", "date": "2026-01-05", "evidence": "https://bi.example/community", "declared_by": "ops", "name": "community-kpis"}
                """);

        Run run = declare("--community", "forum", "--file", file.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.REJECTED_ROWS);
        assertThat(run.sink().sent).extracting(e -> e.getAttributes().get("declaration"))
                .containsExactly("headcount", "dashboard");
        assertThat(run.out().lines().toList()).containsExactlyElementsOf(
                run.sink().sent.stream().map(ActivityEvent::getEventId).toList());
        assertThat(run.summary().rejectedRows()).extracting(Object::toString)
                .singleElement().asString().startsWith("declared.jsonl:2: not a declaration");
        assertThat(declare("goal", "--community", "forum", "--file", file.toString()).code())
                .isEqualTo(ExitCodes.USAGE);
    }
}
