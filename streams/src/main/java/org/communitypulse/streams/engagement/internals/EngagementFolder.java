package org.communitypulse.streams.engagement.internals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CohortState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MemberDay;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.RoleChange;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.streams.common.Days;
import org.communitypulse.streams.common.SortedLists;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.identity.IdentityChange;
import org.communitypulse.streams.identity.IdentityView;
import org.communitypulse.streams.identity.MemberResolver;

/**
 * Folds one accepted, deduplicated event into the engagement state and marks the periods whose
 * records it changes as dirty; {@link EngagementEmitter} recomputes those later.
 *
 * <p>Every update is commutative (counts, set unions, minima, maxima), and every period an event
 * can influence is marked, so the state and the final records do not depend on arrival order.
 */
final class EngagementFolder {

    /** Days in the longer trailing window: an event on day d changes the windows ending d .. d+27. */
    static final int WINDOW_DAYS = 28;
    /** A cohort's follow-up: its members are retained by a contribution in weeks 1 to 4 after it. */
    static final int FOLLOW_UP_FROM = 7;
    static final int FOLLOW_UP_TO = 35;

    private static final String KIND = "kind";
    private static final String ROLE = "role";
    private static final String LEVEL = "level";
    private static final String ACCOUNT = "account";
    private static final List<String> STAFF_ATTRIBUTES = List.of(ROLE, LEVEL);
    private static final char ACCOUNT_SEPARATOR = '@';
    private static final String ANSWER_AUTHOR = "answerAuthorId";

    private final EngagementStores stores;
    private final MemberDays memberDays;
    private final DirtyPeriods dirty;
    private final EngagementSettings settings;
    /** Identity resolution, or null: without it every platform identity is a member. */
    private final IdentityView identities;
    private final Consumer<String> restructured;

    EngagementFolder(EngagementStores stores, DirtyPeriods dirty, EngagementSettings settings) {
        this(stores, dirty, settings, null);
    }

    EngagementFolder(EngagementStores stores, DirtyPeriods dirty, EngagementSettings settings,
                     IdentityView identities) {
        this(stores, dirty, settings, identities, community -> { });
    }

    /**
     * @param restructured told of every staff-role and identity change, by community: they change what days
     *                     already folded mean (staff replies, who is whom) without an event on those days
     */
    EngagementFolder(EngagementStores stores, DirtyPeriods dirty, EngagementSettings settings,
                     IdentityView identities, Consumer<String> restructured) {
        this.restructured = restructured;
        this.stores = stores;
        this.memberDays = new MemberDays(stores.memberDays());
        this.dirty = dirty;
        this.settings = settings;
        this.identities = identities;
        this.resolved = identities == null ? new java.util.HashSet<>() : identities.activeCommunities();
    }

    /**
     * Communities with any link or erasure, known without a lookup per event: loaded when the task starts and
     * extended by each {@link IdentityChange} (the identity processor sends one whenever it activates one).
     */
    private final java.util.Set<String> resolved;

