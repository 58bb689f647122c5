package org.communitypulse.ingest.generator;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link SimulatedActivity} should simulate: communities, members per community, a window of
 * days starting at a date (UTC), a seed, and optional stalls.
 *
 * @param communities         community ids (no {@code ':'}), in a fixed order
 * @param membersPerCommunity members each community grows to by the end of the window
 * @param start               first simulated day (UTC)
 * @param days                number of simulated days
 * @param seed                the same seed always yields the same events and ids
 * @param stalls              community id to the day from which it has no activity at all; activity
 *                            declines linearly over the {@value #STALL_DECLINE_DAYS} days before
 */
public record SimulationPlan(List<String> communities, int membersPerCommunity, LocalDate start, int days, long seed,
                             Map<String, LocalDate> stalls) {

    /** Days over which a stalling community fades out before its stall day. */
    public static final int STALL_DECLINE_DAYS = 7;

    public SimulationPlan {
        communities = List.copyOf(communities);
        Objects.requireNonNull(start, "start");
        stalls = Map.copyOf(new LinkedHashMap<>(stalls));
        if (communities.isEmpty() || membersPerCommunity < 2 || days < 1) {
            throw new IllegalArgumentException("need at least one community, two members per community and one day");
        }
        for (String stalled : stalls.keySet()) {
            if (!communities.contains(stalled)) {
                throw new IllegalArgumentException("stall for unknown community '" + stalled + "'");
            }
        }
    }

    /** Communities named {@code community-1 .. community-n}, as {@code pulse run} names them. */
    public static List<String> numberedCommunities(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "community-" + i).toList();
    }

    /** First instant after the window. */
    public java.time.Instant end() {
        return start.plusDays(days).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    }
}
