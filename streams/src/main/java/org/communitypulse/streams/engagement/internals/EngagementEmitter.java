package org.communitypulse.streams.engagement.internals;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CohortState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.EngagementLevel;
import org.communitypulse.schemas.avro.MemberDay;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.Days;
import org.communitypulse.streams.common.Fnv64;
import org.communitypulse.streams.common.SortedLists;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.identity.IdentityView;
import org.communitypulse.streams.identity.MemberResolver;

/**
 * Recomputes the records of every dirty period from the state and hands them to an {@link Output};
 * run by a wall-clock punctuator. Recomputing from state (rather than patching the last record)
 * is what makes a late event, a shuffled replay and an in-order one end with the same records.
 */
final class EngagementEmitter {

    /** Where recomputed records go; a null retention value removes a cohort that became empty. */
    interface Output extends AlertEvaluator.Output {
        void daily(CommunityDayKey key, DailyEngagement value);

        void trailing(CommunityDayKey key, TrailingEngagement value);

        void retention(CommunityDayKey key, CohortRetention value);

        void member(MemberKey key, MemberEngagement value);
    }

    private static final int WEEK_DAYS = 7;
    private static final int WINDOW_DAYS = EngagementFolder.WINDOW_DAYS;
    /** Beyond this jump of a community's clock, re-evaluating every member is cheaper than reading the days. */
    private static final int MAX_LEVEL_CATCH_UP_DAYS = 365;
    private static final long SECONDS_24H = 86_400;
    private static final long SECONDS_7D = 7 * SECONDS_24H;

    private final EngagementStores stores;
    private final DirtyPeriods dirty;
    private final EngagementSettings settings;
    private final AlertSettings alertSettings;
    private final AlertEvaluator alerts;
    private final Clock clock;
    /** Identity resolution, or null: without it every platform identity is a member. */
    private final IdentityView identities;
    /** Kept across emissions; rebuilt from the stores after a restart, as the emitter is. */
    private final FirstResponses responses = new FirstResponses();
    /** Kept across emissions, as {@link #responses} are. */
    private final TrailingRecords trailingRecords = new TrailingRecords();

    EngagementEmitter(EngagementStores stores, DirtyPeriods dirty, EngagementSettings settings,
                      AlertSettings alertSettings, RuntimeHooks hooks) {
        this(stores, dirty, settings, alertSettings, hooks, null);
    }

    EngagementEmitter(EngagementStores stores, DirtyPeriods dirty, EngagementSettings settings,
                      AlertSettings alertSettings, RuntimeHooks hooks, IdentityView identities) {
        this(stores, dirty, settings, alertSettings, hooks, identities, null);
    }

    /** With {@code alertHistory} (or null): the alert snapshots that let late events re-judge days already judged. */
    EngagementEmitter(EngagementStores stores, DirtyPeriods dirty, EngagementSettings settings,
                      AlertSettings alertSettings, RuntimeHooks hooks, IdentityView identities,
                      org.apache.kafka.streams.state.KeyValueStore<String,
                              org.communitypulse.schemas.avro.AlertSnapshot> alertHistory) {
        this.identities = identities;
        this.stores = stores;
        this.dirty = dirty;
        this.settings = settings;
        this.alertSettings = alertSettings;
        this.alerts = new AlertEvaluator(alertSettings, hooks.gate(), alertHistory);
        this.clock = hooks.clock();
    }

