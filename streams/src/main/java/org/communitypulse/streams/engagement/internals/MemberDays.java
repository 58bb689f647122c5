package org.communitypulse.streams.engagement.internals;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The insert-only index of the days a member (a platform identity) was active on in a community: one small key
 * per member, day and kind, written once, when the member first appears in that day's state. The member's own
 * state keeps only the days its level and retention read ({@link EngagementFolder#keepReadDays}); the rare changes that reach
 * back over a member's whole history (a staff role, a merge or split, an erasure) read the days here.
 *
 * <p>Keys are {@code community NUL member NUL day kind}, the day in fixed-width decimal, so one member's days are
 * one prefix range in day order; values are empty.
 */
final class MemberDays {

    /** Why a member is on a day: a thread or reply of theirs, or an answer of theirs accepted. */
    enum Kind {
        CONTRIBUTED('c'), ACCEPTED('a');

        private final char code;

        Kind(char code) {
            this.code = code;
        }
    }

    /** A member's days by kind, ascending. */
    record Days(SortedSet<Integer> contributed, SortedSet<Integer> accepted) {

        SortedSet<Integer> all() {
            SortedSet<Integer> all = new TreeSet<>(contributed);
            all.addAll(accepted);
            return all;
        }

        boolean isEmpty() {
            return contributed.isEmpty() && accepted.isEmpty();
        }
    }

    private static final char SEPARATOR = '\u0000';
    /** Epoch days of the years 2000 (the intake's earliest) to 4707 fit in six digits. */
    private static final int DAY_DIGITS = 6;
    private static final byte[] PRESENT = new byte[0];

    private final KeyValueStore<String, byte[]> store;

    MemberDays(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    void add(String community, String member, int day, Kind kind) {
        store.put(key(community, member, day, kind), PRESENT);
    }

    /** The member's days, with those a state written before this index kept ({@code legacy*}) added. */
    Days of(String community, String member, List<Integer> legacyContributed, List<Integer> legacyAccepted) {
        SortedSet<Integer> contributed = new TreeSet<>(legacyContributed);
        SortedSet<Integer> accepted = new TreeSet<>(legacyAccepted);
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix(community, member), new StringSerializer())) {
            it.forEachRemaining(kv -> {
                int end = kv.key.length() - 1;
                int day = Integer.parseInt(kv.key, end - DAY_DIGITS, end, 10);
                (kv.key.charAt(end) == Kind.ACCEPTED.code ? accepted : contributed).add(day);
            });
        }
        return new Days(contributed, accepted);
    }

    /** Deletes the member's {@code days}, as {@link #of} read them (an erasure): no second scan of the index. */
    void forget(String community, String member, Days days) {
        days.contributed().forEach(day -> store.delete(key(community, member, day, Kind.CONTRIBUTED)));
        days.accepted().forEach(day -> store.delete(key(community, member, day, Kind.ACCEPTED)));
    }

    static String key(String community, String member, int day, Kind kind) {
        String digits = Integer.toString(day);
        StringBuilder b = new StringBuilder(community.length() + member.length() + DAY_DIGITS + 3)
                .append(prefix(community, member));
        for (int pad = digits.length(); pad < DAY_DIGITS; pad++) {
            b.append('0');
        }
        return b.append(digits).append(kind.code).toString();
    }

    private static String prefix(String community, String member) {
        return community + SEPARATOR + member + SEPARATOR;
    }
}
