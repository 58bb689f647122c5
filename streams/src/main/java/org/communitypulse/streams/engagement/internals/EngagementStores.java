package org.communitypulse.streams.engagement.internals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.CohortState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.MemberState;
import org.communitypulse.schemas.avro.ThreadState;

/**
 * The engagement state of one task: its seven stores and how their keys are formed. Member and
 * thread keys are {@code community NUL id} strings so that one community's entries are a prefix
 * range (member levels are re-evaluated community by community).
 *
 * @param days        community-day counts and active members
 * @param threads     per-thread start and earliest responders
 * @param members     per-member summary: recent and first-weeks days, role changes and last emitted level
 * @param communities extent in time and dirty periods, one entry per community
 * @param cohorts     members of each weekly first-contribution cohort
 * @param dirty       periods waiting to be emitted ({@link DirtyPeriods})
 * @param memberDays  every day each member was active on ({@link MemberDays})
 */
record EngagementStores(KeyValueStore<CommunityDayKey, DailyEngagementState> days,
                        KeyValueStore<String, ThreadState> threads,
                        KeyValueStore<String, MemberState> members,
                        KeyValueStore<String, CommunityState> communities,
                        KeyValueStore<CommunityDayKey, CohortState> cohorts,
                        KeyValueStore<String, byte[]> dirty,
                        KeyValueStore<String, byte[]> memberDays) {

    /** Store names, in the order of the record components. */
    record Names(String days, String threads, String members, String communities, String cohorts, String dirty,
                 String memberDays) {

        EngagementStores open(ProcessingContext context) {
            return new EngagementStores(context.getStateStore(days), context.getStateStore(threads),
                    context.getStateStore(members), context.getStateStore(communities), context.getStateStore(cohorts),
                    context.getStateStore(dirty), context.getStateStore(memberDays));
        }
    }

    private static final char SEPARATOR = '\u0000';

    static String scoped(String communityId, String id) {
        return communityId + SEPARATOR + id;
    }

    static String communityPrefix(String communityId) {
        return communityId + SEPARATOR;
    }

    static String unscoped(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    static CommunityDayKey dayKey(String communityId, int epochDay) {
        return new CommunityDayKey(communityId, LocalDate.ofEpochDay(epochDay));
    }

    static DailyEngagementState emptyDay() {
        return new DailyEngagementState(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, new HashMap<>(), new HashMap<>(),
                new ArrayList<>());
    }

    static MemberState emptyMember() {
        return new MemberState(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), null, null, 0L,
                new ArrayList<>(), null);
    }

    static CommunityState emptyCommunity() {
        return new CommunityState(null, null, null, new ArrayList<>(), null, new HashMap<>(), new HashMap<>(),
                new HashMap<>(), new HashMap<>(), null);
    }

    /** Whether the community's clock moved since member levels were last evaluated. */
    static boolean levelsPending(CommunityState state) {
        return state.getLatestDay() != null && !state.getLatestDay().equals(state.getLevelsAsOf());
    }
}
