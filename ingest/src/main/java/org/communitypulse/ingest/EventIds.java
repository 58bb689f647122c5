package org.communitypulse.ingest;

import org.communitypulse.schemas.avro.SourcePlatform;

/** The importers' name for {@link org.communitypulse.schemas.EventIds}: the same ids, one recipe. */
public final class EventIds {

    /** See {@link org.communitypulse.schemas.EventIds#NAMESPACE_TEXT}. */
    public static final String NAMESPACE_TEXT = org.communitypulse.schemas.EventIds.NAMESPACE_TEXT;

    private EventIds() {
    }

    /** See {@link org.communitypulse.schemas.EventIds#of}. */
    public static String of(SourcePlatform source, String communityId, String itemKind, String itemId) {
        return org.communitypulse.schemas.EventIds.of(source, communityId, itemKind, itemId);
    }
}