    /**
     * Emits the dirty periods of every community of this task and clears them, then evaluates the
     * alerts of every day the task's clock has completed.
     *
     * @param wallClockMillis the punctuation's wall-clock time, which also drives the alert clock when
     *                        {@link AlertSettings#wallClock()} is set
     */
    void emitAll(Output out, long wallClockMillis) {
        Map<String, DirtyPeriods.Pending> pending = dirty.drain();
        List<KeyValue<String, CommunityState>> communities = new ArrayList<>();
        int clockDay = alertSettings.wallClock() ? Days.of(wallClockMillis) : Integer.MIN_VALUE;
        try (KeyValueIterator<String, CommunityState> it = stores.communities().all()) {
            while (it.hasNext()) {
                KeyValue<String, CommunityState> kv = it.next();
                communities.add(kv);
                if (kv.value.getLatestDay() != null) {
                    // Event time of the whole task: a silent community's clock moves with its neighbours'.
                    clockDay = Math.max(clockDay, kv.value.getLatestDay());
                }
            }
        }
        for (KeyValue<String, CommunityState> kv : communities) {
            CommunityState cs = kv.value;
            DirtyPeriods.Pending marks = pending.get(kv.key);
            if (marks != null) {
                // A day is marked whenever one of its threads starts, moves or gets its first response.
                marks.daily.forEach(day -> responses.invalidate(kv.key, day));
            }
            CommunityView view = new CommunityView(stores, kv.key, cs, MemberResolver.of(identities, kv.key),
                    responses);
            boolean changed = false;
            if (marks != null || EngagementStores.levelsPending(cs)) {
                emit(view, marks == null ? new DirtyPeriods.Pending() : marks, out);
                cs.setLevelsAsOf(cs.getLatestDay());
                changed = true;
            }
            Integer evaluated = cs.getAlertsEvaluatedThrough();
            Integer rejudge = cs.getAlertsRejudgeFrom();
            // Only completed days are judged: today may still bring the thread that ends a silence.
            alerts.evaluateThrough(view, clockDay - 1, out);
            changed |= !java.util.Objects.equals(evaluated, cs.getAlertsEvaluatedThrough())
                    || !java.util.Objects.equals(rejudge, cs.getAlertsRejudgeFrom());
            if (changed) {
                stores.communities().put(kv.key, cs);
            }
        }
    }

    private void emit(CommunityView view, DirtyPeriods.Pending marks, Output out) {
        for (int day : marks.daily) {
            DailyEngagementState ds = stores.days().get(EngagementStores.dayKey(view.community, day));
            if (ds != null) {
                out.daily(EngagementStores.dayKey(view.community, day), daily(view, day, ds));
            }
        }
        trailing(view, new ArrayList<>(marks.trailing), out);
        for (int monday : marks.cohorts) {
            retention(view, monday, out);
        }
        members(view, marks.members, out);
    }

    private DailyEngagement daily(CommunityView view, int day, DailyEngagementState ds) {
        long staffAccepted = 0;
        for (Map.Entry<String, Integer> e : ds.getAcceptedAuthors().entrySet()) {
            if (view.isStaff(e.getKey(), day)) {
                staffAccepted += e.getValue();
            }
        }
        long peerReplies = view.peerReplies(day);
        long peerAccepted = ds.getAcceptedAnswers() - staffAccepted;
        long[] seconds = view.responseSeconds(day);
        long within24h = Arrays.stream(seconds).filter(s -> s <= SECONDS_24H).count();
        long within7d = Arrays.stream(seconds).filter(s -> s <= SECONDS_7D).count();
        return DailyEngagement.newBuilder()
                .setCommunityId(view.community)
                .setDay(java.time.LocalDate.ofEpochDay(day))
                .setThreads(ds.getThreads())
                .setReplies(ds.getReplies())
                .setAnswers(ds.getAnswers())
                .setComments(ds.getComments())
                .setOtherReplies(ds.getOtherReplies())
                .setReactions(ds.getReactions())
                .setAcceptedAnswers(ds.getAcceptedAnswers())
                .setNewMembers(ds.getNewMembers())
                .setActiveMembers(view.activeMembers(day))
                .setEvents(ds.getEvents())
                .setPeerReplies(peerReplies)
                .setPeerReplyShare(ratio(peerReplies, ds.getReplies()))
                .setPeerAcceptedAnswers(peerAccepted)
                .setPeerAcceptedShare(ratio(peerAccepted, ds.getAcceptedAnswers()))
                .setThreadsResponded(seconds.length)
                .setThreadsUnanswered(ds.getThreads() - seconds.length)
                .setFirstResponseP50Seconds(nearestRank(seconds, 50))
                .setFirstResponseP90Seconds(nearestRank(seconds, 90))
                .setRespondedWithin24hShare(ratio(within24h, ds.getThreads()))
                .setRespondedWithin7dShare(ratio(within7d, ds.getThreads()))
                .setUpdatedAt(clock.instant())
                .build();
    }

