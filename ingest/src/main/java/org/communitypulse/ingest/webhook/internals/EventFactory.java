package org.communitypulse.ingest.webhook.internals;

import java.time.Instant;
import java.util.Map;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;

/** Builds events of one platform with stable ids and (optionally) pseudonymised actors. */
public final class EventFactory {

    private final SourcePlatform source;
    private final MemberPseudonymiser members;

    public EventFactory(SourcePlatform source, MemberPseudonymiser members) {
        this.source = source;
        this.members = members;
    }

    /** Platform-scoped member id of the (raw) id, pseudonymised when configured. */
    public String member(String rawId) {
        return members.apply(source, rawId);
    }

    /**
     * One event; {@code itemKind}/{@code itemId} are the platform's item, which fixes the event id.
     * {@code actor} is the raw platform id and is pseudonymised here.
     */
    public ActivityEvent event(String communityId, String itemKind, String itemId, EventType type, String actor,
                               String threadId, String parentId, Instant occurredAt, String channel,
                               Map<String, String> attributes) {
        String eventId = EventIds.of(source, communityId, itemKind, itemId);
        return new ActivityEvent(eventId, communityId, source, type, member(actor), threadId, parentId, occurredAt,
                channel, Map.copyOf(attributes));
    }
}