    void fold(ActivityEvent event) {
        String community = event.getCommunityId();
        long at = event.getOccurredAt().toEpochMilli();
        int day = Days.of(at);
        CommunityState stored = stores.communities().get(community);
        CommunityState cs = stored == null ? EngagementStores.emptyCommunity() : stored;
        // The community record changes rarely (a new latest day, a first contribution, a staff member):
        // written only then, not on every event.
        Integer firstActive = cs.getFirstActiveDay();
        Integer latest = cs.getLatestDay();
        int staff = cs.getStaffMembers().size();
        extendLatest(community, cs, day);

        CommunityDayKey dayKey = EngagementStores.dayKey(community, day);
        DailyEngagementState ds = stores.days().get(dayKey);
        if (ds == null) {
            ds = EngagementStores.emptyDay();
        }
        ds.setEvents(ds.getEvents() + 1);
        dirty.mark(community, DirtyPeriods.Kind.DAILY, day);
        MemberResolver members = MemberResolver.of(identities, community, resolved.contains(community));
        // The state is kept per platform identity (members are resolved when records are computed), except
        // that an erased member's identities are no one: their new events count as anonymous.
        String actor = forgetErased(members, blankToNull(event.getActorId()));
        String thread = blankToNull(event.getThreadId());
        switch (event.getType()) {
            case THREAD_CREATED -> {
                ds.setThreads(ds.getThreads() + 1);
                if (thread != null) {
                    started(community, cs, ds, day, thread, actor, at);
                }
                contribution(community, cs, ds, actor, day, at, false, members);
                markTrailing(community, cs, day, day + WINDOW_DAYS - 1);
            }
            case REPLY_CREATED -> {
                ds.setReplies(ds.getReplies() + 1);
                countKind(ds, event.getAttributes().get(KIND));
                if (thread != null) {
                    replied(community, cs, thread, actor, at);
                }
                contribution(community, cs, ds, actor, day, at, true, members);
                markTrailing(community, cs, day, day + WINDOW_DAYS - 1);
            }
            case REACTION_ADDED -> ds.setReactions(ds.getReactions() + 1);
            case ANSWER_ACCEPTED -> {
                ds.setAcceptedAnswers(ds.getAcceptedAnswers() + 1);
                String author = forgetErased(members, blankToNull(event.getAttributes().get(ANSWER_AUTHOR)));
                if (author != null && ds.getAcceptedAuthors().merge(author, 1, Integer::sum) == 1) {
                    memberDays.add(community, author, day, MemberDays.Kind.ACCEPTED);
                }
            }
            case MEMBER_JOINED -> ds.setNewMembers(ds.getNewMembers() + 1);
            case ROLE_GRANTED, ROLE_REVOKED -> roleChanged(community, cs, actor, event, at, members);
            default -> {
                // Counted in events only; other topologies give these their meaning.
            }
        }
        stores.days().put(dayKey, ds);
        boolean rejudge = lateForAlerts(cs, event.getType(), day);
        if (stored == null || rejudge || !Objects.equals(firstActive, cs.getFirstActiveDay())
                || !Objects.equals(latest, cs.getLatestDay()) || staff != cs.getStaffMembers().size()) {
            stores.communities().put(community, cs);
        }
    }

    /**
     * A thread or reply on a day the alerts have already judged (a backfill, a connector catching up): the alerts are
     * judged again from the earliest such day at the next emission (docs/alerts.md, live convergence). Marks only when
     * the mark moves, so a backfill writes the community record once per day it reaches back to.
     */
    private static boolean lateForAlerts(CommunityState cs, EventType type, int day) {
        Integer judged = cs.getAlertsEvaluatedThrough();
        if (judged == null || day > judged || type != EventType.THREAD_CREATED && type != EventType.REPLY_CREATED) {
            return false;
        }
        Integer from = cs.getAlertsRejudgeFrom();
        if (from != null && from <= day) {
            return false;
        }
        cs.setAlertsRejudgeFrom(day);
        return true;
    }

    private void extendLatest(String community, CommunityState cs, int day) {
        Integer old = cs.getLatestDay();
        if (old != null && day <= old) {
            return;
        }
        cs.setLatestDay(day);
        if (old == null) {
            return;
        }
        // Days that now exist get trailing records (the series is dense, quiet days included).
        markTrailing(community, cs, old + 1, day);
        // Cohorts whose follow-up has just been completely seen flip to complete.
        int firstCohort = Days.mondayOf(old - FOLLOW_UP_TO + 2);
        for (int monday = firstCohort; monday <= day - FOLLOW_UP_TO + 1; monday += 7) {
            if (cs.getFirstActiveDay() != null && monday + 7 > cs.getFirstActiveDay()
                    && stores.cohorts().get(EngagementStores.dayKey(community, monday)) != null) {
                dirty.mark(community, DirtyPeriods.Kind.COHORT, monday);
            }
        }
    }

    private static void countKind(DailyEngagementState ds, String kind) {
        if ("answer".equals(kind)) {
            ds.setAnswers(ds.getAnswers() + 1);
        } else if ("comment".equals(kind)) {
            ds.setComments(ds.getComments() + 1);
        } else {
            ds.setOtherReplies(ds.getOtherReplies() + 1);
        }
    }

    /**
     * A thread is started by its earliest THREAD_CREATED (a source may report one twice under two
     * event ids); only that day lists it, so its response time is counted once, on one day.
     */
    private void started(String community, CommunityState cs, DailyEngagementState ds, int day, String thread,
                         String actor, long at) {
        ThreadState ts = thread(community, thread);
        Long previous = ts.getCreatedAt();
        if (previous != null && previous <= at) {
            return;
        }
        ThreadResponses.started(ts, actor, at);
        stores.threads().put(EngagementStores.scoped(community, thread), ts);
        SortedLists.add(ds.getThreadIds(), thread);
        if (previous != null && Days.of(previous) != day) {
            int oldDay = Days.of(previous);
            CommunityDayKey oldKey = EngagementStores.dayKey(community, oldDay);
            DailyEngagementState old = stores.days().get(oldKey);
            if (old != null && SortedLists.remove(old.getThreadIds(), thread)) {
                stores.days().put(oldKey, old);
            }
            dirty.mark(community, DirtyPeriods.Kind.DAILY, oldDay);
            markTrailing(community, cs, oldDay, oldDay + WINDOW_DAYS - 1);
        }
    }

