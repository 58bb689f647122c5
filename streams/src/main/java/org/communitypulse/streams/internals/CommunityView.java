package org.communitypulse.streams.internals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.MemberDay;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.ThreadState;

/** One community's state as read during one emission, with the lookups cached. */
final class CommunityView {

    private static final DailyEngagementState EMPTY_DAY = EngagementStores.emptyDay();

    private final EngagementStores stores;
    final String community;
    final CommunityState cs;
    private final Map<Integer, DailyEngagementState> days = new HashMap<>();
    private final Map<String, StaffCalendar> staff = new HashMap<>();
    private final Map<Integer, long[]> responseTimes = new HashMap<>();
    private final Map<Integer, Long> peerReplies = new HashMap<>();

    CommunityView(EngagementStores stores, String community, CommunityState cs) {
        this.stores = stores;
        this.community = community;
        this.cs = cs;
    }

    DailyEngagementState day(int day) {
        return days.computeIfAbsent(day, d -> {
            DailyEngagementState ds = stores.days().get(EngagementStores.dayKey(community, d));
            return ds == null ? EMPTY_DAY : ds;
        });
    }

    boolean isStaff(String member, int day) {
        if (!SortedLists.contains(cs.getStaffMembers(), member)) {
            return false;
        }
        return staff.computeIfAbsent(member, m -> {
            MemberState ms = stores.members().get(EngagementStores.scoped(community, m));
            return ms == null ? StaffCalendar.NEVER : StaffCalendar.of(ms.getRoleChanges());
        }).isStaffOn(day);
    }

    long peerReplies(int day) {
        return peerReplies.computeIfAbsent(day, d -> {
            DailyEngagementState ds = day(d);
            long staffReplies = 0;
            for (Map.Entry<String, MemberDay> e : ds.getMembers().entrySet()) {
                if (e.getValue().getReplies() > 0 && isStaff(e.getKey(), d)) {
                    staffReplies += e.getValue().getReplies();
                }
            }
            return ds.getReplies() - staffReplies;
        });
    }

    /** First-response instants of the threads started that day, ascending; Long.MAX_VALUE = none yet. */
    long[] responseTimes(int day) {
        return responseTimes.computeIfAbsent(day, d -> {
            List<String> threads = day(d).getThreadIds();
            long[] at = new long[threads.size()];
            for (int j = 0; j < at.length; j++) {
                Long first = ThreadResponses.firstResponseAt(
                        stores.threads().get(EngagementStores.scoped(community, threads.get(j))));
                at[j] = first == null ? Long.MAX_VALUE : first;
            }
            Arrays.sort(at);
            return at;
        });
    }

    /** First response times in seconds of the day's responded threads, ascending. */
    long[] responseSeconds(int day) {
        List<String> threads = day(day).getThreadIds();
        long[] seconds = new long[threads.size()];
        int n = 0;
        for (String thread : threads) {
            Long s = ThreadResponses.firstResponseSeconds(
                    stores.threads().get(EngagementStores.scoped(community, thread)));
            if (s != null) {
                seconds[n++] = s;
            }
        }
        long[] result = Arrays.copyOf(seconds, n);
        Arrays.sort(result);
        return result;
    }

    ThreadState thread(String threadId) {
        return stores.threads().get(EngagementStores.scoped(community, threadId));
    }

    /** Threads started in the 28 days ending {@code day} with no response before the end of that day. */
    long openThreads(int day) {
        long endOfDay = Days.startMillis(day + 1);
        long open = 0;
        for (int d = day - EngagementFolder.WINDOW_DAYS + 1; d <= day; d++) {
            long[] at = responseTimes(d);
            open += at.length - lowerBound(at, endOfDay);
        }
        return open;
    }

    private static int lowerBound(long[] sorted, long value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
