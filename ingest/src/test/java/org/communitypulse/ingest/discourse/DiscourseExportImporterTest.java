package org.communitypulse.ingest.discourse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.ImportSamples;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.ingest.webhook.WebhookSamples;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.Test;

class DiscourseExportImporterTest {

    private static final String COMMUNITY = "forum";

    private final DiscourseExportImporter importer = new DiscourseExportImporter(MemberPseudonymiser.none());
    private final DiscoursePayloadMapper webhook = new DiscoursePayloadMapper(MemberPseudonymiser.none());

    private ImportSummary importSaved(CollectingEventSink sink) {
        return importer.run(ImportSamples.path("discourse", "saved"), COMMUNITY, sink, ProgressListener.NONE);
    }

    private String webhookId(String event) {
        return webhook(event).getEventId();
    }

    private ActivityEvent webhook(String event) {
        return webhook.map(event, WebhookSamples.json("discourse", event), COMMUNITY, Instant.EPOCH).events().get(0);
    }

    private static List<ActivityEvent> ofType(List<ActivityEvent> events, EventType type) {
        return events.stream().filter(e -> e.getType() == type).toList();
    }

    @Test
    void shouldMapTopicsPostsUsersAndRolesWhenSavedApiJsonImported() {
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importSaved(sink);
        List<ActivityEvent> events = sink.events();

        ActivityEvent topic = ofType(events, EventType.THREAD_CREATED).get(0);
        assertThat(topic.getThreadId()).isEqualTo("1001");
        assertThat(topic.getActorId()).isEqualTo("42");
        assertThat(topic.getChannel()).isEqualTo("5");
        // Tags live on the topic JSON; its opening post carries them, as topic_created does (same sample topic).
        assertThat(topic.getAttributes()).containsEntry("tags", "config,howto");
        assertThat(topic.getOccurredAt()).isEqualTo(Instant.parse("2024-05-02T09:15:31.152Z"));
        ActivityEvent reply = ofType(events, EventType.REPLY_CREATED).get(0);
        assertThat(reply.getThreadId()).isEqualTo("1001");
        assertThat(reply.getActorId()).isEqualTo("43");
        assertThat(reply.getAttributes()).containsEntry("kind", "reply").doesNotContainKey("tags");
        assertThat(ofType(events, EventType.MEMBER_JOINED)).extracting(ActivityEvent::getActorId)
                .containsExactly("42", "43", "44");
        assertThat(ofType(events, EventType.ROLE_GRANTED)).extracting(e -> e.getActorId() + ":"
                + e.getAttributes().get("role")).containsExactlyInAnyOrder("42:trust_level_2", "42:group:admins",
                "43:trust_level_3", "43:group:moderators");

        // Identity evidence from the user list; the email is left out (no pseudonymisation key), and counted.
        assertThat(ofType(events, EventType.IDENTITY_OBSERVED)).extracting(e -> e.getActorId() + ":"
                + e.getAttributes().get("username") + ":" + e.getAttributes().get("displayName"))
                .containsExactly("42:alice:Alice", "43:bob:Bob", "44:carol:null");
        assertThat(events.toString()).doesNotContain("alice@example.org");
        assertThat(summary.notes()).containsEntry(
                org.communitypulse.ingest.identity.IdentityObservations.EMAIL_WITHOUT_KEY, 1L);

        assertThat(summary.totalEvents()).isEqualTo(12);
        assertThat(summary.skippedByReason()).containsEntry("discourse:post_created.post_type_3", 1L);
    }

    @Test
    void shouldPublishAKeyedEmailHashAsVerifiedWhenTheAccountIsActiveAndAKeyIsSet() {
        MemberPseudonymiser keyed = MemberPseudonymiser.keyed(
                org.communitypulse.ingest.webhook.WebhookSecret.of("0123456789abcdef-identity-key"));
        CollectingEventSink sink = new CollectingEventSink();
        new DiscourseExportImporter(keyed).run(ImportSamples.path("discourse", "saved"), COMMUNITY, sink,
                ProgressListener.NONE);

        ActivityEvent alice = ofType(sink.events(), EventType.IDENTITY_OBSERVED).get(0);
        assertThat(alice.getActorId()).isEqualTo(keyed.apply(org.communitypulse.schemas.avro.SourcePlatform.DISCOURSE,
                "42"));
        assertThat(alice.getAttributes()).containsEntry("emailHash", keyed.emailHash("Alice@Example.org "))
                .containsEntry("emailVerified", "true");
        assertThat(sink.events().toString()).doesNotContain("alice@example.org");
    }

    @Test
    void shouldGiveWebhookEventIdsWhenSameItemsImported() {
        CollectingEventSink sink = new CollectingEventSink();
        importSaved(sink);
        List<ActivityEvent> events = sink.events();
        assertThat(ofType(events, EventType.THREAD_CREATED).get(0).getEventId()).isEqualTo(webhookId("topic_created"));
        assertThat(ofType(events, EventType.THREAD_CREATED).get(0).getAttributes().get("tags"))
                .isEqualTo(webhook("topic_created").getAttributes().get("tags"));
        assertThat(ofType(events, EventType.REPLY_CREATED).get(0).getEventId()).isEqualTo(webhookId("post_created"));
        assertThat(ofType(events, EventType.MEMBER_JOINED).get(2).getEventId()).isEqualTo(webhookId("user_created"));
    }

    @Test
    void shouldRejectBadItemsWithFileAndLineWhenSavedJsonMalformed() {
        ImportSummary summary = importSaved(new CollectingEventSink());
        assertThat(summary.rejectedTotal()).isEqualTo(3);
        assertThat(summary.rejectedRows()).extracting(Object::toString)
                .contains("admin/users/list/active.json:33: payload needs a string or number 'id'",
                        "t/1001.json:1: post 5007: 'created_at' is not an ISO-8601 date-time")
                .anySatisfy(row -> assertThat(row).startsWith("t/broken.json:1: not valid JSON (truncated file?)"));
    }
}
