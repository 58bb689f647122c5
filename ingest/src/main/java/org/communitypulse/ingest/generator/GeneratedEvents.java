package org.communitypulse.ingest.generator;

import java.time.Instant;
import java.util.Map;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/** How both generators shape an event: source GENERATOR, no channel, a stable id from kind and item id. */
final class GeneratedEvents {

    private GeneratedEvents() {
    }

    static ActivityEvent event(String community, String kind, String itemId, EventType type, String actor,
                               String threadId, String parentId, Instant at, Map<String, String> attributes) {
        return ActivityEvent.newBuilder()
                .setEventId(EventIds.of(SourcePlatform.GENERATOR, community, kind, itemId))
                .setCommunityId(community)
                .setSource(SourcePlatform.GENERATOR)
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