    private void replied(String community, CommunityState cs, String thread, String actor, long at) {
        ThreadState ts = thread(community, thread);
        Long before = ThreadResponses.firstResponseAt(ts);
        ThreadResponses.replied(ts, actor, at);
        stores.threads().put(EngagementStores.scoped(community, thread), ts);
        Long after = ThreadResponses.firstResponseAt(ts);
        if (ts.getCreatedAt() != null && !Objects.equals(before, after)) {
            // The thread's start day owns its response time, and the open backlog of the 28 days after it.
            int started = Days.of(ts.getCreatedAt());
            dirty.mark(community, DirtyPeriods.Kind.DAILY, started);
            markTrailing(community, cs, started, started + WINDOW_DAYS - 1);
        }
    }

    private void contribution(String community, CommunityState cs, DailyEngagementState ds, String actor, int day,
                              long at, boolean reply, MemberResolver members) {
        if (actor == null) {
            return;
        }
        MemberDay md = ds.getMembers().get(actor);
        if (md == null) {
            md = new MemberDay(0, 0);
            ds.getMembers().put(actor, md);
            memberDays.add(community, actor, day, MemberDays.Kind.CONTRIBUTED);
        }
        md.setContributions(md.getContributions() + 1);
        if (reply) {
            md.setReplies(md.getReplies() + 1);
        }
        MemberState ms = member(community, actor);
        int index = SortedLists.add(ms.getDays(), day);
        if (ms.getDayContributions().size() < ms.getDays().size()) {
            ms.getDayContributions().add(index, 0);
        }
        ms.getDayContributions().set(index, ms.getDayContributions().get(index) + 1);
        ms.setContributionsTotal(ms.getContributionsTotal() + 1);
        if (ms.getLastContributionAt() == null || at > ms.getLastContributionAt()) {
            ms.setLastContributionAt(at);
        }
        Long oldFirst = ms.getFirstContributionAt();
        if (oldFirst == null || at < oldFirst) {
            ms.setFirstContributionAt(at);
            moveCohort(community, cs, actor, oldFirst == null ? null : Days.mondayOf(Days.of(oldFirst)),
                    Days.mondayOf(day));
        }
        int cohort = Days.mondayOf(Days.of(ms.getFirstContributionAt()));
        if (day >= cohort + FOLLOW_UP_FROM && day < cohort + FOLLOW_UP_TO) {
            dirty.mark(community, DirtyPeriods.Kind.COHORT, cohort);
        }
        keepReadDays(ms, cs.getLatestDay());
        stores.members().put(EngagementStores.scoped(community, actor), ms);
        for (String linked : members.linkedTo(actor)) {
            // A linked member's cohort is the earliest of its identities': this day may retain it.
            MemberState other = linked.equals(actor) ? null : stores.members().get(EngagementStores.scoped(community, linked));
            if (other != null && other.getFirstContributionAt() != null) {
                int theirs = Days.mondayOf(Days.of(other.getFirstContributionAt()));
                if (day >= theirs + FOLLOW_UP_FROM && day < theirs + FOLLOW_UP_TO) {
                    dirty.mark(community, DirtyPeriods.Kind.COHORT, theirs);
                }
            }
        }
        dirty.mark(community, DirtyPeriods.Kind.MEMBER, actor);

        Integer firstActive = cs.getFirstActiveDay();
        if (firstActive == null || day < firstActive) {
            cs.setFirstActiveDay(day);
            // Days before the old first active day join the dense trailing series.
            int to = firstActive == null ? cs.getLatestDay() : firstActive - 1;
            markTrailing(community, cs, day, to);
        }
    }

