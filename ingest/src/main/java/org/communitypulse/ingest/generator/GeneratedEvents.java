package org.communitypulse.ingest.generator;

import java.time.Instant;
import java.util.Map;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/** How both generators shape an event: source GENERATOR unless scripted, no channel, a stable id from kind and item id. */
final class GeneratedEvents {

    private GeneratedEvents() {
    }

    static ActivityEvent event(String community, String kind, String itemId, EventType type, String actor,
                               String threadId, String parentId, Instant at, Map<String, String> attributes) {
        return event(SourcePlatform.GENERATOR, community, kind, itemId, type, actor, threadId, parentId, at, attributes);
    }

    /** As above, arriving on {@code source} (a scripted community spread over several platforms). */
    static ActivityEvent event(SourcePlatform source, String community, String kind, String itemId, EventType type,
                               String actor, String threadId, String parentId, Instant at,
                               Map<String, String> attributes) {
        return ActivityEvent.newBuilder()
                .setEventId(EventIds.of(source, community, kind, itemId))
                .setCommunityId(community)
                .setSource(source)
                .setType(type)
                .setActorId(actor)
                .setThreadId(threadId)
                .setParentId(parentId)
                .setOccurredAt(at)
                .setChannel(null)
                .setAttributes(Map.copyOf(attributes))
                .build();
    }
}
