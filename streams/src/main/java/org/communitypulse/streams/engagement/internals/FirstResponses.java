package org.communitypulse.streams.engagement.internals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.streams.common.LruMap;

/**
 * The first responses of the threads started on each community day, kept across emissions.
 *
 * <p>Every trailing record counts the open threads of the 28 days before it, which needs the first
 * response of every thread started in those days. Reading those threads again at every emission was
 * the emitter's largest store traffic; a day's first responses change only when the fold marks that day
 * dirty (a thread started on it, or one of its threads got its first response or moved to another
 * day), so the emitter {@link #invalidate invalidates} exactly the days it is about to re-emit. Derived
 * from the stores only: it starts empty whenever the task is (re)initialised.
 */
final class FirstResponses {

    /** Community days kept: four weeks of a few hundred communities per task, a few MB at most. */
    static final int MAX_DAYS = 8_192;

    /**
     * @param responseAt first-response instants, ascending; Long.MAX_VALUE for a thread with none yet
     * @param seconds    first response times in seconds of the responded threads, ascending
     */
    record Day(long[] responseAt, long[] seconds) {
    }

    private final Map<CommunityDay, Day> days = new LruMap<>(MAX_DAYS);

    /** The day's first responses, read from the thread store when not cached. */
    Day of(EngagementStores stores, String community, int day, List<String> threadIds) {
        return days.computeIfAbsent(new CommunityDay(community, day), k -> read(stores, community, threadIds));
    }

    /** Forgets a day whose threads changed. */
    void invalidate(String community, int day) {
        days.remove(new CommunityDay(community, day));
    }

    private static Day read(EngagementStores stores, String community, List<String> threads) {
        long[] at = new long[threads.size()];
        long[] seconds = new long[threads.size()];
        int responded = 0;
        for (int j = 0; j < at.length; j++) {
            ThreadState ts = stores.threads().get(EngagementStores.scoped(community, threads.get(j)));
            Long first = ThreadResponses.firstResponseAt(ts);
            at[j] = first == null ? Long.MAX_VALUE : first;
            if (first != null) {
                seconds[responded++] = ThreadResponses.firstResponseSeconds(ts);
            }
        }
        Arrays.sort(at);
        long[] respondedSeconds = Arrays.copyOf(seconds, responded);
        Arrays.sort(respondedSeconds);
        return new Day(at, respondedSeconds);
    }
}
