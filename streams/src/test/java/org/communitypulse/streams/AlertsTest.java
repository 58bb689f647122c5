package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts on scripted histories, with the clock simulated: event time in replay mode, the test
 * driver's wall clock in live mode. Each test asserts the exact FIRING/RESOLVED sequence.
 */
class AlertsTest {

    /** The intake's wall clock, past the longest history (the intake drops events stamped in its future). */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate DAY_0 = AlertStep.DAY_0;

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("alerts-test");

    private int ids;

    private final class Run {
        final TopologyTestDriver driver;
        final TestInputTopic<String, ActivityEvent> in;
        final TestOutputTopic<AlertKey, Alert> alerts;

        Run(boolean wallClock) {
            this(AlertSettings.defaults().withWallClock(wallClock));
        }

        Run(AlertSettings settings) {
            PipelineDriver pipeline = pipelines.start((topics, serdes) -> EngagementTopology.build(topics, serdes,
                    new IntakeSettings(Optional.empty(), Duration.ofDays(1)), EngagementSettings.defaults(),
                    settings, RuntimeHooks.defaults().withClock(CLOCK)), DAY_0.atStartOfDay().toInstant(ZoneOffset.UTC));
            driver = pipeline.driver;
            in = pipeline.activity;
            alerts = pipeline.output(pipeline.topics.alerts());
        }

        List<AlertStep> steps() {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            return alerts.readValuesToList().stream().map(AlertStep::of).toList();
        }
    }

