package org.communitypulse.streams.engagement.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The histogram's top sums must equal those of sorting the members' counts, as the counts come and go. */
class CountHistogramTest {

    @Test
    void shouldSumTheLargestCountsWhenMembersTie() {
        CountHistogram h = new CountHistogram();
        h.move(0, 5);
        h.move(0, 5);
        h.move(0, 2);
        h.move(0, 1);

        assertThat(h.topSum(1)).isEqualTo(5);
        assertThat(h.topSum(2)).isEqualTo(10);
        assertThat(h.topSum(3)).isEqualTo(12);
        assertThat(h.topSum(4)).isEqualTo(13);
    }

    @Test
    void shouldForgetACountWhenItsMemberMovesOnOrLeaves() {
        CountHistogram h = new CountHistogram();
        h.move(0, 7);
        h.move(0, 3);
        h.move(7, 2);
        h.move(3, 0);

        assertThat(h.topSum(1)).isEqualTo(2);
        assertThat(h.topSum(2)).isEqualTo(2);
    }

    @Test
    void shouldEqualTheSortedCountsUnderRandomChangesWithVeryLargeCountsToo() {
        Random random = new Random(20);
        Map<Integer, Integer> counts = new HashMap<>();
        CountHistogram h = new CountHistogram();
        for (int step = 0; step < 20_000; step++) {
            int member = random.nextInt(300);
            int before = counts.getOrDefault(member, 0);
            // Mostly small changes, sometimes a jump beyond the dense range, sometimes back to zero.
            int after = switch (random.nextInt(10)) {
                case 0 -> 0;
                case 1 -> 1_000 + random.nextInt(5_000);
                default -> Math.max(0, before + random.nextInt(7) - 3);
            };
            if (after == 0) {
                counts.remove(member);
            } else {
                counts.put(member, after);
            }
            h.move(before, after);
            if (step % 97 == 0 && !counts.isEmpty()) {
                int[] sorted = counts.values().stream().mapToInt(Integer::intValue).sorted().toArray();
                for (int percent : new int[] {1, 10, 50, 100}) {
                    int k = EngagementEmitter.ceilPercent(percent, sorted.length);
                    long expected = 0;
                    for (int j = sorted.length - k; j < sorted.length; j++) {
                        expected += sorted[j];
                    }
                    assertThat(h.topSum(k)).as("top %d%% at step %d", percent, step).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldRefuseANegativeCount() {
        assertThatThrownBy(() -> new CountHistogram().move(0, -1)).isInstanceOf(IllegalStateException.class);
    }
}