    /**
     * Drops the member's days that neither its level nor its retention can read any more, so its state stays
     * bounded however long its history (the whole history is in {@link MemberDays}). The level reads the 28 days
     * to the community's latest day, which only moves forward; retention reads the weeks after the first
     * contribution's week, which only moves back, and then only to days before the ones kept.
     */
    static void keepReadDays(MemberState ms, int latestDay) {
        int earlyEnd = Days.mondayOf(Days.of(ms.getFirstContributionAt())) + FOLLOW_UP_TO;
        int recentFrom = latestDay - WINDOW_DAYS + 1;
        if (earlyEnd >= recentFrom) {
            return;
        }
        int from = SortedLists.lowerBound(ms.getDays(), earlyEnd);
        int to = SortedLists.lowerBound(ms.getDays(), recentFrom);
        if (from < to) {
            ms.getDays().subList(from, to).clear();
            ms.getDayContributions().subList(from, to).clear();
        }
    }

    private void moveCohort(String community, CommunityState cs, String actor, Integer from, int to) {
        if (from != null && from == to) {
            return;
        }
        if (from != null) {
            CommunityDayKey key = EngagementStores.dayKey(community, from);
            CohortState old = stores.cohorts().get(key);
            if (old != null && SortedLists.remove(old.getMembers(), actor)) {
                stores.cohorts().put(key, old);
                dirty.mark(community, DirtyPeriods.Kind.COHORT, from);
            }
        }
        CommunityDayKey key = EngagementStores.dayKey(community, to);
        CohortState cohort = stores.cohorts().get(key);
        if (cohort == null) {
            cohort = new CohortState(new ArrayList<>());
        }
        SortedLists.add(cohort.getMembers(), actor);
        stores.cohorts().put(key, cohort);
        dirty.mark(community, DirtyPeriods.Kind.COHORT, to);
    }

