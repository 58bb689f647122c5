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
 * @param stalls              community id to the day from which it has no activity at all
 * @param stallFadeDays       days before a stall over which the community's volume declines linearly to none
 *                            (at least 1; 1 stops it almost at once)
 */
public record SimulationPlan(List<String> communities, int membersPerCommunity, LocalDate start, int days, long seed,
                             Map<String, LocalDate> stalls, int stallFadeDays) {

    /**
     * Default days over which a stalling community fades out before its stall day: five weeks, as real communities
     * die out over weeks rather than overnight, and long enough for the early warning to see the decline coming
     * (docs/alerts.md).
     */
    public static final int DEFAULT_STALL_FADE_DAYS = 35;

    /** Longest fade accepted: a year, beyond which the fade is the community's whole history. */
    public static final int MAX_STALL_FADE_DAYS = 366;

    /** A plan whose stalls fade over {@link #DEFAULT_STALL_FADE_DAYS}. */
    public SimulationPlan(List<String> communities, int membersPerCommunity, LocalDate start, int days, long seed,
                          Map<String, LocalDate> stalls) {
        this(communities, membersPerCommunity, start, days, seed, stalls, DEFAULT_STALL_FADE_DAYS);
    }

    public SimulationPlan {
        communities = List.copyOf(communities);
        Objects.requireNonNull(start, "start");
        stalls = Map.copyOf(new LinkedHashMap<>(stalls));
        if (communities.isEmpty() || membersPerCommunity < 2 || days < 1) {
            throw new IllegalArgumentException("need at least one community, two members per community and one day");
        }
        if (stallFadeDays < 1 || stallFadeDays > MAX_STALL_FADE_DAYS) {
            throw new IllegalArgumentException("stall fade must be 1 to " + MAX_STALL_FADE_DAYS + " days but was "
                    + stallFadeDays);
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
