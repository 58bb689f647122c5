package org.communitypulse.streams;

import java.time.LocalDate;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertState;

/**
 * One step of an alert lifecycle as the alert tests read it: the day and the since day as indexes from
 * {@link #DAY_0}, the condition and the state.
 */
record AlertStep(int day, AlertCondition condition, AlertState state, int since) {

    /** Day 0 of the scripted histories: a Monday. */
    static final LocalDate DAY_0 = LocalDate.parse("2024-01-01");

    static AlertStep of(Alert a) {
        return new AlertStep((int) (a.getDay().toEpochDay() - DAY_0.toEpochDay()), a.getCondition(), a.getState(),
                (int) (a.getSince().toEpochDay() - DAY_0.toEpochDay()));
    }
}
