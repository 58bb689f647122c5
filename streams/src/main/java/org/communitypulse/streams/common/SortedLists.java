package org.communitypulse.streams.common;

import java.util.Collections;
import java.util.List;

/**
 * Sorted, duplicate-free lists inside Avro state records. Sorted so that lookups are binary
 * searches and the serialised state is canonical (the same set always gives the same bytes).
 */
public final class SortedLists {

    private SortedLists() {
    }

    /** Inserts {@code value} if absent; returns the index where it is. */
    public static <T extends Comparable<? super T>> int add(List<T> list, T value) {
        int at = Collections.binarySearch(list, value);
        if (at < 0) {
            at = -at - 1;
            list.add(at, value);
        }
        return at;
    }

    public static <T extends Comparable<? super T>> boolean remove(List<T> list, T value) {
        int at = Collections.binarySearch(list, value);
        if (at < 0) {
            return false;
        }
        list.remove(at);
        return true;
    }

    public static <T extends Comparable<? super T>> boolean contains(List<T> list, T value) {
        return Collections.binarySearch(list, value) >= 0;
    }

    /** Adds every day of {@code [from, to]} (nothing when {@code to < from}). */
    public static void addRange(List<Integer> days, int from, int to) {
        for (int d = from; d <= to; d++) {
            add(days, d);
        }
    }

    /** Whether any element lies in {@code [from, to)}. */
    public static boolean anyIn(List<Integer> sorted, int from, int to) {
        int first = lowerBound(sorted, from);
        return first < sorted.size() && sorted.get(first) < to;
    }

    /** The index of the first element not below {@code value} ({@code size()} when there is none). */
    public static int lowerBound(List<Integer> sorted, int value) {
        int at = Collections.binarySearch(sorted, value);
        return at >= 0 ? at : -at - 1;
    }
}
