package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.RoleAlertRun.at;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.alerts.AlertSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live convergence of the role alerts (docs/alerts.md): a role event that arrives after the days it changes were
 * judged has those days judged again at the next punctuation, from the snapshot of the day before, and correcting
 * records bring each role AlertKey's latest record to what a replay of the same events ends with. Grace 3 days.
 */
class RoleAlertConvergenceTest {

    private static final LocalDate DAY_0 = AlertStep.DAY_0;
    private static final String C = RoleAlertRun.C;
    private static final int DAYS = 20;

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("role-alert-convergence-test");

    private final RoleAlertRun.Events events = new RoleAlertRun.Events();


    /**
     * Day 0: the three required roles are granted (sponsor ann, community manager bob). Day 2 10:00 ann's sponsor role
     * is revoked; day 4 11:00 eve becomes sponsor, within the grace: never overdue. With {@code bobLeaves}, bob's role
     * is revoked on day 10 08:00 and nobody takes over: overdue on day 13 08:00. A thread and its answer every day.
     */
    private List<List<ActivityEvent>> history(boolean bobLeaves) {
        List<List<ActivityEvent>> history = new ArrayList<>();
        for (int d = 0; d < DAYS; d++) {
            List<ActivityEvent> day = new ArrayList<>();
            day.add(events.event(EventType.THREAD_CREATED, "asker", "t" + d, at(d, 7), Map.of()));
            day.add(events.event(EventType.REPLY_CREATED, "helper", "t" + d, at(d, 7).plusSeconds(600), Map.of()));
            // The holders act every day: a grant alone makes nobody active.
            day.addAll(events.active(d, "ann", "bob", "dev", "eve"));
            switch (d) {
                case 0 -> {
                    day.addAll(events.requiredRoles(0));
                }
                case 2 -> day.add(events.role(EventType.ROLE_REVOKED, "ann", at(2, 10), "sponsor"));
                case 4 -> day.add(events.role(EventType.ROLE_GRANTED, "eve", at(4, 11), "sponsor"));
                case 10 -> {
                    if (bobLeaves) {
                        day.add(events.event(EventType.ROLE_REVOKED, "bob", null, at(10, 8),
                                Map.of("role", "community-manager")));
                    }
                }
                default -> { }
            }
            history.add(day);
        }
        return history;
    }

    /** The role event of {@code day} (there is one at most), to arrive on {@code arrives}. */
    private static Map.Entry<ActivityEvent, Integer> roleEvent(List<List<ActivityEvent>> history, int day,
                                                               int arrives) {
        return Map.entry(history.get(day).stream().filter(e -> e.getType() == EventType.ROLE_GRANTED
                || e.getType() == EventType.ROLE_REVOKED).findFirst().orElseThrow(), arrives);
    }

    /**
     * Live: each day's events during the day, then midnight passes on the wall clock; each event of {@code late}
     * arrives with the events of the day it maps to instead.
     */
    @SafeVarargs
    private List<Alert> live(AlertSettings settings, List<List<ActivityEvent>> history,
                             Map.Entry<ActivityEvent, Integer>... late) {
        RoleAlertRun run = new RoleAlertRun(pipelines, settings);
        List<List<ActivityEvent>> arrivals = new ArrayList<>();
        history.forEach(day -> arrivals.add(new ArrayList<>(day)));
        for (Map.Entry<ActivityEvent, Integer> moved : late) {
            arrivals.forEach(day -> day.remove(moved.getKey()));
            arrivals.get(moved.getValue()).add(moved.getKey());
        }
        List<Alert> written = new ArrayList<>();
        for (List<ActivityEvent> day : arrivals) {
            day.forEach(e -> run.in.pipeInput(C, e));
            run.driver.advanceWallClockTime(Duration.ofDays(1));
            written.addAll(run.roleAlerts());
        }
        return written;
    }

    private List<Alert> replay(List<List<ActivityEvent>> history) {
        RoleAlertRun run = new RoleAlertRun(pipelines, AlertSettings.defaults().withWallClock(false));
        history.forEach(day -> day.forEach(e -> run.in.pipeInput(C, e)));
        run.driver.advanceWallClockTime(Duration.ofSeconds(1));
        return run.roleAlerts();
    }

    private static List<String> steps(List<Alert> alerts) {
        return alerts.stream().map(a -> AlertStep.of(a) + " " + a.getEvidence().getOrDefault("resolvedBy", "") + " "
                + a.getEvidence().getOrDefault("corrected", "")).toList();
    }

    private static Map<AlertCondition, Alert> latest(List<Alert> alerts) {
        Map<AlertCondition, Alert> latest = new TreeMap<>();
        alerts.forEach(a -> latest.put(a.getCondition(), a));
        return latest;
    }

