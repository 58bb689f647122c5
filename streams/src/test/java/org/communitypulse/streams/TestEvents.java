package org.communitypulse.streams;

import java.time.Instant;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/** Activity events for the streams tests. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A valid event: {@code community} is also the record key the tests use. */
    public static ActivityEvent event(String eventId, String community, EventType type, String actor, Instant at) {
        return ActivityEvent.newBuilder()
                .setEventId(eventId)
                .setCommunityId(community)
                .setSource(SourcePlatform.GENERATOR)
                .setType(type)
                .setActorId(actor)
                .setOccurredAt(at)
                .build();
    }

    /** A copy of {@code event} that can be edited without touching the original. */
    public static ActivityEvent copy(ActivityEvent event) {
        return ActivityEvent.newBuilder(event).build();
    }
}
