package org.communitypulse.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertActionLog;
import org.communitypulse.schemas.avro.AlertActionType;
import org.communitypulse.schemas.avro.AlertCondition;
import org.junit.jupiter.api.Test;

class AlertActionLogsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static AlertAction action(AlertActionType type, long atHours, Long untilHours, String alertId) {
        return AlertAction.newBuilder().setCommunityId("c").setCondition(AlertCondition.NO_ACTIVITY).setAction(type)
                .setAlertId(alertId).setUntil(untilHours == null ? null : T0.plusSeconds(3600 * untilHours))
                .setBy("scope:admin").setAt(T0.plusSeconds(3600 * atHours)).build();
    }

    private static AlertActionLog log(List<AlertAction> actions) {
        AlertActionLog log = null;
        for (AlertAction a : actions) {
            log = AlertActionLogs.add(log, a);
        }
        return log;
    }

    @Test
    void shouldKeepOneCopyInTimeOrderAndOnlyTheNewestWhenActionsRepeatOrOverflow() {
        List<AlertAction> actions = new ArrayList<>();
        for (int i = 0; i < AlertActionLogs.MAX_ACTIONS + 10; i++) {
            actions.add(action(AlertActionType.SNOOZE, i, i + 1L, null));
        }
        List<AlertAction> shuffled = new ArrayList<>(actions);
        shuffled.addAll(actions.subList(0, 20));
        Collections.shuffle(shuffled, new Random(3));
        AlertActionLog log = log(shuffled);
        assertThat(log.getActions()).isEqualTo(actions.subList(10, actions.size()));
        assertThat(log(actions)).isEqualTo(log);
    }

    @Test
    void shouldAnswerAsOfTheGivenTimeWhenSnoozesAndUnsnoozesFollowEachOther() {
        AlertActionLog log = log(List.of(action(AlertActionType.SNOOZE, 10, 20L, null),
                action(AlertActionType.UNSNOOZE, 15, null, null), action(AlertActionType.SNOOZE, 30, 40L, null)));
        assertThat(AlertActionLogs.snoozedUntil(log, T0.plusSeconds(3600 * 9))).isEmpty();
        assertThat(AlertActionLogs.snoozedUntil(log, T0.plusSeconds(3600 * 10))).contains(T0.plusSeconds(3600 * 20));
        assertThat(AlertActionLogs.snoozedUntil(log, T0.plusSeconds(3600 * 16))).as("unsnoozed").isEmpty();
        assertThat(AlertActionLogs.snoozedUntil(log, T0.plusSeconds(3600 * 35))).contains(T0.plusSeconds(3600 * 40));
        assertThat(AlertActionLogs.snoozedUntil(log, T0.plusSeconds(3600 * 40))).as("until is exclusive").isEmpty();
        assertThat(AlertActionLogs.snoozedUntil(null, T0)).isEmpty();
    }

    @Test
    void shouldFindTheAcknowledgementOfExactlyThatAlertWhenAsked() {
        AlertActionLog log = log(List.of(action(AlertActionType.ACKNOWLEDGE, 1, null, "c/NO_ACTIVITY/2026-11-01"),
                action(AlertActionType.ACKNOWLEDGE, 2, null, "c/NO_ACTIVITY/2026-11-20")));
        assertThat(AlertActionLogs.acknowledgement(log, "c/NO_ACTIVITY/2026-11-01")).hasValueSatisfying(
                a -> assertThat(a.getAt()).isEqualTo(T0.plusSeconds(3600)));
        assertThat(AlertActionLogs.acknowledgement(log, "c/NO_ACTIVITY/2026-11-30")).isEmpty();
    }

    @Test
    void shouldRefuseActionsThatCannotBeAppliedWhenRead() {
        assertThat(AlertActionsProcessor.problem(null)).isNotNull();
        assertThat(AlertActionsProcessor.problem(action(AlertActionType.SNOOZE, 5, null, null))).isNotNull();
        assertThat(AlertActionsProcessor.problem(action(AlertActionType.SNOOZE, 5, 5L, null))).isNotNull();
        assertThat(AlertActionsProcessor.problem(action(AlertActionType.ACKNOWLEDGE, 5, null, null))).isNotNull();
        assertThat(AlertActionsProcessor.problem(action(AlertActionType.UNKNOWN_ACTION, 5, null, null))).isNotNull();
        assertThat(AlertActionsProcessor.problem(action(AlertActionType.SNOOZE, 5, 6L, null))).isNull();
        assertThat(AlertActionsProcessor.problem(action(AlertActionType.UNSNOOZE, 5, null, null))).isNull();
    }
}
