package org.communitypulse.streams.engagement;

import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.streams.common.View;

/**
 * What the engagement family publishes read-only: the latest emitted records per {@code communityId NUL suffix}
 * (see {@link EngagementTopology}), and the fold state the maturity family reads on the same task.
 */
public final class EngagementViews {

    public static final View<DailyEngagement> DAILY = new View<>(EngagementTopology.DAILY_VIEW_STORE);
    public static final View<TrailingEngagement> TRAILING = new View<>(EngagementTopology.TRAILING_VIEW_STORE);
    public static final View<CohortRetention> RETENTION = new View<>(EngagementTopology.RETENTION_VIEW_STORE);
    public static final View<MemberEngagement> MEMBER_LEVELS =
            new View<>(EngagementTopology.MEMBER_LEVELS_VIEW_STORE);
    /** Threads by {@code communityId NUL threadId}. */
    public static final View<ThreadState> THREADS = new View<>(EngagementTopology.THREAD_STORE);
    /** Communities whose periods wait for the next emission. */
    public static final View<byte[]> PENDING = new View<>(EngagementTopology.DIRTY_STORE);

    private EngagementViews() {
    }
}