    private void roleChanged(String community, CommunityState cs, String actor, ActivityEvent event, long at,
                             MemberResolver members) {
        if (actor == null) {
            return;
        }
        // A register names a role or a level (in attributes.role or attributes.level); either can be staff.
        List<String> lines = new ArrayList<>();
        String account = blankToNull(event.getAttributes().get(ACCOUNT));
        for (String attribute : STAFF_ATTRIBUTES) {
            String id = event.getAttributes().get(attribute);
            if (settings.isStaffRole(id)) {
                String normalised = id.trim().toLowerCase(Locale.ROOT);
                // One interval per account: revoking one account's manager must not end the other's.
                lines.add(account == null ? normalised : normalised + ACCOUNT_SEPARATOR + account.trim());
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        restructured.accept(community);
        MemberState ms = member(community, actor);
        for (String line : lines) {
            ms.getRoleChanges().add(new RoleChange(line, at, event.getType() == EventType.ROLE_GRANTED));
        }
        // Canonical order keeps the stored state independent of arrival order.
        ms.getRoleChanges().sort(Comparator.comparingLong(RoleChange::getAt)
                .thenComparing(RoleChange::getRole).thenComparing(RoleChange::getGranted));
        stores.members().put(EngagementStores.scoped(community, actor), ms);
        SortedLists.add(cs.getStaffMembers(), actor);
        dirty.mark(community, DirtyPeriods.Kind.MEMBER, actor);
        // Staff status colours every day this member (any of their identities) replied on or had an answer accepted.
        for (String linked : members.linkedTo(actor)) {
            MemberState of = linked.equals(actor) ? ms : stores.members().get(EngagementStores.scoped(community, linked));
            markDays(community, cs, daysOf(community, linked, of));
            dirty.mark(community, DirtyPeriods.Kind.MEMBER, linked);
        }
    }

    /** Every day of the identity's history, from the index and from its state (null: none). */
    private MemberDays.Days daysOf(String community, String identity, MemberState ms) {
        return ms == null ? memberDays.of(community, identity, List.of(), List.of())
                : memberDays.of(community, identity, ms.getDays(), ms.getAcceptedDays());
    }

    private void markDays(String community, CommunityState cs, MemberDays.Days days) {
        for (int d : days.contributed()) {
            dirty.mark(community, DirtyPeriods.Kind.DAILY, d);
            markTrailing(community, cs, d, d + WINDOW_DAYS - 1);
        }
        for (int d : days.accepted()) {
            dirty.mark(community, DirtyPeriods.Kind.DAILY, d);
        }
    }

    /**
     * A merge or split: the identities may count as another member now, so everything they contributed to is
     * recomputed from the (unchanged) per-identity state. An erasure: their state goes, they leave the day,
     * cohort and staff lists, and their level is withdrawn at the next emission.
     */
    void identityChanged(IdentityChange change) {
        String community = change.community();
        resolved.add(community);
        restructured.accept(community);
        CommunityState cs = stores.communities().get(community);
        if (cs == null) {
            return;
        }
        int staff = cs.getStaffMembers().size();
        for (String id : change.identities()) {
            dirty.mark(community, DirtyPeriods.Kind.MEMBER, id);
            String key = EngagementStores.scoped(community, id);
            MemberState ms = stores.members().get(key);
            MemberDays.Days days = daysOf(community, id, ms);
            if (ms == null && days.isEmpty()) {
                continue;
            }
            markDays(community, cs, days);
            if (ms != null && ms.getFirstContributionAt() != null) {
                dirty.mark(community, DirtyPeriods.Kind.COHORT, Days.mondayOf(Days.of(ms.getFirstContributionAt())));
            }
            if (change.erased()) {
                forget(community, cs, id, ms, days);
                if (ms != null) {
                    stores.members().delete(key);
                }
                memberDays.forget(community, id, days);
            }
        }
        if (staff != cs.getStaffMembers().size()) {
            stores.communities().put(community, cs);
        }
        if (change.erased()) {
            forgetInThreads(community, change);
        }
    }

    /**
     * Threads keep who started them and their first repliers (time to first response compares them). An erased
     * member becomes one placeholder per erasure there: their identities still count as one person (a reply of
     * the author's own is still no response), and no thread names them. A scan of the community's threads: an
     * erasure is rare, a thread entry small.
     */
    private void forgetInThreads(String community, IdentityChange change) {
        java.util.Set<String> erased = new java.util.HashSet<>(change.identities());
        String placeholder = "\u0000erased:" + (change.eventId() == null ? "" : change.eventId());
        String prefix = EngagementStores.communityPrefix(community);
        List<org.apache.kafka.streams.KeyValue<String, ThreadState>> changed = new ArrayList<>();
        try (var it = stores.threads().range(prefix, prefix + '\uffff')) {
            it.forEachRemaining(kv -> {
                ThreadState ts = kv.value;
                boolean touched = false;
                if (ts.getAuthor() != null && erased.contains(ts.getAuthor())) {
                    ts.setAuthor(placeholder);
                    touched = true;
                }
                for (var r : ts.getResponders()) {
                    if (erased.contains(r.getActorId())) {
                        r.setActorId(placeholder);
                        touched = true;
                    }
                }
                if (touched) {
                    changed.add(kv);
                }
            });
        }
        changed.forEach(kv -> stores.threads().put(kv.key, kv.value));
    }

    /** Removes an erased identity from the day, cohort and staff state (its thread ids stay: see docs/identity.md). */
    private void forget(String community, CommunityState cs, String id, MemberState ms, MemberDays.Days days) {
        for (int d : days.all()) {
            CommunityDayKey key = EngagementStores.dayKey(community, d);
            DailyEngagementState ds = stores.days().get(key);
            if (ds != null && (ds.getMembers().remove(id) != null | ds.getAcceptedAuthors().remove(id) != null)) {
                stores.days().put(key, ds);
            }
        }
        if (ms != null && ms.getFirstContributionAt() != null) {
            CommunityDayKey key = EngagementStores.dayKey(community, Days.mondayOf(Days.of(ms.getFirstContributionAt())));
            CohortState cohort = stores.cohorts().get(key);
            if (cohort != null && SortedLists.remove(cohort.getMembers(), id)) {
                stores.cohorts().put(key, cohort);
            }
        }
        SortedLists.remove(cs.getStaffMembers(), id);
    }

    private static String forgetErased(MemberResolver members, String identity) {
        return identity != null && members.erased(identity) ? null : identity;
    }

    /** Marks the trailing records of {@code [from, to]} that exist: between first active and latest day. */
    private void markTrailing(String community, CommunityState cs, int from, int to) {
        if (cs.getFirstActiveDay() == null || cs.getLatestDay() == null) {
            return;
        }
        dirty.markRange(community, DirtyPeriods.Kind.TRAILING, Math.max(from, cs.getFirstActiveDay()),
                Math.min(to, cs.getLatestDay()));
    }

    private ThreadState thread(String community, String thread) {
        ThreadState ts = stores.threads().get(EngagementStores.scoped(community, thread));
        return ts == null ? ThreadResponses.empty() : ts;
    }

    private MemberState member(String community, String member) {
        MemberState ms = stores.members().get(EngagementStores.scoped(community, member));
        return ms == null ? EngagementStores.emptyMember() : ms;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
