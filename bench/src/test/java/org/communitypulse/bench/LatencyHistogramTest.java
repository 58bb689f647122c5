package org.communitypulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldCountEveryLatencyOnceWhenBucketing() {
        Random random = new Random(11);
        long[] latencies = new long[10_000];
        for (int i = 0; i < latencies.length; i++) {
            // Up to 100 s, so some land in the overflow bucket.
            latencies[i] = (long) (random.nextDouble() * 100_000 * MS);
        }

        List<Map<String, Object>> rows = LatencyHistogram.buckets(latencies);

        assertThat(rows).hasSize(LatencyHistogram.EDGES_MS.size() + 1);
        assertThat(rows.stream().mapToLong(r -> (Long) r.get("count")).sum()).isEqualTo(latencies.length);
        assertThat(rows.get(rows.size() - 1).get("count")).isNotEqualTo(0L);
    }

    @Test
    void shouldPutALatencyOnAnEdgeInTheBucketEndingThereWhenBucketing() {
        long[] latencies = {0, 25 * MS, 25 * MS + 1, 1_000 * MS, 1_000 * MS + 1, 60_000 * MS, 60_000 * MS + 1};

        List<Map<String, Object>> rows = LatencyHistogram.buckets(latencies);

        assertThat(countUpTo(rows, 25L)).isEqualTo(2);
        assertThat(countUpTo(rows, 50L)).isEqualTo(1);
        assertThat(countUpTo(rows, 1_000L)).isEqualTo(1);
        assertThat(countUpTo(rows, 1_500L)).isEqualTo(1);
        assertThat(countUpTo(rows, 60_000L)).isEqualTo(1);
        assertThat(rows.get(rows.size() - 1).get("upToMs")).isNull();
        assertThat(rows.get(rows.size() - 1).get("count")).isEqualTo(1L);
    }

    @Test
    void shouldListEveryBucketInEdgeOrderWhenThereAreNoLatencies() {
        List<Map<String, Object>> rows = LatencyHistogram.buckets(new long[0]);

        assertThat(rows.subList(0, rows.size() - 1)).extracting(r -> r.get("upToMs"))
                .containsExactlyElementsOf(LatencyHistogram.EDGES_MS);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("count")).isEqualTo(0L));
        assertThat(LatencyHistogram.EDGES_MS).isSorted();
    }

    @Test
    void shouldTakeTheNearestRankWhenComputingPercentiles() {
        long[] sorted = new long[1_000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = (i + 1) * MS;
        }

        assertThat(LatencyHistogram.percentileMs(sorted, 500)).isEqualTo(500.0);
        assertThat(LatencyHistogram.percentileMs(sorted, 900)).isEqualTo(900.0);
        assertThat(LatencyHistogram.percentileMs(sorted, 990)).isEqualTo(990.0);
        assertThat(LatencyHistogram.percentileMs(sorted, 999)).isEqualTo(999.0);
        assertThat(LatencyHistogram.percentileMs(sorted, 1000)).isEqualTo(1000.0);
        assertThat(LatencyHistogram.percentileMs(new long[] {7 * MS}, 999)).isEqualTo(7.0);
        assertThat(LatencyHistogram.percentileMs(new long[0], 500)).isNull();
    }

    @Test
    void shouldMatchTheFormerPercentPercentileWhenGivenTenTimesThePercent() {
        Random random = new Random(3);
        for (int n = 1; n <= 257; n++) {
            long[] sorted = random.longs(n, 0, 10_000 * MS).sorted().toArray();
            for (int p : new int[] {50, 90, 99}) {
                // The nearest rank the benchmark used before per mille: ceil(p * n / 100).
                int rank = (int) Math.max(1, (p * (long) n + 99) / 100);
                assertThat(LatencyHistogram.percentileMs(sorted, 10 * p))
                        .as("p%d of %d", p, n).isEqualTo(sorted[rank - 1] / 1e6);
            }
        }
    }

    private static long countUpTo(List<Map<String, Object>> rows, long upToMs) {
        return rows.stream().filter(r -> Long.valueOf(upToMs).equals(r.get("upToMs")))
                .mapToLong(r -> (Long) r.get("count")).findFirst().orElseThrow();
    }
}
