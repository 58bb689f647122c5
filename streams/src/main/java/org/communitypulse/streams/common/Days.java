package org.communitypulse.streams.internals;

/** UTC epoch-day arithmetic: every engagement period is a day, a week or a run of days. */
final class Days {

    static final long MILLIS_PER_DAY = 86_400_000L;
    /** 1970-01-01 was a Thursday: adding 3 makes Monday the start of each 7-day block. */
    private static final int MONDAY_OFFSET = 3;

    private Days() {
    }

    static int of(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    }

    static long startMillis(int epochDay) {
        return epochDay * MILLIS_PER_DAY;
    }

    /** The Monday of the ISO week containing {@code epochDay}. */
    static int mondayOf(int epochDay) {
        return epochDay - Math.floorMod(epochDay + MONDAY_OFFSET, 7);
    }
}
