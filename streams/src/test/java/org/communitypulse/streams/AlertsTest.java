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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts on scripted histories, with the clock simulated: event time in replay mode, the test
 * driver's wall clock in live mode. Each test asserts the exact FIRING/RESOLVED sequence.
 */
class AlertsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate DAY_0 = AlertStep.DAY_0;

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("alerts-test");

    private int ids;

    private final class Run {
        final TopologyTestDriver driver;
        final TestInputTopic<String, ActivityEvent> in;
        final TestOutputTopic<AlertKey, Alert> alerts;

        Run(boolean wallClock) {
            PipelineDriver pipeline = pipelines.start((topics, serdes) -> EngagementTopology.build(topics, serdes,
                    new IntakeSettings(Optional.empty(), Duration.ofDays(1), CLOCK), EngagementSettings.defaults(),
                    AlertSettings.defaults().withWallClock(wallClock)), DAY_0.atStartOfDay().toInstant(ZoneOffset.UTC));
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
        Run run = new Run(false);
        history.forEach(day -> day.forEach(e -> run.in.pipeInput("bikes", e)));
        return run.steps();
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
                // Day 40 has 0 threads and replies against 6 on each of the four Mondays... before it.
                new AlertStep(40, AlertCondition.BELOW_BASELINE, AlertState.FIRING, 40),
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

        assertThat(steps).extracting(AlertStep::condition, AlertStep::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertCondition.BELOW_BASELINE, AlertState.FIRING),
                org.assertj.core.groups.Tuple.tuple(AlertCondition.NO_ACTIVITY, AlertState.FIRING));
        AlertStep below = steps.get(0);
        // Fires only once a day is under 30% of its baseline: 2 threads (4 activity) against about 16.
        assertThat(below.day()).isBetween(50, 60);
        assertThat(steps.get(1)).isEqualTo(new AlertStep(62, AlertCondition.NO_ACTIVITY, AlertState.FIRING, 60));
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
}
