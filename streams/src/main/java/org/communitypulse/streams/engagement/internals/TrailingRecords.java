package org.communitypulse.streams.engagement.internals;

import java.util.HashMap;
import java.util.Map;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.streams.common.LruMap;

/**
 * The trailing records last computed per community day, kept across emissions with what they were computed
 * from, so that a record whose window is unchanged is not rebuilt from its 28 days of members.
 *
 * <p>A thread's first response re-emits every trailing record of the 28 days after the thread started (their
 * open-thread counts change), while the days in those windows, and so their member counts and sums, did not
 * change. A day's state changes only by an event on that day (which counts in its {@code events}), by a role
 * change (staff replies are no peer replies) or by an identity change (a merge, split or erasure moves
 * contributions between members): a kept record is reused when every day of its window still has the events
 * it had and no role or identity change reached its community since; its open threads and time are always
 * recomputed. Derived from the stores only: it starts empty whenever the task is (re)initialised.
 */
final class TrailingRecords {

    /** Records kept: a few weeks of a few hundred communities per task. */
    static final int MAX_RECORDS = 8_192;

    /** A record with the events of each day of its window, oldest first, and its community's epoch. */
    private record Kept(TrailingEngagement record, long[] events, long epoch) {
    }

    private final Map<CommunityDay, Kept> kept = new LruMap<>(MAX_RECORDS);
    /** Per community, the number of role and identity changes seen: any one of them outdates its records. */
    private final Map<String, Long> epochs = new HashMap<>();

    /** A role or identity change in {@code community}: none of its kept records can be trusted. */
    void restructured(String community) {
        epochs.merge(community, 1L, Long::sum);
    }

    /** The record kept for the window ending {@code end}, or null when it is missing or outdated. */
    TrailingEngagement reusable(CommunityView view, int end) {
        Kept k = kept.get(new CommunityDay(view.community, end));
        if (k == null || k.epoch != epoch(view.community)) {
            return null;
        }
        int first = end - EngagementFolder.WINDOW_DAYS + 1;
        for (int j = 0; j < k.events.length; j++) {
            if (view.day(first + j).getEvents() != k.events[j]) {
                return null;
            }
        }
        return k.record;
    }

    /** Keeps {@code record}, the window ending {@code end} as the view's days are now. */
    void keep(CommunityView view, int end, TrailingEngagement record) {
        long[] events = new long[EngagementFolder.WINDOW_DAYS];
        int first = end - EngagementFolder.WINDOW_DAYS + 1;
        for (int j = 0; j < events.length; j++) {
            events[j] = view.day(first + j).getEvents();
        }
        kept.put(new CommunityDay(view.community, end), new Kept(record, events, epoch(view.community)));
    }

    private long epoch(String community) {
        return epochs.getOrDefault(community, 0L);
    }
}
