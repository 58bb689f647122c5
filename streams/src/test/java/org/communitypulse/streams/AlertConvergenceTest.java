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
import java.util.TreeMap;
import org.apache.kafka.streams.TestOutputTopic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live convergence (docs/alerts.md): a live run (gate open, wall clock) judges each day at midnight; events that
 * arrive later for days already judged have those days judged again at the next emission, and where the verdict
 * changes correcting records are written, so that each AlertKey's latest record ends as a replay of the same events
 * ends it.
 */
class AlertConvergenceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate DAY_0 = AlertStep.DAY_0;
    private static final String C = "bikes";
    private static final int DAYS = 45;
    /** The connector is down on these days: their events arrive on {@link #OUTAGE_BACKFILLED_ON}. */
    private static final List<Integer> OUTAGE = List.of(36, 37);
    private static final int OUTAGE_BACKFILLED_ON = 38;
    /** A dozen threads nobody answers were started on this day; the import that brings them runs two days later. */
    private static final int UNANSWERED_DAY = 39;
    private static final int UNANSWERED_BACKFILLED_ON = 41;

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("alert-convergence-test");

    private int ids;

    /** One pipeline and the outputs the tests read. */
    private record Run(PipelineDriver pipeline, TestOutputTopic<AlertKey, Alert> alerts,
                       TestOutputTopic<CommunityDayKey, DailyEngagement> daily) {

        void pipe(List<ActivityEvent> events) {
            events.forEach(e -> pipeline.activity.pipeInput(C, e));
        }

        void passMidnight() {
            pipeline.driver.advanceWallClockTime(Duration.ofDays(1));
        }
    }

    private Run start(AlertSettings settings) {
        PipelineDriver pipeline = pipelines.start((topics, serdes) -> EngagementTopology.build(topics, serdes,
                new IntakeSettings(Optional.empty(), Duration.ofDays(1)), EngagementSettings.defaults(),
                settings, RuntimeHooks.defaults().withClock(CLOCK)), DAY_0.atStartOfDay().toInstant(ZoneOffset.UTC));
        return new Run(pipeline, pipeline.output(pipeline.topics.alerts()),
                pipeline.output(pipeline.topics.dailyEngagement()));
    }

    /** Six threads a day, each answered half an hour later by another member. */
    private List<ActivityEvent> day(int index) {
        List<ActivityEvent> events = new ArrayList<>();
        Instant start = DAY_0.plusDays(index).atTime(9, 0).toInstant(ZoneOffset.UTC);
        for (int i = 0; i < 6; i++) {
            String thread = "t" + index + "-" + i;
            events.add(event(EventType.THREAD_CREATED, "asker" + i, thread, start.plusSeconds(60L * i)));
            events.add(event(EventType.REPLY_CREATED, "helper" + i, thread, start.plusSeconds(60L * i + 1800)));
        }
        return events;
    }

    private List<ActivityEvent> unanswered(int index) {
        List<ActivityEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(event(EventType.THREAD_CREATED, "lost" + i, "u" + index + "-" + i,
                    DAY_0.plusDays(index).atTime(15, i).toInstant(ZoneOffset.UTC)));
        }
        return events;
    }

    private ActivityEvent event(EventType type, String actor, String thread, Instant at) {
        return ActivityEvent.newBuilder().setEventId("e" + ids++).setCommunityId(C).setSource(SourcePlatform.GENERATOR)
                .setType(type).setActorId(actor).setThreadId(thread).setOccurredAt(at).setAttributes(Map.of()).build();
    }

    /** Every event of the history by the day it happened. */
    private List<List<ActivityEvent>> history() {
        List<List<ActivityEvent>> days = new ArrayList<>();
        for (int d = 0; d < DAYS; d++) {
            List<ActivityEvent> events = new ArrayList<>(day(d));
            if (d == UNANSWERED_DAY) {
                events.addAll(unanswered(d));
            }
            days.add(events);
        }
        return days;
    }

    /**
     * Live: each day's events during the day and midnight passing on the wall clock, except the outage days' events,
     * which arrive on {@code outageBackfilledOn}, and the unanswered threads, which arrive on
     * {@link #UNANSWERED_BACKFILLED_ON}.
     */
    private List<Alert> live(Run run, List<List<ActivityEvent>> history, List<Integer> outage, int outageBackfilledOn) {
        List<Alert> written = new ArrayList<>();
        // The day's own six threads and their replies come first, the unanswered threads after them.
        List<ActivityEvent> unanswered = history.get(UNANSWERED_DAY).subList(12, history.get(UNANSWERED_DAY).size());
        for (int d = 0; d < DAYS; d++) {
            List<ActivityEvent> today = new ArrayList<>(history.get(d));
            if (outage.contains(d)) {
                today.clear();
            }
            if (d == UNANSWERED_DAY) {
                today.removeAll(unanswered);
            }
            if (d == outageBackfilledOn) {
                outage.forEach(o -> today.addAll(history.get(o)));
            }
            if (d == UNANSWERED_BACKFILLED_ON) {
                today.addAll(unanswered);
            }
            run.pipe(today);
            run.passMidnight();
            written.addAll(run.alerts().readValuesToList());
        }
        return written;
    }

    private List<Alert> replay(List<List<ActivityEvent>> history) {
        Run run = start(AlertSettings.defaults().withWallClock(false));
        history.forEach(run::pipe);
        run.passMidnight();
        return run.alerts().readValuesToList();
    }

    private static Map<AlertCondition, Alert> latest(List<Alert> alerts) {
        Map<AlertCondition, Alert> latest = new TreeMap<>();
        alerts.forEach(a -> latest.put(a.getCondition(), a));
        return latest;
    }

    private static List<String> of(List<Alert> alerts, AlertCondition condition) {
        return alerts.stream().filter(a -> a.getCondition() == condition).map(a -> AlertStep.of(a) + " "
                + a.getEvidence().getOrDefault("resolvedBy", "") + " " + a.getEvidence().getOrDefault("corrected", ""))
                .toList();
    }

    @Test
    void shouldCorrectWhatLateEventsChangeAndEndAsTheReplayEnds() {
        List<List<ActivityEvent>> history = history();
        List<Alert> live = live(start(AlertSettings.defaults()), history, OUTAGE, OUTAGE_BACKFILLED_ON);
        List<Alert> replayed = replay(history);

        // The outage looked like two quiet days: BELOW_BASELINE fired on day 37, since 36. The backfill arrived on day
        // 38; judged again, the days are as busy as any: the alert is retracted (RESOLVED, resolvedBy=CORRECTED), on
        // the last day judged when the late events came, with the late day in its evidence.
        assertThat(of(live, AlertCondition.BELOW_BASELINE)).containsExactly(
                new AlertStep(37, AlertCondition.BELOW_BASELINE, AlertState.FIRING, 36) + "  ",
                new AlertStep(37, AlertCondition.BELOW_BASELINE, AlertState.RESOLVED, 36) + " CORRECTED true");
        Alert retraction = latest(live).get(AlertCondition.BELOW_BASELINE);
        assertThat(retraction.getAlertId()).isEqualTo(C + "/BELOW_BASELINE/" + DAY_0.plusDays(36));
        assertThat(retraction.getEvidence()).containsEntry("corrected.lateFrom", DAY_0.plusDays(36).toString());
        assertThat(of(replayed, AlertCondition.BELOW_BASELINE)).isEmpty();

        // Twelve unanswered threads of day 39, imported on day 41: the backlog should have fired on day 39. The FIRING
        // is written when they arrive, with its real since and day, marked as a correction.
        assertThat(of(live, AlertCondition.BACKLOG_GROWING)).containsExactly(
                new AlertStep(39, AlertCondition.BACKLOG_GROWING, AlertState.FIRING, 39) + "  true");
        assertThat(of(replayed, AlertCondition.BACKLOG_GROWING)).containsExactly(
                new AlertStep(39, AlertCondition.BACKLOG_GROWING, AlertState.FIRING, 39) + "  ");

        // Converged: every key the replay wrote ends as in the replay (state, since, alertId).
        Map<AlertCondition, Alert> liveLatest = latest(live);
        latest(replayed).forEach((condition, expected) -> {
            Alert actual = liveLatest.get(condition);
            assertThat(actual).as("%s", condition).isNotNull();
            assertThat(List.of(actual.getState(), actual.getSince(), actual.getAlertId())).as("%s", condition)
                    .isEqualTo(List.of(expected.getState(), expected.getSince(), expected.getAlertId()));
        });
        // ... and a key the replay never wrote is not firing live.
        liveLatest.forEach((condition, actual) -> {
            if (!latest(replayed).containsKey(condition)) {
                assertThat(actual.getState()).as("%s", condition).isEqualTo(AlertState.RESOLVED);
            }
        });
    }

    @Test
    void shouldLeaveDecisionsStandingWhenTheLateEventsLieBeyondTheHorizon() {
        List<Integer> outage = List.of(30, 31);
        List<List<ActivityEvent>> history = history();
        Run run = start(AlertSettings.defaults().withRejudgeHorizonDays(3));
        List<Alert> live = live(run, history, outage, 40);

        // Fired on day 31 and recovered on day 33 live; the outage's events arrive on day 40, nine days after the
        // latest of them and beyond the 3-day horizon: the metrics take them, the alerts do not change.
        assertThat(of(live, AlertCondition.BELOW_BASELINE)).containsExactly(
                new AlertStep(31, AlertCondition.BELOW_BASELINE, AlertState.FIRING, 30) + "  ",
                new AlertStep(33, AlertCondition.BELOW_BASELINE, AlertState.RESOLVED, 30) + " RECOVERED ");
        List<DailyEngagement> day30 = run.daily().readValuesToList().stream()
                .filter(d -> d.getDay().equals(DAY_0.plusDays(30))).toList();
        assertThat(day30).isNotEmpty();
        assertThat(day30.get(day30.size() - 1).getThreads()).isEqualTo(6);
    }
}
