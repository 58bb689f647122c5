package org.communitypulse.streams.common;

/**
 * Keys of the per-community stores and views: {@code communityId NUL suffix}, so one community is a prefix range
 * and lives on the task (and instance) that owns the community's activity partition.
 */
public final class ViewKeys {

    /** Separator between the community id and the rest of a key. */
    public static final char SEPARATOR = '\u0000';

    private ViewKeys() {
    }

    public static String scoped(String communityId, String suffix) {
        return communityId + SEPARATOR + suffix;
    }
}