    private void trailing(CommunityView view, List<Integer> dirty, Output out) {
        Integer first = view.cs.getFirstActiveDay();
        Integer latest = view.cs.getLatestDay();
        if (first == null || latest == null) {
            return;
        }
        int i = 0;
        while (i < dirty.size()) {
            // Runs of consecutive days slide one window instead of rebuilding it for each day.
            int from = dirty.get(i);
            int to = from;
            while (i + 1 < dirty.size() && dirty.get(i + 1) == to + 1) {
                i++;
                to++;
            }
            i++;
            from = Math.max(from, first);
            to = Math.min(to, latest);
            TrailingWindow window = null;
            for (int end = from; end <= to; end++) {
                CommunityDayKey key = EngagementStores.dayKey(view.community, end);
                TrailingEngagement kept = trailingRecords.reusable(view, end);
                if (kept != null) {
                    // Same window as when it was computed: only the open threads and the time are new.
                    out.trailing(key, TrailingEngagement.newBuilder(kept).setOpenThreads(view.openThreads(end))
                            .setUpdatedAt(clock.instant()).build());
                    continue;
                }
                // A window a few days behind slides forward; one further back, or none, is built anew.
                if (window == null || end - window.end > WEEK_DAYS) {
                    window = new TrailingWindow(view, end);
                } else {
                    while (window.end < end) {
                        window.advance();
                    }
                }
                TrailingEngagement record = window.record();
                trailingRecords.keep(view, end, record);
                out.trailing(key, record);
            }
        }
    }

    /** A role or identity change in {@code community}: its trailing records are computed afresh. */
    void restructured(String community) {
        trailingRecords.restructured(community);
    }

    /** The 7- and 28-day windows ending on one day, moved forward a day at a time. */
    private final class TrailingWindow {
        private final CommunityView view;
        private final Map<String, Integer> contributions28 = new HashMap<>();
        private final Map<String, Integer> contributions7 = new HashMap<>();
        /** The counts of {@link #contributions28}, for the top shares. */
        private final CountHistogram counts28 = new CountHistogram();
        private final long[] sums28 = new long[Sum.values().length];
        private final long[] sums7 = new long[Sum.values().length];
        private int end;

        TrailingWindow(CommunityView view, int end) {
            this.view = view;
            this.end = end;
            for (int d = end - WINDOW_DAYS + 1; d <= end; d++) {
                apply(d, contributions28, counts28, sums28, 1);
                if (d > end - WEEK_DAYS) {
                    apply(d, contributions7, null, sums7, 1);
                }
            }
        }

        /** Moves both windows one day forward. */
        void advance() {
            end++;
            apply(end, contributions28, counts28, sums28, 1);
            apply(end, contributions7, null, sums7, 1);
            apply(end - WINDOW_DAYS, contributions28, counts28, sums28, -1);
            apply(end - WEEK_DAYS, contributions7, null, sums7, -1);
        }

        /** Adds ({@code sign} 1) or removes (-1) one day; {@code histogram}, when not null, follows the counts. */
        private void apply(int day, Map<String, Integer> members, CountHistogram histogram, long[] sums, int sign) {
            DailyEngagementState ds = view.day(day);
            for (Map.Entry<String, MemberDay> e : ds.getMembers().entrySet()) {
                int c = e.getValue().getContributions() * sign;
                Integer now = members.merge(view.members.memberOf(e.getKey()), c, (a, b) -> a + b == 0 ? null : a + b);
                if (histogram != null) {
                    int after = now == null ? 0 : now;
                    histogram.move(after - c, after);
                }
                sums[Sum.CONTRIBUTIONS.ordinal()] += c;
            }
            sums[Sum.THREADS.ordinal()] += sign * ds.getThreads();
            sums[Sum.REPLIES.ordinal()] += sign * ds.getReplies();
            sums[Sum.PEER_REPLIES.ordinal()] += sign * view.peerReplies(day);
            sums[Sum.DAU.ordinal()] += sign * view.activeMembers(day);
        }

