package org.communitypulse.streams.engagement.internals;

import java.util.HashMap;
import java.util.Map;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.MemberDay;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.streams.common.Days;
import org.communitypulse.streams.common.SortedLists;
import org.communitypulse.streams.identity.MemberResolver;

/** One community's state as read during one emission, with the lookups cached. */
final class CommunityView {

    private static final DailyEngagementState EMPTY_DAY = EngagementStores.emptyDay();

    private final EngagementStores stores;
    final String community;
    final CommunityState cs;
    private final Map<Integer, DailyEngagementState> days = new HashMap<>();
    private final Map<String, StaffCalendar> staff = new HashMap<>();
    private final FirstResponses responses;
    private final Map<Integer, Long> peerReplies = new HashMap<>();
    private final Map<Integer, Integer> activeMembers = new HashMap<>();
    /** Platform identity to member: contributions are per identity in the state, members are counted. */
    final MemberResolver members;

    CommunityView(EngagementStores stores, String community, CommunityState cs) {
        this(stores, community, cs, MemberResolver.NONE, new FirstResponses());
    }

    /** @param responses first responses per day, kept by the emitter across emissions */
    CommunityView(EngagementStores stores, String community, CommunityState cs, MemberResolver members,
                  FirstResponses responses) {
        this.responses = responses;
        this.stores = stores;
        this.community = community;
        this.cs = cs;
        this.members = members;
    }

    /** Distinct members (not identities) with a contribution on {@code day}. */
    int activeMembers(int day) {
        return activeMembers.computeIfAbsent(day, d -> {
            Map<String, MemberDay> identities = day(d).getMembers();
            if (!members.active()) {
                return identities.size();
            }
            java.util.Set<String> distinct = new java.util.HashSet<>();
            identities.keySet().forEach(id -> distinct.add(members.memberOf(id)));
            return distinct.size();
        });
    }

    DailyEngagementState day(int day) {
        return days.computeIfAbsent(day, d -> {
            DailyEngagementState ds = stores.days().get(EngagementStores.dayKey(community, d));
            return ds == null ? EMPTY_DAY : ds;
        });
    }

    /** Whether the member of this identity holds a staff role on {@code day} under any of its identities. */
    boolean isStaff(String identity, int day) {
        if (!members.active()) {
            return isIdentityStaff(identity, day);
        }
        for (String id : members.linkedTo(identity)) {
            if (isIdentityStaff(id, day)) {
                return true;
            }
        }
        return false;
    }

    private boolean isIdentityStaff(String member, int day) {
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
            if (!members.active()) {
                // Staff are few and a busy day's members many: look the staff up in the day, not the reverse.
                for (String id : cs.getStaffMembers()) {
                    MemberDay md = ds.getMembers().get(id);
                    if (md != null && md.getReplies() > 0 && isIdentityStaff(id, d)) {
                        staffReplies += md.getReplies();
                    }
                }
                return ds.getReplies() - staffReplies;
            }
            for (Map.Entry<String, MemberDay> e : ds.getMembers().entrySet()) {
                if (e.getValue().getReplies() > 0 && isStaff(e.getKey(), d)) {
                    staffReplies += e.getValue().getReplies();
                }
            }
            return ds.getReplies() - staffReplies;
        });
    }

    /** The first responses of the threads started on one day, shared by the daily record, backlog and alerts. */
    private FirstResponses.Day responses(int day) {
        return responses.of(stores, community, day, day(day).getThreadIds());
    }

    /** First response times in seconds of the day's responded threads, ascending. */
    long[] responseSeconds(int day) {
        return responses(day).seconds();
    }

    /** Threads started in the 28 days ending {@code day} with no response before the end of that day. */
    long openThreads(int day) {
        long endOfDay = Days.startMillis(day + 1);
        long open = 0;
        for (int d = day - EngagementFolder.WINDOW_DAYS + 1; d <= day; d++) {
            long[] at = responses(d).responseAt();
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
