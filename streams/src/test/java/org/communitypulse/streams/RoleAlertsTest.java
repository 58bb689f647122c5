package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.RoleAlertRun.at;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.alerts.AlertSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * REQUIRED_ROLE_VACANT and VIOLATION_OPEN_TOO_LONG on scripted role histories through the whole pipeline,
 * with the clock simulated as in {@link AlertsTest}: event time in replay mode, the driver's wall clock live.
 * Grace 3 days, violations may stay open 5 days; fire after 1 day, resolve after 2 (the defaults).
 */
class RoleAlertsTest {

    private static final LocalDate DAY_0 = AlertStep.DAY_0;
    private static final String C = RoleAlertRun.C;

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("role-alerts-test");

    private RoleAlertRun.Events events = new RoleAlertRun.Events();


    /**
     * Day 0: the three required roles are granted (sponsor to ann) and carl becomes a Corporate User without
     * the required training (corporate-user-untrained opens at 09:00). Day 2 10:00: ann's sponsor role is
     * revoked (vacant). Day 8 11:00: eve becomes sponsor. Day 10 12:00: carl completes the course. A thread and
     * its answer every day to day {@code days - 1} keep the community otherwise steady.
     */
    private List<List<ActivityEvent>> history(int days) {
        List<List<ActivityEvent>> history = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            List<ActivityEvent> day = new ArrayList<>();
            day.add(events.event(EventType.THREAD_CREATED, "asker", "t" + d, at(d, 8), Map.of()));
            day.add(events.event(EventType.REPLY_CREATED, "helper", "t" + d, at(d, 8).plusSeconds(600), Map.of()));
            // The holders act every day: a grant alone makes nobody active.
            day.addAll(events.active(d, "ann", "bob", "dev", "eve"));
            switch (d) {
                case 0 -> {
                    day.addAll(events.requiredRoles(0));
                    day.add(events.event(EventType.ROLE_GRANTED, "carl", null, at(0, 9),
                            Map.of("level", "corporate-user")));
                }
                case 2 -> day.add(events.role(EventType.ROLE_REVOKED, "ann", at(2, 10), "sponsor"));
                case 8 -> day.add(events.role(EventType.ROLE_GRANTED, "eve", at(8, 11), "sponsor"));
                case 10 -> day.add(events.event(EventType.TRAINING_COMPLETED, "carl", null, at(10, 12),
                        Map.of("course", "social-media-guidelines")));
                default -> { }
            }
            history.add(day);
        }
        return history;
    }

    private static final List<AlertStep> EXPECTED = List.of(
            // Vacant since day 2 10:00; 3 days' grace end on day 5 10:00.
            new AlertStep(5, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 5),
            // Open since day 0 09:00; 5 days end on day 5 09:00.
            new AlertStep(5, AlertCondition.VIOLATION_OPEN_TOO_LONG, AlertState.FIRING, 5),
            // Filled on day 8: recovered on days 8 and 9.
            new AlertStep(9, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.RESOLVED, 5),
            // Trained on day 10: recovered on days 10 and 11.
            new AlertStep(11, AlertCondition.VIOLATION_OPEN_TOO_LONG, AlertState.RESOLVED, 5));

    private List<Alert> replay(List<List<ActivityEvent>> history) {
        RoleAlertRun run = new RoleAlertRun(pipelines, AlertSettings.defaults().withWallClock(false));
        history.forEach(day -> day.forEach(e -> run.in.pipeInput(C, e)));
        run.driver.advanceWallClockTime(Duration.ofSeconds(1));
        return run.roleAlerts();
    }

    private List<Alert> live(List<List<ActivityEvent>> history, int extraDays) {
        RoleAlertRun run = new RoleAlertRun(pipelines, AlertSettings.defaults());
        List<Alert> alerts = new ArrayList<>();
        for (List<ActivityEvent> day : history) {
            day.forEach(e -> run.in.pipeInput(C, e));
            run.driver.advanceWallClockTime(Duration.ofDays(1));
            alerts.addAll(run.roleAlerts());
        }
        for (int i = 0; i < extraDays; i++) {
            run.driver.advanceWallClockTime(Duration.ofDays(1));
            alerts.addAll(run.roleAlerts());
        }
        return alerts;
    }

    @Test
    void shouldFireAfterTheGraceAndResolveAfterTheNewGrantWhenARequiredRoleIsRevokedAndAViolationStaysOpen() {
        List<Alert> alerts = replay(history(14));

        assertThat(alerts.stream().map(AlertStep::of).toList()).containsExactlyElementsOf(EXPECTED);
        Alert vacant = alerts.get(0);
        assertThat(vacant.getAlertId()).isEqualTo("acme/REQUIRED_ROLE_VACANT/2024-01-06");
        assertThat(vacant.getSeverity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(vacant.getEvidence()).containsEntry("roles", "sponsor")
                .containsEntry("vacantSince.sponsor", "2024-01-03T10:00:00Z").containsEntry("threshold.graceDays", "3");
        assertThat(alerts.get(2).getAlertId()).isEqualTo(vacant.getAlertId());
        Alert open = alerts.get(1);
        assertThat(open.getEvidence()).containsEntry("violations", "1")
                .containsEntry("oldest", "acme/corporate-user-untrained/carl/2024-01-01T09:00:00Z")
                .containsEntry("open", "corporate-user-untrained:carl").containsEntry("threshold.days", "5");
        assertThat(alerts.get(3).getAlertId()).isEqualTo(open.getAlertId()).isEqualTo(
                "acme/VIOLATION_OPEN_TOO_LONG/2024-01-06");
    }

    @Test
    void shouldGiveTheSameRoleAlertsLiveAsInReplayWhenTheHistoryIsTheSame() {
        List<List<ActivityEvent>> history = history(14);
        List<Alert> replayed = replay(history);
        events = new RoleAlertRun.Events();
        List<Alert> live = live(history(14), 0);

        // Replay judges up to the day before its last event (day 13); live has also judged day 13 by then.
        assertThat(live.stream().filter(a -> a.getDay().isBefore(DAY_0.plusDays(14))).toList())
                .containsExactlyElementsOf(replayed);
        assertThat(replayed.stream().map(AlertStep::of).toList()).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void shouldFireWhenNoEventArrivesAfterTheRevokeWhenTheWallClockMovesOn() {
        // Nothing after day 2: only the wall clock passes midnight.
        List<Alert> live = live(history(3), 4);

        assertThat(live.stream().map(AlertStep::of).toList()).containsExactly(
                new AlertStep(5, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 5),
                new AlertStep(5, AlertCondition.VIOLATION_OPEN_TOO_LONG, AlertState.FIRING, 5));
    }

    @Test
    void shouldNotFireWhenTheRoleIsFilledWithinTheGrace() {
        List<List<ActivityEvent>> history = history(14);
        // eve takes over on day 4 instead of day 8: vacant for under 3 days.
        history.get(8).removeIf(e -> e.getType() == EventType.ROLE_GRANTED);
        history.get(4).add(events.role(EventType.ROLE_GRANTED, "eve", at(4, 11), "sponsor"));

        assertThat(replay(history).stream().map(AlertStep::of).filter(s -> s.condition()
                == AlertCondition.REQUIRED_ROLE_VACANT)).isEmpty();
    }

    @Test
    void shouldNotJudgeACommunityWhenItHasTrainingRecordsButNoRegister() {
        List<List<ActivityEvent>> history = history(14);
        history.forEach(day -> day.removeIf(e -> e.getType() == EventType.ROLE_GRANTED
                || e.getType() == EventType.ROLE_REVOKED));

        assertThat(replay(history)).isEmpty();
    }

    /**
     * A sponsor who falls silent: ann posts on days 0 to 5 and again on day 40; bob and dev, the other required
     * roles, post every day. Active within 30 days, so the role is vacant from day 35 08:00 (ann's last post on
     * day 5 plus 30 days); 3 days' grace: fires on day 38; ann is back on day 40: resolves on day 41. A replay
     * knows ann's day-40 post while judging days 35 to 39 and must still see them as live did.
     */
    @Test
    void shouldGiveTheSameVacancyLiveAsInReplayWhenAHolderFallsSilentAndComesBack() {
        List<List<ActivityEvent>> history = new ArrayList<>();
        for (int d = 0; d < 44; d++) {
            List<ActivityEvent> day = new ArrayList<>();
            if (d <= 5 || d == 40) {
                day.add(events.event(EventType.THREAD_CREATED, "ann", "a" + d, at(d, 8), Map.of()));
            }
            day.add(events.event(EventType.THREAD_CREATED, "bob", "b" + d, at(d, 10), Map.of()));
            day.add(events.event(EventType.REPLY_CREATED, "dev", "b" + d, at(d, 11), Map.of()));
            if (d == 0) {
                day.addAll(events.requiredRoles(0));
            }
            history.add(day);
        }
        List<Alert> replayed = replay(history);
        List<Alert> live = live(history, 0);

        assertThat(replayed.stream().map(AlertStep::of).toList()).containsExactly(
                new AlertStep(38, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 38),
                new AlertStep(41, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.RESOLVED, 38));
        assertThat(replayed.get(0).getEvidence()).containsEntry("vacantSince.sponsor", "2024-02-05T08:00:00Z");
        assertThat(live.stream().filter(a -> a.getDay().isBefore(DAY_0.plusDays(43))).toList())
                .containsExactlyElementsOf(replayed);
    }

    /**
     * A holder's activity before their grant counts as it was on each day, whatever order it arrives in: ann posts on
     * days 0 to 5 and 40 and is granted sponsor on day 3; in the second replay her posts of days 4, 5 and 40 arrive
     * before the grant. Her last post before day 30 is then still day 5's (vacant from day 35, fires on day 38).
     */
    @Test
    void shouldJudgeAHoldersActivityBeforeTheGrantTheSameWhateverTheOrderItArrivesIn() {
        List<ActivityEvent> all = new ArrayList<>();
        for (int d = 0; d < 44; d++) {
            if (d <= 5 || d == 40) {
                all.add(events.event(EventType.THREAD_CREATED, "ann", "a" + d, at(d, 8), Map.of()));
            }
            all.add(events.event(EventType.THREAD_CREATED, "bob", "b" + d, at(d, 10), Map.of()));
            all.add(events.event(EventType.REPLY_CREATED, "dev", "b" + d, at(d, 11), Map.of()));
            if (d == 0) {
                all.add(events.role(EventType.ROLE_GRANTED, "bob", at(0, 9), "community-manager"));
                all.add(events.role(EventType.ROLE_GRANTED, "dev", at(0, 9), "technical-developer-designer"));
            }
            if (d == 3) {
                all.add(events.role(EventType.ROLE_GRANTED, "ann", at(3, 9), "sponsor"));
            }
        }
        List<ActivityEvent> early = all.stream().filter(e -> e.getThreadId() != null
                && List.of("a4", "a5", "a40").contains(e.getThreadId())).toList();
        List<ActivityEvent> reordered = new ArrayList<>(early);
        all.stream().filter(e -> !early.contains(e)).forEach(reordered::add);

        List<Alert> inOrder = replay(List.of(all));
        assertThat(inOrder.stream().map(AlertStep::of).toList()).containsExactly(
                new AlertStep(38, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.FIRING, 38),
                new AlertStep(41, AlertCondition.REQUIRED_ROLE_VACANT, AlertState.RESOLVED, 38));
        assertThat(replay(List.of(reordered))).containsExactlyElementsOf(inOrder);
    }
}
