package org.communitypulse.ingest.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.importing.ImportSamples;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudEventsImporterTest {

    private static final String COMMUNITY = "makers";

    private final CloudEventsImporter importer = new CloudEventsImporter();

    @Test
    void shouldPublishCarriedActivityEventsWhenCloudEventsValid() {
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importer.run(ImportSamples.path("cloudevents", "activity.jsonl"), COMMUNITY, sink,
                ProgressListener.NONE);

        List<ActivityEvent> events = sink.events();
        assertThat(summary.rejectedTotal()).isZero();
        assertThat(events).extracting(ActivityEvent::getType).containsExactly(EventType.THREAD_CREATED,
                EventType.REPLY_CREATED, EventType.ANSWER_ACCEPTED);
        ActivityEvent thread = events.get(0);
        assertThat(thread.getEventId()).isEqualTo(EventIds.of(SourcePlatform.OTHER, COMMUNITY, "cloudevent",
                "https://forum.example.org//A234-1234-1234"));
        assertThat(thread.getOccurredAt()).isEqualTo(Instant.parse("2024-03-01T10:14:58Z"));
        assertThat(thread.getActorId()).isEqualTo("alice");
        assertThat(thread.getChannel()).isEqualTo("printing");
        assertThat(thread.getAttributes()).containsEntry("item", "question");
        // No occurredAt in data: the CloudEvent's time.
        assertThat(events.get(1).getOccurredAt()).isEqualTo(Instant.parse("2024-03-01T11:02:00Z"));
        assertThat(events.get(1).getCommunityId()).isEqualTo(COMMUNITY);
        ActivityEvent accepted = events.get(2);
        assertThat(accepted.getEventId()).isEqualTo("3f1c8e2a-5b7d-5e0f-9a1b-2c3d4e5f6a7b");
        assertThat(accepted.getSource()).isEqualTo(SourcePlatform.DISCOURSE);
        assertThat(accepted.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1709294400000L));
    }

    @Test
    void shouldRejectEachBrokenRuleWithLineWhenAttributesInvalid() {
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importer.run(ImportSamples.path("cloudevents", "bad.jsonl"), COMMUNITY, sink,
                ProgressListener.NONE);

        assertThat(sink.events()).extracting(ActivityEvent::getType)
                .containsExactly(EventType.MEMBER_JOINED, EventType.MEMBER_LEFT);
        assertThat(summary.rejectedRows()).extracting(Object::toString).containsExactly(
                "bad.jsonl:2: specversion must be '1.0' but was '0.3'",
                "bad.jsonl:3: missing required CloudEvents attribute 'id'",
                "bad.jsonl:4: type must be 'org.communitypulse.activity' but was 'com.example.order'",
                "bad.jsonl:5: data.type 'SOMETHING' is not a EventType",
                "bad.jsonl:6: needs data.occurredAt or the CloudEvents 'time' attribute",
                "bad.jsonl:7: data.communityId 'other' differs from the imported community 'makers'",
                "bad.jsonl:8: datacontenttype must be application/json but was \"application/xml\"");
    }

    @Test
    void shouldIgnoreByteOrderMarkWhenFileSavedWithOne(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("bom.jsonl"), "\uFEFF"
                + Files.readString(ImportSamples.path("cloudevents", "activity.jsonl")));
        CollectingEventSink sink = new CollectingEventSink();
        ImportSummary summary = importer.run(file, COMMUNITY, sink, ProgressListener.NONE);
        assertThat(summary.rejectedTotal()).isZero();
        assertThat(sink.events()).hasSize(3);
    }

    @Test
    void shouldGiveSameIdsWhenSameFileImportedTwice() {
        CollectingEventSink first = new CollectingEventSink();
        CollectingEventSink second = new CollectingEventSink();
        importer.run(ImportSamples.path("cloudevents", "activity.jsonl"), COMMUNITY, first, ProgressListener.NONE);
        importer.run(ImportSamples.path("cloudevents", "activity.jsonl"), COMMUNITY, second, ProgressListener.NONE);
        assertThat(second.events()).isEqualTo(first.events());
    }
}