    /**
     * A day's activity: {@code threads} threads, each answered 30 minutes later by another member,
     * so responses and backlog stay healthy and only volume moves.
     */
    private List<ActivityEvent> day(int index, int threads) {
        List<ActivityEvent> events = new ArrayList<>();
        Instant start = DAY_0.plusDays(index).atTime(9, 0).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < threads; i++) {
            String thread = "t" + index + "-" + i;
            events.add(event(EventType.THREAD_CREATED, "asker" + i, thread, start.plusSeconds(60L * i)));
            events.add(event(EventType.REPLY_CREATED, "helper" + i, thread, start.plusSeconds(60L * i + 1800)));
        }
        return events;
    }

    private ActivityEvent event(EventType type, String actor, String thread, Instant at) {
        return ActivityEvent.newBuilder().setEventId("e" + ids++).setCommunityId("bikes")
                .setSource(SourcePlatform.GENERATOR).setType(type).setActorId(actor).setThreadId(thread)
                .setOccurredAt(at).setAttributes(Map.of()).build();
    }

    /** Days {@code 0 .. days-1} with the given threads per day, then one join on {@code days} to move the clock. */
    private List<List<ActivityEvent>> history(int days, IntUnaryOperator threadsOnDay) {
        List<List<ActivityEvent>> history = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            history.add(day(d, threadsOnDay.applyAsInt(d)));
        }
        history.add(List.of(event(EventType.MEMBER_JOINED, "late", null,
                DAY_0.plusDays(days).atTime(8, 0).toInstant(ZoneOffset.UTC))));
        return history;
    }

    private List<AlertStep> replay(List<List<ActivityEvent>> history) {
        return replayAlerts(history).stream().map(AlertStep::of).toList();
    }

    private List<Alert> replayAlerts(List<List<ActivityEvent>> history) {
        Run run = new Run(false);
        history.forEach(day -> day.forEach(e -> run.in.pipeInput("bikes", e)));
        run.driver.advanceWallClockTime(Duration.ofSeconds(1));
        return run.alerts.readValuesToList();
    }

    /** The same history as it would arrive live: each day's events during that day, midnight passing on the wall clock. */
    private List<AlertStep> live(List<List<ActivityEvent>> history) {
        Run run = new Run(true);
        List<AlertStep> steps = new ArrayList<>();
        for (List<ActivityEvent> day : history) {
            day.forEach(e -> run.in.pipeInput("bikes", e));
            run.driver.advanceWallClockTime(Duration.ofDays(1));
            steps.addAll(run.alerts.readValuesToList().stream().map(AlertStep::of).toList());
        }
        return steps;
    }

    /** 40 busy days (3 threads, 3 replies), 10 silent, 10 busy again. */
    private List<List<ActivityEvent>> silentAndBack() {
        return history(60, d -> d >= 40 && d < 50 ? 0 : 3);
    }

    @Test
    void shouldFireOnceAndResolveOnceWhenACommunityGoesSilentAndComesBack() {
        assertThat(replay(silentAndBack())).containsExactly(
                // Days 40 and 41 have 0 threads and replies against 6 on the same weekday of the four weeks
                // before (alert.baseline.fire.after.days = 2): fires on day 41, since day 40.
                new AlertStep(41, AlertCondition.BELOW_BASELINE, AlertState.FIRING, 40),
                // Three complete silent days.
                new AlertStep(42, AlertCondition.NO_ACTIVITY, AlertState.FIRING, 40),
                // The first busy day ends the silence.
                new AlertStep(50, AlertCondition.NO_ACTIVITY, AlertState.RESOLVED, 40),
                // Days 50 and 51 are back to normal (their baseline, with a silent week in it, is too thin to judge).
                new AlertStep(51, AlertCondition.BELOW_BASELINE, AlertState.RESOLVED, 40));
    }

    @Test
    void shouldGiveTheSameAlertsLiveAsInReplayWhenTheHistoryIsTheSame() {
        List<List<ActivityEvent>> history = silentAndBack();
        List<AlertStep> live = live(history);
        assertThat(live).isNotEmpty().isEqualTo(replay(history));
    }

    @Test
    void shouldNotAlertWhenQuietWeekendsAreTheCommunitysNormalRhythm() {
        // Weekdays busy, Saturdays and Sundays silent: a quiet Sunday is compared with other Sundays.
        List<List<ActivityEvent>> weekly = history(70, d -> d % 7 >= 5 ? 0 : 4);
        assertThat(replay(weekly)).isEmpty();
    }

    @Test
    void shouldFireOnceWithoutFlappingWhenACommunitySlowlyDeclines() {
        // 20 threads a day, one fewer every third day, down to none from day 60 on.
        List<AlertStep> steps = replay(history(70, d -> Math.max(0, 20 - d / 3)));

        // The early warning comes first (the trend of the weekly activity heads for the stall) and stands down
        // once NO_ACTIVITY reports the stall.
        assertThat(steps).extracting(AlertStep::condition, AlertStep::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertCondition.ACTIVITY_DECLINING, AlertState.FIRING),
                org.assertj.core.groups.Tuple.tuple(AlertCondition.BELOW_BASELINE, AlertState.FIRING),
                org.assertj.core.groups.Tuple.tuple(AlertCondition.NO_ACTIVITY, AlertState.FIRING),
                org.assertj.core.groups.Tuple.tuple(AlertCondition.ACTIVITY_DECLINING, AlertState.RESOLVED));
        AlertStep below = steps.get(1);
        // Fires only once a day is under 30% of its baseline: 2 threads (4 activity) against about 16.
        assertThat(below.day()).isBetween(50, 60);
        assertThat(steps.get(2)).isEqualTo(new AlertStep(62, AlertCondition.NO_ACTIVITY, AlertState.FIRING, 60));
        assertThat(steps.get(0).day()).isLessThanOrEqualTo(62 - 7);
    }

    private static List<AlertStep> only(List<AlertStep> steps, AlertCondition condition) {
        return steps.stream().filter(step -> step.condition() == condition).toList();
    }

    @Test
    void shouldWarnOfADecliningCommunityBeforeItStallsWithTheFittedTrendInTheEvidence() {
        // Eight steady weeks of 10 threads a day (140 threads and replies a week), then one fewer thread every third
        // day from day 56: silent from day 83 on.
        List<Alert> alerts = replayAlerts(history(100, d -> d < 56 ? 10 : Math.max(0, 10 - (d - 53) / 3)));
        List<AlertStep> steps = alerts.stream().map(AlertStep::of).toList();

        List<AlertStep> warnings = only(steps, AlertCondition.ACTIVITY_DECLINING);
        AlertStep silence = only(steps, AlertCondition.NO_ACTIVITY).get(0);
        assertThat(silence).isEqualTo(new AlertStep(85, AlertCondition.NO_ACTIVITY, AlertState.FIRING, 83));
        assertThat(warnings).first().satisfies(w -> {
            assertThat(w.state()).isEqualTo(AlertState.FIRING);
            // At least a week ahead of NO_ACTIVITY, and not before the decline shows in the weekly values.
            assertThat(w.day()).isBetween(60, silence.day() - 7);
        });
        Alert warning = alerts.stream().filter(a -> a.getCondition() == AlertCondition.ACTIVITY_DECLINING)
                .findFirst().orElseThrow();
        assertThat(warning.getSeverity()).isEqualTo(org.communitypulse.schemas.avro.AlertSeverity.WARNING);
        Map<String, String> evidence = warning.getEvidence();
        assertThat(evidence).containsEntry("trend.weeks", "6").containsKeys("weekly", "trend.slope", "trend.intercept",
                "forecast", "forecast.day", "crossing.day", "crossing.week", "threshold.stall");
        // The evidence is the least-squares line of the weekly values it lists (x = 0 .. 5, oldest first).
        double[] weekly = java.util.Arrays.stream(evidence.get("weekly").split(",")).mapToDouble(Double::parseDouble)
                .toArray();
        double slope = (-2.5 * weekly[0] - 1.5 * weekly[1] - 0.5 * weekly[2] + 0.5 * weekly[3] + 1.5 * weekly[4]
                + 2.5 * weekly[5]) / 17.5;
        double intercept = java.util.Arrays.stream(weekly).average().orElseThrow() - slope * 2.5;
        assertThat(Double.parseDouble(evidence.get("trend.slope"))).isNegative().isCloseTo(slope,
                org.assertj.core.data.Offset.offset(0.001));
        assertThat(Double.parseDouble(evidence.get("trend.intercept"))).isCloseTo(intercept,
                org.assertj.core.data.Offset.offset(0.001));
        assertThat(Double.parseDouble(evidence.get("forecast"))).isCloseTo(intercept + slope * (5 + 2),
                org.assertj.core.data.Offset.offset(0.001))
                .isLessThanOrEqualTo(Double.parseDouble(evidence.get("threshold.stall")));
        assertThat(Double.parseDouble(evidence.get("threshold.stall"))).isCloseTo(0.25 * intercept,
                org.assertj.core.data.Offset.offset(0.001));
        assertThat(LocalDate.parse(evidence.get("crossing.day"))).isAfter(warning.getDay())
                .isBeforeOrEqualTo(warning.getDay().plusDays(14));
        // Once NO_ACTIVITY reports the stall, the warning stands down (two days of hysteresis).
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).isEqualTo(new AlertStep(86, AlertCondition.ACTIVITY_DECLINING, AlertState.RESOLVED,
                warnings.get(0).since()));
        assertThat(alerts.stream().filter(a -> a.getCondition() == AlertCondition.ACTIVITY_DECLINING
                && a.getState() == AlertState.RESOLVED).findFirst().orElseThrow().getEvidence())
                .containsEntry("resolvedBy", "STALLED").containsEntry("noActivitySince", DAY_0.plusDays(83).toString());
    }

    @Test
    void shouldNotWarnOfANoisyButFlatCommunity() {
        // Each week at a level drawn at random, 3 to 6 threads a day (42 to 84 threads and replies a week), for 40
        // weeks: runs of lower weeks happen by chance; no line through six of them falls to the stall threshold.
        java.util.Random random = new java.util.Random(42);
        int[] level = random.ints(40, 3, 7).toArray();
        List<AlertStep> steps = replay(history(280, d -> level[d / 7]));
        assertThat(only(steps, AlertCondition.ACTIVITY_DECLINING)).isEmpty();
    }

    @Test
    void shouldResolveTheWarningWhenTheDeclineFlattensOut() {
        // 10 threads a day for 8 weeks, down to 3 over three weeks (one fewer every third day), then 3 a day for
        // 12 weeks: a community that settles lower is not heading for a stall once its weeks are flat.
        List<Alert> alerts = replayAlerts(history(56 + 21 + 84, d -> d < 56 ? 10 : Math.max(3, 10 - (d - 53) / 3)));
        List<AlertStep> warnings = only(alerts.stream().map(AlertStep::of).toList(), AlertCondition.ACTIVITY_DECLINING);

        assertThat(warnings).extracting(AlertStep::state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(warnings.get(0).day()).isBetween(60, 77);
        // Resolved on the trend of the flat weeks: the forecast back at half the line's oldest level, two days running.
        assertThat(warnings.get(1).day()).isBetween(77, 56 + 21 + 42);
        Alert resolved = alerts.stream().filter(a -> a.getCondition() == AlertCondition.ACTIVITY_DECLINING
                && a.getState() == AlertState.RESOLVED).findFirst().orElseThrow();
        assertThat(resolved.getEvidence()).containsEntry("resolvedBy", "RECOVERED");
        assertThat(Double.parseDouble(resolved.getEvidence().get("forecast")))
                .isGreaterThanOrEqualTo(Double.parseDouble(resolved.getEvidence().get("recover.level")));
        assertThat(alerts).noneMatch(a -> a.getCondition() == AlertCondition.NO_ACTIVITY);
    }

    @Test
    void shouldEndAWarningOfADeclineThatGoesOnWithinItsLongestLifetime() {
        // 60 threads a day for 6 weeks, then halving every two weeks for 10 weeks (still 4 a day at the end, never
        // silent): the line heads for the stall all along. With alert.rebaseline.max.weeks 4 the bound is 28 days.
        AlertSettings d = AlertSettings.defaults();
        Run run = new Run(new AlertSettings(false, d.silenceDays(), d.baselineRatio(), d.baselineRecoverRatio(),
                d.baselineMin(), d.baselineFireAfterDays(), d.responseShareMin(), d.responseRecoverShare(),
                d.responseMinThreads(), d.backlogMax(), d.backlogRecover(), d.fireAfterDays(), d.resolveAfterDays(),
                d.rebaselineWeeks(), d.rebaselineSpread(), 4, d.trend()));
        history(42 + 70, day -> day < 42 ? 60 : (int) Math.round(60 * Math.pow(0.5, (day - 42) / 14.0)))
                .forEach(day -> day.forEach(e -> run.in.pipeInput("bikes", e)));
        run.driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<Alert> warnings = run.alerts.readValuesToList().stream()
                .filter(a -> a.getCondition() == AlertCondition.ACTIVITY_DECLINING).toList();

        assertThat(warnings).hasSizeGreaterThanOrEqualTo(3);
        Alert first = warnings.get(0);
        Alert end = warnings.get(1);
        assertThat(first.getState()).isEqualTo(AlertState.FIRING);
        assertThat(end.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(end.getAlertId()).isEqualTo(first.getAlertId());
        assertThat(end.getDay()).isEqualTo(first.getSince().plusDays(27));
        assertThat(end.getEvidence()).containsEntry("resolvedBy", "REBASELINED")
                .containsEntry("rebaseline.reason", "MAX_WEEKS");
        // Each alert is bounded, not the condition: the decline goes on, so it fires again the next day.
        assertThat(warnings.get(2).getState()).isEqualTo(AlertState.FIRING);
        assertThat(warnings.get(2).getDay()).isEqualTo(end.getDay().plusDays(1));
    }

    @Test
    void shouldWarnTheSameWayLiveAsInReplay() {
        List<List<ActivityEvent>> history = history(100, d -> d < 56 ? 10 : Math.max(0, 10 - (d - 53) / 3));
        List<AlertStep> live = only(live(history), AlertCondition.ACTIVITY_DECLINING);
        assertThat(live).isNotEmpty().isEqualTo(only(replay(history), AlertCondition.ACTIVITY_DECLINING));
    }

    @Test
    void shouldFireSlowResponseAndBacklogWhenThreadsGoUnanswered() {
        List<List<ActivityEvent>> history = new ArrayList<>(history(30, d -> 3));
        history.remove(history.size() - 1);
        // Days 30-39: 3 new threads a day and nobody answers.
        for (int d = 30; d < 40; d++) {
            List<ActivityEvent> unanswered = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                unanswered.add(event(EventType.THREAD_CREATED, "asker" + i, "u" + d + "-" + i,
                        DAY_0.plusDays(d).atTime(10, i).toInstant(ZoneOffset.UTC)));
            }
            history.add(unanswered);
        }
        history.add(List.of(event(EventType.MEMBER_JOINED, "late", null,
                DAY_0.plusDays(40).atTime(8, 0).toInstant(ZoneOffset.UTC))));

        List<AlertStep> steps = replay(history);
        // Day 33: 4 open threads? No: days 30-33 give 12 >= 10 open threads.
        assertThat(steps).contains(new AlertStep(33, AlertCondition.BACKLOG_GROWING, AlertState.FIRING, 33));
        // Day 34: the 7 days before (27-33) hold 9 answered and 12 unanswered threads: 43% < 50%.
        assertThat(steps).contains(new AlertStep(34, AlertCondition.SLOW_FIRST_RESPONSE, AlertState.FIRING, 34));
        assertThat(steps).extracting(AlertStep::state).doesNotContain(AlertState.RESOLVED);
    }

    /** A launch burst (15 threads and 15 replies a day for 8 weeks), then a steady 4 + 4 a day for two years. */
    private List<List<ActivityEvent>> burstThenSteady() {
        return history(56 + 730, d -> d < 56 ? 15 : 4);
    }

    @Test
    void shouldRebaselineABelowBaselineAlertOnceTheCommunityHoldsSteadyAtItsNewLevel() {
        List<Alert> all = replayAlerts(burstThenSteady());
        // A fall to a quarter in two weeks also warns of a stall (day 65) until the flat weeks say otherwise (day 97).
        assertThat(all).extracting(AlertStep::of).filteredOn(step -> step.condition() == AlertCondition.ACTIVITY_DECLINING)
                .containsExactly(new AlertStep(65, AlertCondition.ACTIVITY_DECLINING, AlertState.FIRING, 65),
                        new AlertStep(97, AlertCondition.ACTIVITY_DECLINING, AlertState.RESOLVED, 65));
        List<Alert> alerts = all.stream().filter(a -> a.getCondition() != AlertCondition.ACTIVITY_DECLINING).toList();

        // Days 56 and 57: 8 against a baseline of 30 fires; 8 never reaches 0.6 x 30 = 18, so only the new level
        // ends it: four steady weeks, all since it held (day 56), on day 56 + 27.
        assertThat(alerts).extracting(AlertStep::of).containsExactly(
                new AlertStep(57, AlertCondition.BELOW_BASELINE, AlertState.FIRING, 56),
                new AlertStep(83, AlertCondition.BELOW_BASELINE, AlertState.RESOLVED, 56));
        Map<String, String> evidence = alerts.get(1).getEvidence();
        assertThat(evidence).containsEntry("resolvedBy", "REBASELINED").containsEntry("rebaseline.reason", "STEADY")
                .containsEntry("baseline.old", "30.000").containsEntry("baseline.new", "8.000")
                .containsEntry("weekly", "56.000,56.000,56.000,56.000");
        assertThat(alerts.get(1).getSummary()).contains("re-baselined");
        // Within the documented bound: 7 x alert.rebaseline.max.weeks days after it fired.
        assertThat(83 - 56 + 1).isLessThanOrEqualTo(7 * AlertSettings.DEFAULT_REBASELINE_MAX_WEEKS);
    }

    @Test
    void shouldRebaselineTheSameWayLiveAsInReplay() {
        List<List<ActivityEvent>> history = history(56 + 60, d -> d < 56 ? 15 : 4);
        // The live clock passes the end of the history, so the silent day after it is judged too: compare before it.
        List<AlertStep> live = live(history).stream().filter(step -> step.day() < 56 + 60).toList();
        assertThat(live).hasSize(4).isEqualTo(replay(history));
    }

    @Test
    void shouldKeepAStallingCommunityAlertedAndNeverRebaselineItIntoSilence() {
        // Burst, steady for 8 weeks (re-baselined on day 83), then silent from day 112 for 120 days: past
        // alert.rebaseline.max.weeks, and silence never becomes the normal.
        List<AlertStep> steps = replay(history(232, d -> d < 56 ? 15 : d < 112 ? 4 : 0)).stream()
                .filter(step -> step.condition() != AlertCondition.ACTIVITY_DECLINING).toList();

        assertThat(steps).containsExactly(
                new AlertStep(57, AlertCondition.BELOW_BASELINE, AlertState.FIRING, 56),
                new AlertStep(83, AlertCondition.BELOW_BASELINE, AlertState.RESOLVED, 56),
                new AlertStep(113, AlertCondition.BELOW_BASELINE, AlertState.FIRING, 112),
                new AlertStep(114, AlertCondition.NO_ACTIVITY, AlertState.FIRING, 112));
    }

    /** {@code answered} threads a day answered in 30 minutes and {@code unanswered} that nobody answers. */
    private List<ActivityEvent> backlogDay(int index, int answered, int unanswered) {
        List<ActivityEvent> events = new ArrayList<>(day(index, answered));
        for (int i = 0; i < unanswered; i++) {
            events.add(event(EventType.THREAD_CREATED, "asker" + i, "u" + index + "-" + i,
                    DAY_0.plusDays(index).atTime(12, i).toInstant(ZoneOffset.UTC)));
        }
        return events;
    }

    @Test
    void shouldRebaselineABacklogThatIsTheCommunitysNewNormalAndFireAgainWhenItGrowsPastIt() {
        // One thread a day goes unanswered for 150 days (28 open in the 28-day window), then three a day.
        List<List<ActivityEvent>> history = new ArrayList<>();
        for (int d = 0; d < 180; d++) {
            history.add(backlogDay(d, 3, d < 150 ? 1 : 3));
        }
        history.add(List.of(event(EventType.MEMBER_JOINED, "late", null,
                DAY_0.plusDays(180).atTime(8, 0).toInstant(ZoneOffset.UTC))));

        List<Alert> alerts = replayAlerts(history).stream()
                .filter(a -> a.getCondition() == AlertCondition.BACKLOG_GROWING).toList();

        assertThat(alerts).extracting(Alert::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED,
                AlertState.FIRING);
        AlertStep fired = AlertStep.of(alerts.get(0));
        AlertStep rebaselined = AlertStep.of(alerts.get(1));
        assertThat(fired.day()).isEqualTo(9);
        assertThat(rebaselined.day() - fired.since() + 1).isBetween(28, 7 * AlertSettings.DEFAULT_REBASELINE_MAX_WEEKS);
        assertThat(alerts.get(1).getEvidence()).containsEntry("resolvedBy", "REBASELINED")
                .containsEntry("baseline.old", "7.000").containsKey("baseline.new").containsKey("threshold.new");
        // Growing past the new normal (28 open: fires at 40) is news again.
        assertThat(AlertStep.of(alerts.get(2)).day()).isGreaterThan(150);
        assertThat(alerts.get(2).getEvidence().get("threshold")).isEqualTo(alerts.get(1).getEvidence().get(
                "threshold.new"));
    }

    @Test
    void shouldRebaselineSlowFirstResponsesThatAreTheCommunitysNewNormal() {
        // Four threads a day: one answered in 30 minutes, three only after 30 hours: a steady 25% within 24 h.
        List<List<ActivityEvent>> history = new ArrayList<>();
        for (int d = 0; d < 120; d++) {
            List<ActivityEvent> events = new ArrayList<>(day(d, 1));
            for (int i = 0; i < 3; i++) {
                Instant start = DAY_0.plusDays(d).atTime(10, i).toInstant(ZoneOffset.UTC);
                String thread = "s" + d + "-" + i;
                events.add(event(EventType.THREAD_CREATED, "asker" + i, thread, start));
                events.add(event(EventType.REPLY_CREATED, "helper" + i, thread, start.plusSeconds(30 * 3600)));
            }
            events.sort(java.util.Comparator.comparing(ActivityEvent::getOccurredAt));
            history.add(events);
        }
        history.add(List.of(event(EventType.MEMBER_JOINED, "late", null,
                DAY_0.plusDays(121).atTime(8, 0).toInstant(ZoneOffset.UTC))));

        List<Alert> alerts = replayAlerts(history).stream()
                .filter(a -> a.getCondition() == AlertCondition.SLOW_FIRST_RESPONSE).toList();

        assertThat(alerts).extracting(AlertStep::of).containsExactly(
                // Day 2 is the first with 5 threads in the 7 days before it (8, 2 answered within 24 h).
                new AlertStep(2, AlertCondition.SLOW_FIRST_RESPONSE, AlertState.FIRING, 2),
                new AlertStep(29, AlertCondition.SLOW_FIRST_RESPONSE, AlertState.RESOLVED, 2));
        assertThat(alerts.get(1).getEvidence()).containsEntry("resolvedBy", "REBASELINED")
                .containsEntry("baseline.old", "0.600").containsEntry("baseline.new", "0.250");
    }
}
