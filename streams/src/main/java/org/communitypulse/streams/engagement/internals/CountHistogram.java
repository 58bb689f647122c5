package org.communitypulse.streams.engagement.internals;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many members have each contribution count in a window (a count-of-counts histogram), kept as the
 * window's member counts change: the sum of the k largest counts, and with it the top 1% and 10% shares,
 * is read in time proportional to the largest count instead of sorting every member's count per record.
 * Exact: it holds the same multiset of counts the members' map does.
 */
final class CountHistogram {

    /** Counts below this are kept in an array; the rare larger ones (a very busy member) in a sorted map. */
    private static final int DENSE = 1_024;

    private final int[] dense = new int[DENSE];
    private final TreeMap<Integer, Integer> sparse = new TreeMap<>();
    /** No count at or above this has a member in {@link #dense}. */
    private int denseBound;

    /** A member's count moved from {@code from} to {@code to}; 0 means absent from the window. */
    void move(int from, int to) {
        if (from < 0 || to < 0) {
            throw new IllegalStateException("negative contribution count in a window: " + from + " -> " + to);
        }
        if (from == to) {
            return;
        }
        if (from > 0) {
            add(from, -1);
        }
        if (to > 0) {
            add(to, 1);
        }
    }

    /** The sum of the {@code k} largest counts. */
    long topSum(int k) {
        long sum = 0;
        int left = k;
        for (Map.Entry<Integer, Integer> e : sparse.descendingMap().entrySet()) {
            int take = Math.min(left, e.getValue());
            sum += (long) take * e.getKey();
            left -= take;
            if (left == 0) {
                return sum;
            }
        }
        while (denseBound > 1 && dense[denseBound - 1] == 0) {
            denseBound--;
        }
        for (int c = denseBound - 1; c > 0 && left > 0; c--) {
            int take = Math.min(left, dense[c]);
            sum += (long) take * c;
            left -= take;
        }
        return sum;
    }

    private void add(int count, int members) {
        if (count < DENSE) {
            dense[count] += members;
            denseBound = Math.max(denseBound, count + 1);
        } else {
            sparse.merge(count, members, (a, b) -> a + b == 0 ? null : a + b);
        }
    }
}
