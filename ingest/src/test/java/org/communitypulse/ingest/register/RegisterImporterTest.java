package org.communitypulse.ingest.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterImporterTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shouldPublishGrantsRevokesAndTrainingsWithStableIdsWhenFilesAreValid() throws IOException {
        Path register = write("roles.csv", """
                member,role,granted_at,revoked_at,account
                ann,Sponsor,2024-01-01,,
                bob,account-manager,2024-02-01T09:00:00Z,2024-03-01T09:00:00Z,@acme
                """);
        Path trainings = write("training.csv", """
                member,course,completed_at,score
                ann,social-media-guidelines,2024-01-05,88
                """);
        CollectingEventSink first = new CollectingEventSink();
        ImportSummary summary = new RegisterImporter().run(List.of(register, trainings), "acme", first);

        assertThat(summary.rejectedTotal()).isZero();
        assertThat(summary.events(EventType.ROLE_GRANTED)).isEqualTo(2);
        assertThat(summary.events(EventType.ROLE_REVOKED)).isEqualTo(1);
        assertThat(summary.events(EventType.TRAINING_COMPLETED)).isEqualTo(1);
        List<ActivityEvent> events = first.events();
        assertThat(events).extracting(e -> e.getType() + " " + e.getActorId() + " " + e.getOccurredAt() + " "
                + e.getAttributes()).containsExactly(
                "ROLE_GRANTED ann 2024-01-01T00:00:00Z {role=Sponsor}",
                "ROLE_GRANTED bob 2024-02-01T09:00:00Z {role=account-manager, account=@acme}",
                "ROLE_REVOKED bob 2024-03-01T09:00:00Z {role=account-manager, account=@acme}",
                "TRAINING_COMPLETED ann 2024-01-05T00:00:00Z {course=social-media-guidelines, score=88}");
        assertThat(events).extracting(ActivityEvent::getEventId).doesNotHaveDuplicates();

        CollectingEventSink again = new CollectingEventSink();
        new RegisterImporter().run(List.of(register, trainings), "acme", again);
        assertThat(again.events()).extracting(ActivityEvent::getEventId)
                .containsExactlyElementsOf(events.stream().map(ActivityEvent::getEventId).toList());
    }

    @Test
    void shouldRejectMalformedRowsWithTheirLineNumbersWhenTheRestIsValid() throws IOException {
        Path register = write("roles.csv", """
                member,role,granted_at,revoked_at,account
                ann,sponsor,2024-01-01,,
                ,sponsor,2024-01-01,,
                cid,sponsor,yesterday,,
                dan,sponsor,2024-02-01,2024-01-01,
                eve,community-manager,2024-01-03,,
                """);
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = new RegisterImporter().run(List.of(register), "acme", sink);

        assertThat(summary.rejectedTotal()).isEqualTo(3);
        assertThat(summary.rejectedRows()).extracting(Object::toString).containsExactly(
                "roles.csv:3: member is empty",
                "roles.csv:4: granted_at 'yesterday' is not an ISO-8601 instant or date",
                "roles.csv:5: revoked_at 2024-01-01T00:00:00Z is before granted_at 2024-02-01T00:00:00Z");
        assertThat(sink.events()).extracting(ActivityEvent::getActorId).containsExactly("ann", "eve");
        assertThat(sink.events().get(1).getOccurredAt()).isEqualTo(Instant.parse("2024-01-03T00:00:00Z"));
    }

    @Test
    void shouldFailWithTheExpectedColumnsWhenTheHeaderIsUnknown() throws IOException {
        Path file = write("other.csv", "a,b\n1,2\n");
        assertThatThrownBy(() -> new RegisterImporter().run(List.of(file), "acme", new CollectingEventSink()))
                .isInstanceOf(ImportException.class).hasMessageContaining("other.csv").hasMessageContaining("course");
    }

    @Test
    void shouldPublishTheSameEventsAsTheCsvWhenTheRecordsComeAsJsonLines() throws IOException {
        Path csvRegister = write("roles.csv", """
                member,role,granted_at,revoked_at,account
                bob,account-manager,2024-02-01T09:00:00Z,2024-03-01T09:00:00Z,@acme
                """);
        Path csvTraining = write("training.csv", """
                member,course,completed_at,score
                ann,social-media-guidelines,2024-01-05,88
                cy,social-media-guidelines,2024-01-06,
                """);
        // One file may mix both kinds; numbers and nulls are accepted as values.
        Path jsonl = write("register.jsonl", """
                {"member": "bob", "role": "account-manager", "granted_at": "2024-02-01T09:00:00Z", "revoked_at": "2024-03-01T09:00:00Z", "account": "@acme"}

                {"member": "ann", "course": "social-media-guidelines", "completed_at": "2024-01-05", "score": 88}
                {"member": "cy", "course": "social-media-guidelines", "completed_at": "2024-01-06", "score": null}
                """);
        CollectingEventSink fromCsv = new CollectingEventSink();
        new RegisterImporter().run(List.of(csvRegister, csvTraining), "acme", fromCsv);
        CollectingEventSink fromJson = new CollectingEventSink();
        ImportSummary summary = new RegisterImporter().run(List.of(jsonl), "acme", fromJson);

        assertThat(summary.rejectedTotal()).isZero();
        assertThat(summary.rowsReadByFile()).containsEntry("register.jsonl", 3L);
        assertThat(fromJson.events()).hasSize(4).containsExactlyElementsOf(fromCsv.events());
    }

    @Test
    void shouldRejectJsonLinesWithTheirLineNumbersWhenTheRestIsValid() throws IOException {
        Path jsonl = write("training.ndjson", """
                {"member": "ann", "course": "social-media-guidelines", "completed_at": "2024-01-05"}
                {"member": "bob", "course": "social-media-guidelines"
                [1, 2]
                {"member": "cy"}
                {"member": "dan", "course": "c", "completed_at": "yesterday"}
                {"member": {"id": 1}, "role": "sponsor", "granted_at": "2024-01-01"}
                {"member": "eve", "course": "c", "completed_at": "2024-01-07", "score": "high"}

                {"member": "fay", "role": "sponsor", "granted_at": "2024-01-08"}
                """);
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = new RegisterImporter().run(List.of(jsonl), "acme", sink);

        assertThat(summary.rejectedTotal()).isEqualTo(6);
        assertThat(summary.rejectedRows()).extracting(ImportSummary.RejectedRow::line).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(summary.rejectedRows()).extracting(ImportSummary.RejectedRow::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("unreadable JSON"),
                r -> assertThat(r).isEqualTo("not a JSON object"),
                r -> assertThat(r).startsWith("none of a register").contains("training records"),
                r -> assertThat(r).isEqualTo("completed_at 'yesterday' is not an ISO-8601 instant or date"),
                r -> assertThat(r).isEqualTo("member is not a string or a number"),
                r -> assertThat(r).isEqualTo("score 'high' is not a number"));
        assertThat(summary.rejectedRows()).allSatisfy(r -> assertThat(r.file()).isEqualTo("training.ndjson"));
        assertThat(sink.events()).extracting(ActivityEvent::getActorId).containsExactly("ann", "fay");
    }

    @Test
    void shouldReadJsonLinesWhenTheNameDoesNotSayButTheContentStartsWithABrace() throws IOException {
        Path file = write("export.txt", "\n  {\"member\": \"ann\", \"role\": \"sponsor\", \"granted_at\": \"2024-01-01\"}\n");
        CollectingEventSink sink = new CollectingEventSink();

        ImportSummary summary = new RegisterImporter().run(List.of(file), "acme", sink);

        assertThat(summary.rejectedTotal()).isZero();
        assertThat(sink.events()).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo(EventType.ROLE_GRANTED));
        assertThat(RegisterImporter.isJsonLines(write("roles.csv", "member,role,granted_at\n"))).isFalse();
    }

    @Test
    void shouldPublishPolicyAcknowledgementsWithThePolicyAttributeAndStableIds() throws IOException {
        Path csv = write("acks.csv", """
                member,policy,acknowledged_at
                ann,community-guidelines,2024-03-01
                bob,community-guidelines,
                """);
        Path jsonl = write("acks.jsonl", """
                {"member": "ann", "policy": "community-guidelines", "acknowledged_at": "2024-03-01"}
                """);
        CollectingEventSink fromCsv = new CollectingEventSink();
        ImportSummary summary = new RegisterImporter().run(List.of(csv), "acme", fromCsv);
        CollectingEventSink fromJson = new CollectingEventSink();
        new RegisterImporter().run(List.of(jsonl), "acme", fromJson);

        assertThat(summary.events(EventType.POLICY_ACKNOWLEDGED)).isEqualTo(1);
        assertThat(summary.rejectedRows()).extracting(Object::toString)
                .containsExactly("acks.csv:3: acknowledged_at is empty");
        assertThat(fromCsv.events()).extracting(e -> e.getType() + " " + e.getActorId() + " " + e.getOccurredAt() + " "
                + e.getAttributes()).containsExactly("POLICY_ACKNOWLEDGED ann 2024-03-01T00:00:00Z {policy=community-guidelines}");
        assertThat(fromJson.events()).containsExactlyElementsOf(fromCsv.events());
    }

    @Test
    void shouldPublishDeclarationsWithTheirKindsFieldsAndRejectWhatTheParserRefuses() throws IOException {
        Path csv = write("declarations.csv", """
                declaration,subject,date,evidence,declared_by,valid_until,signal,target,deadline,policy,amount,course
                goal,,2024-01-08,https://acme.example/plan,head-of-community,,wau,150,2024-12-31,,,
                policy,,2024-02-01,doc-17,legal,2025-01-31,,,,community-guidelines,,
                budget,,2024-01-01,finance-2024,cfo,,,,,,twelve,
                goal,,2024-01-08,https://acme.example/plan,head-of-community,,wau,150,,,,
                training-requirement,,,doc-3,ops,,,,,,,licence
                """);
        CollectingEventSink first = new CollectingEventSink();
        ImportSummary summary = new RegisterImporter().run(List.of(csv), "acme", first);

        assertThat(summary.events(EventType.EVIDENCE_DECLARED)).isEqualTo(3);
        assertThat(summary.rejectedRows()).extracting(Object::toString).containsExactly(
                "declarations.csv:4: budget: 'amount' is not a number: 'twelve'",
                "declarations.csv:6: date is empty");
        assertThat(first.events()).extracting(e -> e.getType() + " " + e.getActorId() + " " + e.getOccurredAt() + " "
                + e.getSource() + " " + e.getAttributes()).containsExactly(
                "EVIDENCE_DECLARED null 2024-01-08T00:00:00Z OTHER {deadline=2024-12-31, declaration=goal, "
                        + "declared_by=head-of-community, evidence=https://acme.example/plan, signal=wau, subject=wau, "
                        + "target=150}",
                "EVIDENCE_DECLARED null 2024-02-01T00:00:00Z OTHER {declaration=policy, declared_by=legal, evidence=doc-17, "
                        + "policy=community-guidelines, subject=community-guidelines, valid_until=2025-01-31}",
                "EVIDENCE_DECLARED null 2024-01-08T00:00:00Z OTHER {declaration=goal, declared_by=head-of-community, "
                        + "evidence=https://acme.example/plan, signal=wau, subject=wau, target=150}");
        assertThat(first.events()).allSatisfy(e -> assertThat(Declaration.parse(e).toEvent(SourcePlatform.OTHER))
                .isEqualTo(e));

        Path jsonl = write("declarations.jsonl", """
                {"declaration": "policy", "date": "2024-02-01", "evidence": "doc-17", "declared_by": "legal", "valid_until": "2025-01-31", "policy": "community-guidelines"}
                {"declaration": "vision", "date": "2024-02-01", "evidence": "doc-17", "declared_by": "legal"}
                """);
        CollectingEventSink again = new CollectingEventSink();
        ImportSummary fromJson = new RegisterImporter().run(List.of(csv, jsonl), "acme", again);
        assertThat(again.events()).extracting(ActivityEvent::getEventId).containsExactlyElementsOf(
                java.util.stream.Stream.concat(first.events().stream(), first.events().stream().skip(1).limit(1))
                        .map(ActivityEvent::getEventId).toList());
        assertThat(fromJson.rejectedRows()).extracting(Object::toString).contains(
                "declarations.jsonl:2: unknown declaration 'vision'; one of: " + Declaration.Kind.ids());
    }
}
