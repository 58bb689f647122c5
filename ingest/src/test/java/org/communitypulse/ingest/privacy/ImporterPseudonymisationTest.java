package org.communitypulse.ingest.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.cloudevents.CloudEventsImporter;
import org.communitypulse.ingest.discourse.DiscoursePayloadMapper;
import org.communitypulse.ingest.identity.IdentityMappingImporter;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSecret;
import org.communitypulse.ingest.webhook.WebhookSecretException;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every importer pseudonymises member ids with the webhooks' key and recipe when a key is set (so one person has
 * one identity whichever way their events arrive), names travel hashed, and pseudonymisation that was asked for
 * never silently falls back to ids in clear.
 */
class ImporterPseudonymisationTest {

    private static final String KEY = "importer-pseudonym-key-0123456789";
    private static final MemberPseudonymiser KEYED = MemberPseudonymiser.keyed(WebhookSecret.of(KEY));

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToStartWhenPseudonymisationIsRequiredWithoutAKey() {
        assertThatThrownBy(() -> MemberPseudonymiser.fromKey(null, "PULSE_PSEUDONYM_KEY", null,
                "PULSE_PSEUDONYM_KEY_FILE", "PULSE_PSEUDONYMISE=true"))
                .isInstanceOf(WebhookSecretException.class)
                .hasMessageContaining("PULSE_PSEUDONYMISE=true").hasMessageContaining("PULSE_PSEUDONYM_KEY");
        // Not required: no key keeps ids (the documented default), a key hashes them.
        assertThat(MemberPseudonymiser.fromKey(null, "K", null, "F", null).enabled()).isFalse();
        assertThat(MemberPseudonymiser.fromKey(KEY, "K", null, "F", "PULSE_PSEUDONYMISE=true").enabled()).isTrue();
    }

    @Test
    void shouldPseudonymiseStackExchangeActorsAndAnswerAuthorsLikeTheWebhooks() {
        Map<String, ActivityEvent> clear = byId(run(MemberPseudonymiser.none()));
        List<ActivityEvent> hashed = run(KEYED);

        assertThat(hashed).hasSameSizeAs(clear.values()).isNotEmpty();
        int authors = 0;
        for (ActivityEvent e : hashed) {
            ActivityEvent raw = clear.get(e.getEventId());
            assertThat(e.getActorId()).isEqualTo(KEYED.apply(SourcePlatform.STACK_EXCHANGE, raw.getActorId()));
            String author = raw.getAttributes().get(MemberPseudonymiser.ANSWER_AUTHOR);
            if (author != null) {
                authors++;
                assertThat(e.getAttributes().get(MemberPseudonymiser.ANSWER_AUTHOR))
                        .isEqualTo(KEYED.apply(SourcePlatform.STACK_EXCHANGE, author)).startsWith("m-");
            }
        }
        assertThat(authors).isPositive();
        assertThat(hashed).filteredOn(e -> e.getActorId() != null).allSatisfy(e ->
                assertThat(e.getActorId()).startsWith("m-").hasSize(24));
    }

    @Test
    void shouldPseudonymiseCloudEventsActorsAsIdsOfTheirSourceAndRefuseErasures() throws IOException {
        Path file = Files.writeString(dir.resolve("events.jsonl"), """
                {"specversion":"1.0","id":"1","source":"/s","type":"org.communitypulse.activity","time":"2024-03-01T10:00:00Z","data":{"type":"THREAD_CREATED","source":"DISCOURSE","actorId":"42","threadId":"t1"}}
                {"specversion":"1.0","id":"2","source":"/s","type":"org.communitypulse.activity","time":"2024-03-01T11:00:00Z","data":{"type":"ANSWER_ACCEPTED","source":"DISCOURSE","actorId":"7","threadId":"t1","attributes":{"answerAuthorId":"42"}}}
                {"specversion":"1.0","id":"3","source":"/s","type":"org.communitypulse.activity","time":"2024-03-01T12:00:00Z","data":{"type":"MEMBER_ERASED","actorId":"someone-else"}}
                """);
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = new CloudEventsImporter(KEYED).run(file, "forum", sink, ProgressListener.NONE);

        assertThat(sink.events()).extracting(ActivityEvent::getActorId)
                .containsExactly(KEYED.apply(SourcePlatform.DISCOURSE, "42"), KEYED.apply(SourcePlatform.DISCOURSE, "7"));
        assertThat(sink.events().get(1).getAttributes())
                .containsEntry(MemberPseudonymiser.ANSWER_AUTHOR, KEYED.apply(SourcePlatform.DISCOURSE, "42"));
        // A file is no authority over anyone: the erasure line is rejected with its reason.
        assertThat(summary.rejectedTotal()).isEqualTo(1);
        assertThat(summary.render()).contains("MEMBER_ERASED cannot be imported");
    }

