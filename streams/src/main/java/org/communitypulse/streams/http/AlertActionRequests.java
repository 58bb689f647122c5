package org.communitypulse.streams.http;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertActionType;
import org.communitypulse.schemas.avro.AlertCondition;

/**
 * Turns an acknowledge / snooze / unsnooze request into an {@link AlertAction}, or refuses it with a message
 * for a 400. Nothing here trusts the request: the condition is one of the known symbols, the alert id must
 * belong to the community and condition named in the path, a snooze ends in the future and within
 * {@link #MAX_SNOOZE}, a note is short and printable.
 */
final class AlertActionRequests {

    /** Longest snooze: an alert silenced for longer should be fixed or its threshold changed instead. */
    static final Duration MAX_SNOOZE = Duration.ofDays(30);
    static final int MAX_NOTE = 500;
    static final int MAX_ID = 200;

    private final Clock clock;

    AlertActionRequests(Clock clock) {
        this.clock = clock;
    }

    AlertAction acknowledge(String community, String condition, String alertId, String note, String by) {
        AlertCondition known = condition(condition);
        String id = community(community);
        if (alertId == null || alertId.isBlank()) {
            throw new IllegalArgumentException("alertId is required: the id of the alert being acknowledged");
        }
        if (!alertId.startsWith(id + "/" + known.name() + "/") || alertId.length() > MAX_ID * 2
                || alertId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("alertId does not belong to " + id + " and " + known.name());
        }
        return action(id, known, AlertActionType.ACKNOWLEDGE, alertId, null, note, by);
    }

    AlertAction snooze(String community, String condition, String until, String note, String by) {
        AlertCondition known = condition(condition);
        String id = community(community);
        Instant now = clock.instant();
        Instant end = until(until, now);
        if (!end.isAfter(now)) {
            throw new IllegalArgumentException("until must be in the future");
        }
        if (end.isAfter(now.plus(MAX_SNOOZE))) {
            throw new IllegalArgumentException("until must be within " + MAX_SNOOZE.toDays() + " days");
        }
        return action(id, known, AlertActionType.SNOOZE, null, end, note, by);
    }

    AlertAction unsnooze(String community, String condition, String note, String by) {
        return action(community(community), condition(condition), AlertActionType.UNSNOOZE, null, null, note, by);
    }

    private AlertAction action(String community, AlertCondition condition, AlertActionType type, String alertId,
                               Instant until, String note, String by) {
        return AlertAction.newBuilder().setCommunityId(community).setCondition(condition).setAction(type)
                .setAlertId(alertId).setUntil(until).setBy(by).setAt(clock.instant()).setNote(note(note)).build();
    }

    private static String community(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID || id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("invalid community id");
        }
        return id;
    }

    private static AlertCondition condition(String name) {
        try {
            AlertCondition condition = AlertCondition.valueOf(name.trim().toUpperCase(Locale.ROOT));
            if (condition != AlertCondition.UNKNOWN_CONDITION) {
                return condition;
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            // refused below
        }
        throw new IllegalArgumentException("unknown alert condition: " + name);
    }

    /** An ISO-8601 instant (2026-12-08T09:00:00Z) or duration from now (PT24H, P1D). */
    private static Instant until(String value, Instant now) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("until is required: an ISO instant or duration (e.g. PT24H)");
        }
        String text = value.trim();
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return now.plus(Duration.parse(text));
            }
            return Instant.parse(text);
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("until must be an ISO instant or duration (e.g. PT24H)");
        }
    }

    private static String note(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        if (note.length() > MAX_NOTE || note.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new IllegalArgumentException("note must be at most " + MAX_NOTE + " printable characters");
        }
        return note;
    }
}