        private TrailingEngagement record() {
            long mau = contributions28.size();
            long contributions = sums28[Sum.CONTRIBUTIONS.ordinal()];
            long replies = sums28[Sum.REPLIES.ordinal()];
            return TrailingEngagement.newBuilder()
                    .setCommunityId(view.community)
                    .setDay(java.time.LocalDate.ofEpochDay(end))
                    .setDau(view.activeMembers(end))
                    .setWau(contributions7.size())
                    .setMau(mau)
                    .setStickiness(mau == 0 ? null : sums28[Sum.DAU.ordinal()] / (double) WINDOW_DAYS / mau)
                    .setThreads7d(sums7[Sum.THREADS.ordinal()])
                    .setReplies7d(sums7[Sum.REPLIES.ordinal()])
                    .setThreads28d(sums28[Sum.THREADS.ordinal()])
                    .setReplies28d(replies)
                    .setContributions28d(contributions)
                    .setTop1PercentShare(topShare(1, contributions))
                    .setTop10PercentShare(topShare(10, contributions))
                    .setPeerReplyShare28d(ratio(sums28[Sum.PEER_REPLIES.ordinal()], replies))
                    .setOpenThreads(view.openThreads(end))
                    .setUpdatedAt(clock.instant())
                    .build();
        }

        private Double topShare(int percent, long total) {
            int n = contributions28.size();
            if (n == 0 || total == 0) {
                return null;
            }
            return counts28.topSum(ceilPercent(percent, n)) / (double) total;
        }
    }

    private enum Sum { THREADS, REPLIES, CONTRIBUTIONS, PEER_REPLIES, DAU }

    private void retention(CommunityView view, int monday, Output out) {
        CommunityDayKey key = EngagementStores.dayKey(view.community, monday);
        CohortState cohort = stores.cohorts().get(key);
        if (cohort == null) {
            return;
        }
        if (cohort.getMembers().isEmpty()) {
            // Everyone moved to an earlier cohort (late events): the cohort never existed.
            stores.cohorts().delete(key);
            out.retention(key, null);
            return;
        }
        long retained = 0;
        long size = 0;
        if (!view.members.active() && view.cs.getLatestDay() < monday + EngagementFolder.FOLLOW_UP_FROM) {
            // The live case: this week's cohort, re-emitted as it grows. With no identity links every listed
            // identity is a member whose first week this is (the fold moves it when that changes), and no day
            // of the follow-up exists yet, so no one is retained: no member state needs reading.
            size = cohort.getMembers().size();
        } else {
            long[] counts = countCohort(view, monday, cohort);
            size = counts[0];
            retained = counts[1];
        }
        if (size == 0) {
            // Every identity listed belongs to a member of an earlier cohort (merged): no cohort this week,
            // until a split brings it back. The state stays.
            out.retention(key, null);
            return;
        }
        out.retention(key, CohortRetention.newBuilder()
                .setCommunityId(view.community)
                .setCohortWeek(java.time.LocalDate.ofEpochDay(monday))
                .setCohortSize(size)
                .setRetained(retained)
                .setRetainedShare(ratio(retained, size))
                .setComplete(view.cs.getLatestDay() >= monday + EngagementFolder.FOLLOW_UP_TO - 1)
                .setUpdatedAt(clock.instant())
                .build());
    }

    /** The cohort's size and retained members, from the member states: {size, retained}. */
    private long[] countCohort(CommunityView view, int monday, CohortState cohort) {
        long retained = 0;
        long size = 0;
        java.util.Set<String> counted = new java.util.HashSet<>();
        for (String identity : cohort.getMembers()) {
            // The cohort lists identities by their own first week; a member belongs to the earliest of its
            // identities' weeks and is counted once there.
            String member = view.members.memberOf(identity);
            if (!counted.add(member)) {
                continue;
            }
            List<MemberState> states = statesOf(view, member);
            Long first = combined(states).getFirstContributionAt();
            if (first == null || Days.mondayOf(Days.of(first)) != monday) {
                continue;
            }
            size++;
            for (MemberState ms : states) {
                if (SortedLists.anyIn(ms.getDays(), monday + EngagementFolder.FOLLOW_UP_FROM,
                        monday + EngagementFolder.FOLLOW_UP_TO)) {
                    retained++;
                    break;
                }
            }
        }
        return new long[] {size, retained};
    }