    @Test
    void shouldPseudonymiseRegisterMembersAsIdsOfTheirSourceColumn() throws IOException {
        Path register = Files.writeString(dir.resolve("roles.csv"), """
                member,role,granted_at,revoked_at,account,source
                42,Sponsor,2024-01-01,,,discourse
                ann,community-manager,2024-01-01,,,
                """);
        Path training = Files.writeString(dir.resolve("training.csv"), """
                member,course,completed_at,score
                ann,social-media-guidelines,2024-01-05,88
                """);
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = new RegisterImporter(KEYED).run(List.of(register, training), "acme", sink);

        assertThat(summary.rejectedTotal()).isZero();
        // The Discourse user 42 of the register is the actor of that user's Discourse events.
        assertThat(sink.events()).extracting(ActivityEvent::getActorId).containsExactly(
                KEYED.apply(SourcePlatform.DISCOURSE, "42"), KEYED.apply(SourcePlatform.OTHER, "ann"),
                KEYED.apply(SourcePlatform.OTHER, "ann"));
        CollectingEventSink clear = new CollectingEventSink();
        new RegisterImporter().run(List.of(register), "acme", clear);
        assertThat(clear.events()).extracting(ActivityEvent::getActorId).containsExactly("42", "ann");
        assertThat(clear.events()).extracting(ActivityEvent::getEventId)
                .isEqualTo(sink.events().subList(0, 2).stream().map(ActivityEvent::getEventId).toList());
    }

    @Test
    void shouldCarryNamesAndMappingIdsOnlyAsKeyedHashesThatStillMatchWhenNormalised() throws IOException {
        Path mapping = Files.writeString(dir.resolve("people.csv"), """
                person,source,user_id,username,display_name
                Ann Smith,discourse,42,ann,Ann  Smith
                Ann Smith,github,9001,Ann,ann smith
                """);
        CollectingEventSink sink = new CollectingEventSink();
        new IdentityMappingImporter(KEYED, java.time.Clock.systemUTC()).run(mapping, "acme", sink);

        assertThat(sink.events()).hasSize(2);
        ActivityEvent d = sink.events().get(0);
        ActivityEvent g = sink.events().get(1);
        for (ActivityEvent e : sink.events()) {
            assertThat(e.getAttributes().values()).noneMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("ann"));
        }
        assertThat(d.getActorId()).isEqualTo(KEYED.apply(SourcePlatform.DISCOURSE, "42"));
        // Equal once normalised, so links and suggestions work as before; readable by nobody without the key.
        assertThat(d.getAttributes().get(IdentityAttributes.MAPPING_ID))
                .isEqualTo(g.getAttributes().get(IdentityAttributes.MAPPING_ID)).startsWith("p-");
        assertThat(d.getAttributes().get(IdentityAttributes.USERNAME))
                .isEqualTo(g.getAttributes().get(IdentityAttributes.USERNAME)).startsWith("n-");
        assertThat(d.getAttributes().get(IdentityAttributes.DISPLAY_NAME))
                .isEqualTo(g.getAttributes().get(IdentityAttributes.DISPLAY_NAME)).startsWith("n-");
        assertThat(MemberPseudonymiser.none().name("Ann  Smith")).isEqualTo("Ann  Smith");
    }

    @Test
    void shouldMapADestroyedDiscourseUserToAnErasureOfTheirPseudonymInTheirForum() throws Exception {
        com.fasterxml.jackson.databind.JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"user\":{\"id\":42,\"username\":\"ann\"}}");
        List<ActivityEvent> events = new DiscoursePayloadMapper(KEYED).map("user_destroyed", payload, "forum",
                Instant.parse("2024-06-01T00:00:00Z")).events();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(EventType.MEMBER_ERASED);
            assertThat(e.getActorId()).isEqualTo(KEYED.apply(SourcePlatform.DISCOURSE, "42"));
            assertThat(e.getCommunityId()).isEqualTo("forum");
            assertThat(e.toString()).doesNotContain("\"ann\"");
        });
    }

    private static List<ActivityEvent> run(MemberPseudonymiser members) {
        CollectingEventSink sink = new CollectingEventSink();
        Path dump;
        try {
            dump = Path.of(ImporterPseudonymisationTest.class.getResource("/stackexchange/sample/Posts.xml").toURI())
                    .getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        new StackExchangeImporter(members).run(dump, "se", sink, ProgressListener.NONE);
        return sink.events();
    }

    private static Map<String, ActivityEvent> byId(List<ActivityEvent> events) {
        return events.stream().collect(Collectors.toMap(ActivityEvent::getEventId, Function.identity()));
    }
}
