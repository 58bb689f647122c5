package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.alerts.AlertSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACTIVITY_DECLINING, the early warning (docs/alerts.md), on generated communities with the default settings: its
 * lead time over NO_ACTIVITY on a community that fades out before it stalls, where it stands on the generator's own
 * stall (a fade of one week: too short to be seen ahead), and its rate on the healthy, slipping and stalling communities of the noise budget.
 */
class GeneratedEarlyWarningTest {

    private static final LocalDate START = LocalDate.of(2025, 1, 6);
    private static final LocalDate STALL = START.plusDays(240);
    /** The fading community loses a growing share of its threads over these days before the generator's stall. */
    private static final int FADE_DAYS = 35;

    @TempDir
    Path state;

    /** The generator's stall plan for "fading", its threads thinned linearly to none over the FADE_DAYS before it. */
    private static Predicate<ActivityEvent> fading() {
        LocalDate from = STALL.minusDays(FADE_DAYS);
        return e -> {
            if (e.getType() != EventType.THREAD_CREATED || !e.getCommunityId().equals("fading")) {
                return true;
            }
            long day = e.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
            double dropShare = Math.min(1, Math.max(0, (day - from.toEpochDay()) / (double) FADE_DAYS));
            // Thread ids are sequential, so their String hash is too: a digest spreads the left-out threads over time.
            long spread = java.util.UUID.nameUUIDFromBytes(e.getThreadId().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .getLeastSignificantBits();
            return Math.floorMod(spread, 1000) >= dropShare * 1000;
        };
    }

    private static Optional<Alert> firstFiring(List<Alert> alerts, String community, AlertCondition condition) {
        return alerts.stream().filter(a -> a.getCommunityId().equals(community) && a.getCondition() == condition
                && a.getState() == AlertState.FIRING).findFirst();
    }

    /** Days from the early warning's FIRING record to NO_ACTIVITY's (both on or after {@code from}). */
    private static long leadDays(List<Alert> alerts, String community, LocalDate from) {
        List<Alert> after = alerts.stream().filter(a -> !a.getDay().isBefore(from)).toList();
        Alert warning = firstFiring(after, community, AlertCondition.ACTIVITY_DECLINING).orElseThrow(
                () -> new AssertionError("no ACTIVITY_DECLINING for " + community + " from " + from));
        Alert silence = firstFiring(after, community, AlertCondition.NO_ACTIVITY).orElseThrow(
                () -> new AssertionError("no NO_ACTIVITY for " + community + " from " + from));
        System.out.printf("%s: ACTIVITY_DECLINING fired on %s (since %s), NO_ACTIVITY on %s: lead %d days; evidence %s%n",
                community, warning.getDay(), warning.getSince(), silence.getDay(),
                ChronoUnit.DAYS.between(warning.getDay(), silence.getDay()), warning.getEvidence());
        return ChronoUnit.DAYS.between(warning.getDay(), silence.getDay());
    }

    @Test
    void shouldWarnAtLeastAWeekBeforeNoActivityWhenACommunityFadesOut() {
        // A second community keeps the alert clock going after the stall (it is the newest event of the task).
        SimulationPlan plan = new SimulationPlan(List.of("fading", "clock"), 300, START, 365, 42,
                Map.of("fading", STALL));
        List<Alert> alerts = GeneratedAlertNoiseTest.run(state, plan, fading(), AlertSettings.defaults()).alerts();
        alerts.stream().filter(a -> a.getCondition() == AlertCondition.ACTIVITY_DECLINING).forEach(a -> System.out.println(
                a.getCommunityId() + " " + a.getState() + " " + a.getSince() + " " + a.getDay() + " " + a.getEvidence()));

        // Nothing before the fade: the community grows for 200 days.
        assertThat(alerts).noneMatch(a -> a.getCondition() == AlertCondition.ACTIVITY_DECLINING
                && a.getDay().isBefore(STALL.minusDays(FADE_DAYS)));
        assertThat(leadDays(alerts, "fading", STALL.minusDays(FADE_DAYS))).isGreaterThanOrEqualTo(7);
        Alert warning = firstFiring(alerts, "fading", AlertCondition.ACTIVITY_DECLINING).orElseThrow();
        assertThat(warning.getSeverity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(warning.getEvidence()).containsKeys("weekly", "trend.slope", "trend.intercept", "trend.weeks",
                "forecast", "crossing.day", "crossing.week", "threshold.stall");
        assertThat(Double.parseDouble(warning.getEvidence().get("trend.slope"))).isNegative();
        assertThat(Double.parseDouble(warning.getEvidence().get("forecast")))
                .isLessThanOrEqualTo(Double.parseDouble(warning.getEvidence().get("threshold.stall")));
        // The stall is NO_ACTIVITY's from then on: the warning ends within its longest lifetime.
        assertThat(alerts).anyMatch(a -> a.getCommunityId().equals("fading")
                && a.getCondition() == AlertCondition.ACTIVITY_DECLINING && a.getState() == AlertState.RESOLVED
                && a.getAlertId().equals(warning.getAlertId())
                && ChronoUnit.DAYS.between(a.getSince(), a.getDay()) < 7L * AlertSettings.DEFAULT_REBASELINE_MAX_WEEKS);
    }

    @Test
    void shouldKeepTheHealthyCommunityFreeOfEarlyWarningsAndFlagTheGeneratorsStall() {
        GeneratedAlertNoiseTest.Run run = GeneratedAlertNoiseTest.run(state);
        AlertNoise noise = run.noise();
        for (String community : List.of("healthy", "slipping", "stalling")) {
            System.out.printf("%s: ACTIVITY_DECLINING %.2f a month (%d, longest %d d)%n", community,
                    noise.perMonth(community, AlertCondition.ACTIVITY_DECLINING),
                    noise.firing(community, AlertCondition.ACTIVITY_DECLINING),
                    noise.longestDays(community, AlertCondition.ACTIVITY_DECLINING));
        }
        assertThat(noise.firing("healthy", AlertCondition.ACTIVITY_DECLINING)).isZero();
        // The generator's own stall fades over one week only (7/8 of the usual volume on its first day): no trend of
        // days up to D sees it a week ahead, the weekly line turns only once the community is silent, and then
        // NO_ACTIVITY has reported the stall and the warning stands down. So it is NO_ACTIVITY's alone.
        Alert silence = firstFiring(run.alerts(), "stalling", AlertCondition.NO_ACTIVITY).orElseThrow();
        assertThat(silence.getDay()).isBetween(STALL, STALL.plusDays(6));
        assertThat(run.alerts()).noneMatch(a -> a.getCommunityId().equals("stalling")
                && a.getCondition() == AlertCondition.ACTIVITY_DECLINING);
    }
}