    private void members(CommunityView view, java.util.Collection<String> dirtyMembers, Output out) {
        Integer asOf = view.cs.getLatestDay();
        if (asOf == null) {
            return;
        }
        Integer previous = view.cs.getLevelsAsOf();
        java.util.Set<String> names = new java.util.TreeSet<>(dirtyMembers);
        if (previous == null || asOf - previous > MAX_LEVEL_CATCH_UP_DAYS) {
            // First evaluation, or a long jump: every member, once.
            try (KeyValueIterator<String, MemberState> it = stores.members()
                    .prefixScan(EngagementStores.communityPrefix(view.community), new StringSerializer())) {
                it.forEachRemaining(kv -> names.add(EngagementStores.unscoped(kv.key)));
            }
        } else if (!asOf.equals(previous)) {
            // The clock moved from `previous` to `asOf`. A member's level changes only through the days that
            // left its 28-day window (contributions dropping out, a newcomer's first day ageing out), the days
            // that entered it (their contributors are marked dirty by the fold anyway; read again as a
            // safety net) and the staff whose role may end. Reading every day of the window instead made
            // each clock tick re-evaluate every member active in the last four weeks.
            int leftTo = Math.min(asOf - WINDOW_DAYS, previous);
            for (int d = previous - WINDOW_DAYS; d <= leftTo; d++) {
                names.addAll(view.day(d).getMembers().keySet());
            }
            for (int d = Math.max(previous + 1, leftTo + 1); d <= asOf; d++) {
                names.addAll(view.day(d).getMembers().keySet());
            }
            names.addAll(view.cs.getStaffMembers());
        }
        // Names are platform identities; levels are per member, keyed by the member id.
        java.util.Set<String> members = new java.util.TreeSet<>();
        for (String identity : names) {
            if (view.members.erased(identity)) {
                out.member(new MemberKey(view.community, identity), null);
            } else {
                members.add(view.members.memberOf(identity));
            }
        }
        for (String member : members) {
            List<String> ids = view.members.identitiesOf(member);
            for (String id : ids) {
                // An identity merged into another member has no level of its own any more.
                String key = EngagementStores.scoped(view.community, id);
                MemberState ms = id.equals(member) ? null : stores.members().get(key);
                if (ms != null && ms.getEmittedFingerprint() != null) {
                    out.member(new MemberKey(view.community, id), null);
                    ms.setEmittedFingerprint(null);
                    stores.members().put(key, ms);
                }
            }
            String key = EngagementStores.scoped(view.community, member);
            MemberState own = stores.members().get(key);
            MemberState combined = combined(statesOf(view, member, own));
            if (combined.getFirstContributionAt() == null) {
                if (own != null && own.getEmittedFingerprint() != null) {
                    // It had a level only through identities a split has taken away.
                    out.member(new MemberKey(view.community, member), null);
                    own.setEmittedFingerprint(null);
                    stores.members().put(key, own);
                }
                continue;
            }
            MemberEngagement level = level(view, member, combined, asOf);
            long fingerprint = fingerprint(level);
            if (own == null || !Objects.equals(own.getEmittedFingerprint(), fingerprint)) {
                out.member(new MemberKey(view.community, member), level);
                MemberState keep = own == null ? EngagementStores.emptyMember() : own;
                keep.setEmittedFingerprint(fingerprint);
                stores.members().put(key, keep);
            }
        }
    }

    /** The states of a member's identities that have any. */
    private List<MemberState> statesOf(CommunityView view, String member) {
        return statesOf(view, member, stores.members().get(EngagementStores.scoped(view.community, member)));
    }

    /** As above, given the state of the identity that is the member's id, already read. */
    private List<MemberState> statesOf(CommunityView view, String member, MemberState own) {
        List<MemberState> states = new ArrayList<>();
        for (String id : view.members.identitiesOf(member)) {
            MemberState ms = id.equals(member) ? own : stores.members().get(EngagementStores.scoped(view.community, id));
            if (ms != null) {
                states.add(ms);
            }
        }
        return states;
    }