    @Test
    void shouldRetractAVacancyALateGrantFilledAndWriteOneALateRevokeOpenedAndEndAsTheReplayEnds() {
        List<List<ActivityEvent>> history = history(true);
        // eve's grant of day 4 arrives on day 7, bob's revoke of day 10 on day 16.
        List<Alert> live = live(AlertSettings.defaults(), history, roleEvent(history, 4, 7),
                roleEvent(history, 10, 16));
        List<Alert> replayed = replay(history);

        assertThat(steps(replayed)).containsExactly(
                new AlertStep(13, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 13) + "  ");
        // Without eve's grant the sponsor looked vacant beyond the grace: fired on day 5. The grant, judged again from
        // day 4, fills it within the grace: retracted on day 6, the last day judged when it came. bob's revoke, judged
        // again from day 10, makes the community manager vacant beyond the grace on day 13: written with its real
        // since and day when it arrives.
        assertThat(steps(live)).containsExactly(
                new AlertStep(5, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 5) + "  ",
                new AlertStep(6, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.RESOLVED, 5) + " CORRECTED true",
                new AlertStep(13, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 13) + "  true");
        assertThat(live.get(0).getEvidence()).containsEntry("roles", "sponsor");
        assertThat(live.get(1).getAlertId()).isEqualTo(live.get(0).getAlertId());
        assertThat(live.get(1).getEvidence()).containsEntry("corrected.lateFrom", DAY_0.plusDays(4).toString())
                .containsEntry("corrected.rejudgedThrough", DAY_0.plusDays(6).toString());
        assertThat(live.get(2).getEvidence()).containsEntry("roles", "community-manager")
                .containsEntry("corrected.lateFrom", DAY_0.plusDays(10).toString())
                .containsEntry("corrected.rejudgedThrough", DAY_0.plusDays(15).toString());

        // Converged: each role key ends as in the replay (state, since, alertId).
        Map<AlertCondition, Alert> liveLatest = latest(live);
        assertThat(liveLatest.keySet()).isEqualTo(latest(replayed).keySet());
        latest(replayed).forEach((condition, expected) -> {
            Alert actual = liveLatest.get(condition);
            assertThat(List.of(actual.getState(), actual.getSince(), actual.getAlertId())).as("%s", condition)
                    .isEqualTo(List.of(expected.getState(), expected.getSince(), expected.getAlertId()));
        });
    }

    /**
     * A holder's late activity: sponsor ann posts on days 0 to 5 and 36, bob and dev every day. Without her day-36
     * post she is inactive for 30 days from day 5 08:00: vacant from day 35, overdue (3 days' grace) on day 38. The
     * post arrives on day 39: judged again from day 36, she covers the role; the alert is retracted.
     */
    @Test
    void shouldRetractAVacancyWhenAHoldersLateActivityCoversTheRole() {
        List<List<ActivityEvent>> history = new ArrayList<>();
        ActivityEvent lateActivity = null;
        for (int d = 0; d < 42; d++) {
            List<ActivityEvent> day = new ArrayList<>();
            if (d <= 5 || d == 36) {
                day.add(events.event(EventType.THREAD_CREATED, "ann", "a" + d, at(d, 8), Map.of()));
                if (d == 36) {
                    lateActivity = day.get(0);
                }
            }
            day.add(events.event(EventType.THREAD_CREATED, "bob", "b" + d, at(d, 10), Map.of()));
            day.add(events.event(EventType.REPLY_CREATED, "dev", "b" + d, at(d, 11), Map.of()));
            if (d == 0) {
                day.addAll(events.requiredRoles(0));
            }
            history.add(day);
        }
        List<Alert> live = live(AlertSettings.defaults(), history, Map.entry(lateActivity, 39));

        assertThat(steps(live)).containsExactly(
                new AlertStep(38, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 38) + "  ",
                new AlertStep(38, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.RESOLVED, 38) + " CORRECTED true");
        assertThat(live.get(1).getEvidence()).containsEntry("corrected.lateFrom", DAY_0.plusDays(36).toString());
        // A replay never fires: the latest record live, the retraction, is the only one a key a replay never writes
        // may end with.
        assertThat(replay(history)).isEmpty();
    }

    @Test
    void shouldLeaveTheVacancyStandingWhenTheLateGrantLiesBeyondTheHorizon() {
        List<List<ActivityEvent>> history = history(false);
        // eve's grant of day 4 arrives on day 12, eight days after it and beyond the 3-day horizon.
        List<Alert> live = live(AlertSettings.defaults().withRejudgeHorizonDays(3), history,
                roleEvent(history, 4, 12));

        // The vacancy judged on days 5 to 11 stands; from day 12 eve holds the role: recovered on days 12 and 13.
        assertThat(steps(live)).containsExactly(
                new AlertStep(5, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 5) + "  ",
                new AlertStep(13, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.RESOLVED, 5) + "  ");
        assertThat(replay(history)).isEmpty();
    }
}
