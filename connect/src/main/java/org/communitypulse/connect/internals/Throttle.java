package org.communitypulse.connect.internals;

import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} events per second on average since the start; 0 means no limit. Simple on purpose:
 * a backfill should keep a steady pace, and bursts after an idle spell are bounded by the batch size.
 */
public final class Throttle {

    private final int perSecond;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long granted;

    public Throttle(int perSecond, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** How many events may go now, at most {@code wanted}. */
    public int allowance(int wanted) {
        if (perSecond <= 0) {
            return wanted;
        }
        long due = (nanoClock.getAsLong() - startNanos) * perSecond / 1_000_000_000L + 1;
        return (int) Math.max(0, Math.min(wanted, due - granted));
    }

    /** {@code n} events went. */
    public void used(int n) {
        granted += n;
    }
}
