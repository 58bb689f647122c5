package org.communitypulse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latencies bucketed on fixed edges, and nearest-rank percentiles, for the benchmark's live latency runs.
 *
 * <p>The edges are fixed rather than derived from the data so that runs at different rates and settings,
 * and runs on different days, can be laid over each other bucket by bucket. They are roughly log-spaced
 * from 25 ms to 60 s, denser around the 1 s target (p99 under 1 s at 5k events/s). A bucket holds the
 * latencies above the previous edge up to and including its own ({@code upToMs}); the first starts at 0,
 * and a last overflow bucket ({@code upToMs} null) holds everything above 60 s.
 */
public final class LatencyHistogram {

    /** Upper bucket edges in milliseconds, inclusive; one more bucket follows for everything above the last. */
    public static final List<Long> EDGES_MS = List.of(25L, 50L, 100L, 200L, 300L, 500L, 750L, 1_000L, 1_500L,
            2_000L, 3_000L, 5_000L, 10_000L, 20_000L, 30_000L, 60_000L);

    private static final long NANOS_PER_MS = 1_000_000L;

    private LatencyHistogram() {
    }

    /**
     * The count of latencies per bucket, as rows {@code {"upToMs": edge, "count": n}} in edge order,
     * the overflow row last with {@code upToMs} null. The counts always sum to the number of latencies.
     *
     * @param latenciesNanos latencies in nanoseconds, in any order
     */
    public static List<Map<String, Object>> buckets(long[] latenciesNanos) {
        long[] counts = new long[EDGES_MS.size() + 1];
        for (long latency : latenciesNanos) {
            counts[bucketOf(latency)]++;
        }
        List<Map<String, Object>> rows = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("upToMs", i < EDGES_MS.size() ? EDGES_MS.get(i) : null);
            row.put("count", counts[i]);
            rows.add(row);
        }
        return rows;
    }

    /** The index of the bucket holding {@code latencyNanos}: the first edge it does not exceed, else overflow. */
    static int bucketOf(long latencyNanos) {
        // Sixteen edges: a linear scan is as fast as a binary search and plainly right at the boundaries.
        for (int i = 0; i < EDGES_MS.size(); i++) {
            if (latencyNanos <= EDGES_MS.get(i) * NANOS_PER_MS) {
                return i;
            }
        }
        return EDGES_MS.size();
    }

    /**
     * The nearest-rank percentile in milliseconds: the smallest latency such that at least
     * {@code perMille}/1000 of them are at or below it; null when there are none.
     * Per mille so that p99.9 (999) is exact in integer arithmetic, as p50 (500) and p99 (990) are.
     *
     * @param sortedNanos latencies in nanoseconds, ascending
     */
    public static Double percentileMs(long[] sortedNanos, int perMille) {
        if (sortedNanos.length == 0) {
            return null;
        }
        int rank = (int) Math.max(1, (perMille * (long) sortedNanos.length + 999) / 1000);
        return sortedNanos[rank - 1] / 1e6;
    }
}
