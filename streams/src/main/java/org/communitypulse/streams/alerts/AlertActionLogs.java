package org.communitypulse.streams.alerts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertActionLog;
import org.communitypulse.schemas.avro.AlertActionType;

/**
 * What the actions on one community's condition mean at a given instant. The log holds the actions sorted by
 * their own time ({@code at}, ties broken by every other field), so it is the same whatever order the actions
 * arrived in, and each question is answered "as of" an event time, never the wall clock: a replay of the same
 * actions and alerts marks the same records.
 */
public final class AlertActionLogs {

    /** Actions kept per (community, condition); the oldest go first. Enough for weeks of clicking. */
    public static final int MAX_ACTIONS = 64;

    static final Comparator<AlertAction> ORDER = Comparator.comparing(AlertAction::getAt)
            .thenComparing(a -> a.getAction().ordinal())
            .thenComparing(a -> a.getBy().toString())
            .thenComparing(a -> Objects.toString(a.getAlertId(), ""))
            .thenComparing(a -> a.getUntil() == null ? Instant.MIN : a.getUntil())
            .thenComparing(a -> Objects.toString(a.getNote(), ""));

    private AlertActionLogs() {
    }

    /** {@code log} with {@code action} in its place (a duplicate, e.g. a redelivered record, is kept once). */
    public static AlertActionLog add(AlertActionLog log, AlertAction action) {
        List<AlertAction> actions = new ArrayList<>(log == null ? List.of() : log.getActions());
        if (actions.stream().noneMatch(a -> ORDER.compare(a, action) == 0)) {
            actions.add(action);
        }
        actions.sort(ORDER);
        if (actions.size() > MAX_ACTIONS) {
            actions = new ArrayList<>(actions.subList(actions.size() - MAX_ACTIONS, actions.size()));
        }
        return new AlertActionLog(actions);
    }

    /** The latest acknowledgement of exactly this alert: one of an earlier alert of the condition does not carry over. */
    public static Optional<AlertAction> acknowledgement(AlertActionLog log, CharSequence alertId) {
        AlertAction found = null;
        if (log != null && alertId != null) {
            for (AlertAction action : log.getActions()) {
                if (action.getAction() == AlertActionType.ACKNOWLEDGE && action.getAlertId() != null
                        && action.getAlertId().toString().equals(alertId.toString())) {
                    found = action;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The end of the snooze in force at {@code time}: the latest SNOOZE or UNSNOOZE taken by then decides. */
    public static Optional<Instant> snoozedUntil(AlertActionLog log, Instant time) {
        AlertAction latest = null;
        if (log != null) {
            for (AlertAction action : log.getActions()) {
                boolean snoozeOrNot = action.getAction() == AlertActionType.SNOOZE
                        || action.getAction() == AlertActionType.UNSNOOZE;
                if (snoozeOrNot && !action.getAt().isAfter(time)) {
                    latest = action;
                }
            }
        }
        if (latest == null || latest.getAction() != AlertActionType.SNOOZE || latest.getUntil() == null
                || !time.isBefore(latest.getUntil())) {
            return Optional.empty();
        }
        return Optional.of(latest.getUntil());
    }

    /**
     * The event time of an alert record: the end of the day it judged (when that day was complete). Not the
     * moment it was computed, which differs between a live run and a replay.
     */
    public static Instant eventTime(Alert alert) {
        LocalDate day = alert.getDay();
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
