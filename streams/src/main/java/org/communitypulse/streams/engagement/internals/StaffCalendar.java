package org.communitypulse.streams.engagement.internals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.RoleChange;
import org.communitypulse.streams.common.Days;

/**
 * When a member held a staff role, derived from the set of their grant and revoke events, so the
 * answer does not depend on the order those events arrived in.
 *
 * <p>Per role, changes are replayed in time order (a grant before a revoke at the same instant): a
 * grant opens an interval unless one is open, a revoke closes the open one and is otherwise ignored
 * (a revoke with no grant is the roles topology's to report, not a reason to guess here).
 */
final class StaffCalendar {

    static final StaffCalendar NEVER = new StaffCalendar(List.of());

    private static final Comparator<RoleChange> ORDER = Comparator.comparingLong(RoleChange::getAt)
            .thenComparing(c -> !c.getGranted());

    /** Half-open millis intervals {@code [from, to)}; {@code to} is Long.MAX_VALUE while held. */
    private final List<long[]> intervals;

    private StaffCalendar(List<long[]> intervals) {
        this.intervals = intervals;
    }

    /** {@code changes} hold only staff roles (the processor filters them when it stores them). */
    static StaffCalendar of(List<RoleChange> changes) {
        if (changes.isEmpty()) {
            return NEVER;
        }
        Map<String, List<RoleChange>> byRole = new HashMap<>();
        for (RoleChange c : changes) {
            byRole.computeIfAbsent(c.getRole(), r -> new ArrayList<>()).add(c);
        }
        List<long[]> intervals = new ArrayList<>();
        for (List<RoleChange> roleChanges : byRole.values()) {
            roleChanges.sort(ORDER);
            long openedAt = -1;
            boolean open = false;
            for (RoleChange c : roleChanges) {
                if (c.getGranted() && !open) {
                    open = true;
                    openedAt = c.getAt();
                } else if (!c.getGranted() && open) {
                    open = false;
                    intervals.add(new long[] {openedAt, c.getAt()});
                }
            }
            if (open) {
                intervals.add(new long[] {openedAt, Long.MAX_VALUE});
            }
        }
        return new StaffCalendar(intervals);
    }

    /** Whether a staff role was held at any moment of the UTC day. */
    boolean isStaffOn(int epochDay) {
        long dayStart = Days.startMillis(epochDay);
        long dayEnd = dayStart + Days.MILLIS_PER_DAY;
        for (long[] i : intervals) {
            if (i[0] < dayEnd && i[1] > dayStart) {
                return true;
            }
        }
        return false;
    }
}
