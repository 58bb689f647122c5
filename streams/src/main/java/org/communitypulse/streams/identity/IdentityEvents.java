package org.communitypulse.streams.identity;

import org.communitypulse.schemas.avro.EventType;

/** The event types the identity family owns: the intake routes them there only, other families skip them. */
public final class IdentityEvents {

    private IdentityEvents() {
    }

    public static boolean isIdentityEvent(EventType type) {
        return type == EventType.IDENTITY_OBSERVED || type == EventType.IDENTITY_MERGED
                || type == EventType.IDENTITY_SPLIT || type == EventType.MEMBER_ERASED;
    }
}
