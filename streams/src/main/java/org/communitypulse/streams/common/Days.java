package org.communitypulse.streams.common;

/** UTC epoch-day arithmetic: every engagement period is a day, a week or a run of days. */
public final class Days {

    public static final long MILLIS_PER_DAY = 86_400_000L;
    /** 1970-01-01 was a Thursday: adding 3 makes Monday the start of each 7-day block. */
    private static final int MONDAY_OFFSET = 3;

    private Days() {
    }

    public static int of(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    }

    public static long startMillis(int epochDay) {
        return epochDay * MILLIS_PER_DAY;
    }

    /** The Monday of the ISO week containing {@code epochDay}. */
    public static int mondayOf(int epochDay) {
        return epochDay - Math.floorMod(epochDay + MONDAY_OFFSET, 7);
    }
}