    /** One member's state from its identities': days and contributions added up, extremes of the times. */
    static MemberState combined(List<MemberState> states) {
        if (states.isEmpty()) {
            return EngagementStores.emptyMember();
        }
        if (states.size() == 1) {
            return states.get(0);
        }
        java.util.TreeMap<Integer, Integer> days = new java.util.TreeMap<>();
        MemberState c = EngagementStores.emptyMember();
        for (MemberState ms : states) {
            for (int j = 0; j < ms.getDays().size(); j++) {
                days.merge(ms.getDays().get(j), ms.getDayContributions().get(j), Integer::sum);
            }
            c.setContributionsTotal(c.getContributionsTotal() + ms.getContributionsTotal());
            if (ms.getFirstContributionAt() != null && (c.getFirstContributionAt() == null
                    || ms.getFirstContributionAt() < c.getFirstContributionAt())) {
                c.setFirstContributionAt(ms.getFirstContributionAt());
            }
            if (ms.getLastContributionAt() != null && (c.getLastContributionAt() == null
                    || ms.getLastContributionAt() > c.getLastContributionAt())) {
                c.setLastContributionAt(ms.getLastContributionAt());
            }
        }
        c.getDays().addAll(days.keySet());
        c.getDayContributions().addAll(days.values());
        return c;
    }

    private MemberEngagement level(CommunityView view, String member, MemberState ms, int asOf) {
        int from = asOf - WINDOW_DAYS + 1;
        long recent = 0;
        List<Integer> days = ms.getDays();
        for (int j = 0; j < days.size(); j++) {
            if (days.get(j) >= from && days.get(j) <= asOf) {
                recent += ms.getDayContributions().get(j);
            }
        }
        EngagementLevel level;
        if (recent >= settings.championMin()) {
            level = EngagementLevel.CHAMPION;
        } else if (recent >= settings.contributorMin()) {
            level = EngagementLevel.CONTRIBUTOR;
        } else if (Days.of(ms.getFirstContributionAt()) >= from) {
            level = EngagementLevel.NEWCOMER;
        } else if (recent >= 1) {
            level = EngagementLevel.PARTICIPANT;
        } else {
            level = EngagementLevel.INACTIVE;
        }
        return MemberEngagement.newBuilder()
                .setCommunityId(view.community)
                .setMemberId(member)
                .setLevel(level)
                .setContributions28d(recent)
                .setContributionsTotal(ms.getContributionsTotal())
                .setFirstContributionAt(java.time.Instant.ofEpochMilli(ms.getFirstContributionAt()))
                .setLastContributionAt(java.time.Instant.ofEpochMilli(ms.getLastContributionAt()))
                .setStaff(view.isStaff(member, asOf))
                .build();
    }

    /**
     * 64-bit FNV-1a over the record's fields (not its JSON form: building that string for every member
     * the clock touched was 7% of the stream thread): a changed level is re-emitted, an unchanged one
     * is not. Every field of the record is hashed.
     */
    static long fingerprint(MemberEngagement level) {
        long h = Fnv64.mix(Fnv64.OFFSET, level.getCommunityId());
        h = Fnv64.mix(h, level.getMemberId());
        h = Fnv64.mix(h, level.getLevel().ordinal());
        h = Fnv64.mix(h, level.getContributions28d());
        h = Fnv64.mix(h, level.getContributionsTotal());
        h = Fnv64.mix(h, level.getFirstContributionAt().toEpochMilli());
        h = Fnv64.mix(h, level.getLastContributionAt().toEpochMilli());
        return Fnv64.mix(h, level.getStaff() ? 1 : 0);
    }

    /** {@code ceil(percent/100 · n)} in integers, so no rounding error can move a rank. */
    static int ceilPercent(int percent, int n) {
        return (percent * n + 99) / 100;
    }

    /** Nearest-rank percentile of ascending values; null when there are none. */
    static Long nearestRank(long[] ascending, int percent) {
        if (ascending.length == 0) {
            return null;
        }
        return ascending[Math.max(1, ceilPercent(percent, ascending.length)) - 1];
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : part / (double) whole;
    }
}
