package org.communitypulse.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
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

class SlackExportImporterTest {

    private static final String COMMUNITY = "ghostbusters";
    private static final String PARENT = "C123ABC456/1355517523.000005";

    private final SlackExportImporter importer = new SlackExportImporter(MemberPseudonymiser.none());
    private final SlackPayloadMapper webhook = new SlackPayloadMapper(MemberPseudonymiser.none());

    @TempDir
    Path temp;

    private ImportSummary importZip(Path zip, CollectingEventSink sink) {
        return importer.run(zip, COMMUNITY, sink, ProgressListener.NONE);
    }

    private static Map<EventType, List<ActivityEvent>> byType(List<ActivityEvent> events) {
        return events.stream().collect(Collectors.groupingBy(ActivityEvent::getType));
    }

    private String webhookId(String sample) {
        return webhook.map(null, WebhookSamples.json("slack", sample), COMMUNITY, Instant.EPOCH).events().get(0)
                .getEventId();
    }

    @Test
    void shouldMapMessagesRepliesReactionsJoinsAndRolesWhenExportImported() {
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importZip(ImportSamples.path("slack", "export.zip"), sink);

        Map<EventType, List<ActivityEvent>> events = byType(sink.events());
        assertThat(events.get(EventType.THREAD_CREATED)).extracting(ActivityEvent::getThreadId)
                .containsExactlyInAnyOrder(PARENT, "C999RND999/1355600000.000200");
        // The export names each channel by its folder: name-based programmed-content rules can match it.
        assertThat(events.get(EventType.THREAD_CREATED)).extracting(e -> e.getAttributes().get("channel_name"))
                .containsExactlyInAnyOrder("general", "random");
        ActivityEvent reply = events.get(EventType.REPLY_CREATED).get(0);
        assertThat(reply.getThreadId()).isEqualTo(PARENT);
        assertThat(reply.getActorId()).isEqualTo("U222BBB222");
        assertThat(reply.getChannel()).isEqualTo("C123ABC456");
        assertThat(reply.getOccurredAt()).isEqualTo(Instant.parse("2016-12-28T21:22:17.003Z"));
        ActivityEvent reaction = events.get(EventType.REACTION_ADDED).get(0);
        assertThat(reaction.getParentId()).isEqualTo(PARENT);
        assertThat(reaction.getAttributes()).containsEntry("reaction", "thumbsup");
        ActivityEvent join = events.get(EventType.MEMBER_JOINED).get(0);
        assertThat(join.getActorId()).isEqualTo("U222BBB222");
        assertThat(join.getChannel()).isEqualTo("C123ABC456");
        assertThat(events.get(EventType.ROLE_GRANTED)).extracting(ActivityEvent::getActorId)
                .containsExactly("U123ABC456");
        assertThat(events.get(EventType.MEMBER_LEFT)).extracting(ActivityEvent::getActorId)
                .containsExactly("U333CCC333");

        // Identity evidence from users.json: username and display name.
        assertThat(events.get(EventType.IDENTITY_OBSERVED)).extracting(e -> e.getActorId() + ":"
                + e.getAttributes().get("username") + ":" + e.getAttributes().get("displayName"))
                .containsExactly("U123ABC456:spengler:Egon Spengler", "U222BBB222:zuul:Zuul", "U333CCC333:gozer:null");

        assertThat(summary.totalEvents()).isEqualTo(10);
        assertThat(summary.skippedByReason()).containsEntry("slack:message.bot_message", 1L)
                .containsEntry("slack:folder not in channels.json", 1L)
                .containsEntry("slack:user_change.profile", 1L);
        assertThat(summary.rowsReadByFile()).containsEntry("general/", 4L).containsEntry("random/", 2L)
                .containsEntry("users.json", 3L);
    }

    @Test
    void shouldGiveWebhookEventIdsWhenSameMessagesImported() {
        CollectingEventSink sink = new CollectingEventSink();
        importZip(ImportSamples.path("slack", "export.zip"), sink);
        Map<EventType, ActivityEvent> first = sink.events().stream()
                .collect(Collectors.toMap(ActivityEvent::getType, Function.identity(), (a, b) -> a));

        assertThat(first.get(EventType.REPLY_CREATED).getEventId()).isEqualTo(webhookId("message.thread_reply"));
        assertThat(first.get(EventType.REACTION_ADDED).getEventId()).isEqualTo(webhookId("reaction_added"));
    }

    @Test
    void shouldRejectMessageWithFileAndLineWhenMessageMalformed() {
        ImportSummary summary = importZip(ImportSamples.path("slack", "export.zip"), new CollectingEventSink());
        assertThat(summary.rejectedTotal()).isEqualTo(1);
        assertThat(summary.rejectedRows().get(0).toString())
                .isEqualTo("random/2012-12-15.json:8: payload needs a string or number 'ts'");
    }

    @Test
    void shouldImportCompleteEntriesAndNameTheBreakWhenZipTruncated() throws IOException {
        byte[] zip = Files.readAllBytes(ImportSamples.path("slack", "export.zip"));
        Path cut = Files.write(temp.resolve("cut.zip"), Arrays.copyOf(zip, zip.length * 3 / 5));

        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importZip(cut, sink);

        assertThat(summary.rejectedTotal()).isPositive();
        assertThat(summary.rejectedRows()).anySatisfy(row -> {
            assertThat(row.file()).startsWith("cut.zip!");
            assertThat(row.reason()).contains("truncated");
        });
        // users.json precedes the break: its roles are in.
        assertThat(sink.events()).extracting(ActivityEvent::getType).contains(EventType.ROLE_GRANTED);
    }

    @Test
    void shouldRejectWithClearReasonWhenFileIsNotAZip() throws IOException {
        Path notZip = Files.writeString(temp.resolve("events.jsonl"), "{\"type\":\"IssuesEvent\"}\n");
        ImportSummary summary = importZip(notZip, new CollectingEventSink());
        assertThat(summary.rejectedRows()).extracting(Object::toString)
                .anySatisfy(text -> assertThat(text).startsWith("events.jsonl:0: not a zip file"));
        assertThat(summary.missingFiles()).containsExactly("channels.json");
    }
}
