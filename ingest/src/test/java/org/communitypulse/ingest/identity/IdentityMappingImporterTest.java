package org.communitypulse.ingest.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityMappingImporterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String CSV = """
            person,source,user_id,username,display_name,email,email_verified,mapped_at
            p-1,discourse,42,ann,Ann Lee,Ann@Example.org,true,
            p-1,github,ann-gh,,,ann@example.org ,true,2024-05-01T00:00:00Z
            p-2,myspace,7,,,,,
            p-3,slack,U1,,,not-an-email,,
            p-4,slack,,,,,,
            """;

    @TempDir
    Path tmp;

    @Test
    void shouldPublishHashedIdentitiesAndRejectBadRowsWhenAMappingIsImported() throws Exception {
        Path file = Files.writeString(tmp.resolve("people.csv"), CSV);
        MemberPseudonymiser members = MemberPseudonymiser.keyed(WebhookSecret.of("0123456789abcdef-identity-key"));
        CollectingEventSink sink = new CollectingEventSink();

        ImportSummary summary = new IdentityMappingImporter(members, CLOCK).run(file, "acme", sink);

        assertThat(summary.events(EventType.IDENTITY_OBSERVED)).isEqualTo(2);
        assertThat(summary.rejectedTotal()).isEqualTo(3);
        assertThat(summary.rejectedRows()).extracting(ImportSummary.RejectedRow::reason).anySatisfy(r ->
                assertThat(r).contains("myspace")).anySatisfy(r -> assertThat(r).contains("not an address"))
                .anySatisfy(r -> assertThat(r).contains("user_id is empty"));
        ActivityEvent ann = sink.events().get(0);
        ActivityEvent annGh = sink.events().get(1);
        // The ids are those the importers publish for the same platform ids, so the events join up.
        assertThat(ann.getActorId()).isEqualTo(members.apply(SourcePlatform.DISCOURSE, "42"));
        assertThat(ann.getSource()).isEqualTo(SourcePlatform.DISCOURSE);
        // With the key, the person id and names travel as keyed hashes too (never in clear).
        assertThat(ann.getAttributes()).containsEntry(IdentityAttributes.MAPPING_ID, members.person("p-1"))
                .containsEntry(IdentityAttributes.USERNAME, members.name("ann"))
                .containsEntry(IdentityAttributes.EMAIL_VERIFIED, "true");
        // One address, however written, one keyed hash; never the address itself.
        assertThat(ann.getAttributes().get(IdentityAttributes.EMAIL_HASH))
                .isEqualTo(annGh.getAttributes().get(IdentityAttributes.EMAIL_HASH)).startsWith("e-");
        assertThat(sink.events().toString()).doesNotContainIgnoringCase("example.org");
        assertThat(ann.getOccurredAt()).isEqualTo(CLOCK.instant());
        assertThat(annGh.getOccurredAt()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));

        // Re-importing publishes the same ids: the intake drops them as duplicates.
        CollectingEventSink again = new CollectingEventSink();
        new IdentityMappingImporter(members, Clock.systemUTC()).run(file, "acme", again);
        assertThat(again.events()).extracting(ActivityEvent::getEventId)
                .containsExactlyElementsOf(sink.events().stream().map(ActivityEvent::getEventId).toList());
    }

    @Test
    void shouldRejectRowsWithEmailsWhenNoPseudonymisationKeyIsSet() throws Exception {
        Path file = Files.writeString(tmp.resolve("people.csv"), CSV);
        CollectingEventSink sink = new CollectingEventSink();

        ImportSummary summary = new IdentityMappingImporter(MemberPseudonymiser.none(), CLOCK).run(file, "acme", sink);

        assertThat(sink.events()).isEmpty();
        assertThat(summary.rejectedRows()).extracting(ImportSummary.RejectedRow::reason)
                .anySatisfy(r -> assertThat(r).contains("PULSE_PSEUDONYM_KEY"));
    }
}
