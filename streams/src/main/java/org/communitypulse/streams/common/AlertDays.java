package org.communitypulse.streams.common;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertSnapshot;
import org.communitypulse.schemas.avro.AlertState;

/**
 * The day loop of every family whose alerts are judged one UTC day at a time (engagement's day conditions, roles'):
 * judging days in order while keeping the snapshots of live convergence, and judging again from a day that got late
 * events, correcting what was written (docs/alerts.md). The family says how a day is judged and what its alert
 * state is; the order of snapshots, tracking and corrections is the same for all.
 */
public final class AlertDays {

    /** One family's judgement of one community, as the shared loop drives it. */
    public interface Judge {
        /** Judges {@code day}, stepping each condition's lifecycle into {@code out}; each condition's evidence. */
        Map<AlertCondition, Map<String, String>> judge(int day, AlertCorrection.Output out);

        /** The community's alert state now, with {@code last} (each condition's latest {@link AlertCorrection#step}). */
        AlertSnapshot snapshot(Map<String, String> last);

        /** Puts the community's alert state back to {@code snapshot}. */
        void restore(AlertSnapshot snapshot);

        /** A correcting record the re-judged days did not write themselves. */
        Alert record(AlertCondition condition, AlertState state, int since, int day, String summary,
                     Map<String, String> evidence);
    }

    private AlertDays() {
    }

    /**
     * Judges {@code from .. through} in order, keeping each day's snapshot within the horizon of {@code history}
     * (null: no re-judging); {@code first}: the community was never judged, so the origin is kept before {@code from}.
     */
    public static void judge(AlertSnapshots history, String community, List<AlertCondition> conditions, int from,
                             int through, boolean first, Judge judge, AlertCorrection.Output out) {
        Map<String, String> last = history == null ? new HashMap<>()
                : AlertCorrection.latestSteps(community, conditions, out);
        if (history != null && first) {
            history.keep(community, from - 1, AlertSnapshots.origin(), through);
        }
        AlertCorrection.Output tracked = AlertCorrection.tracking(out, last);
        for (int day = from; day <= through; day++) {
            judge.judge(day, tracked);
            if (history != null) {
                history.keep(community, day, judge.snapshot(last), through);
            }
        }
        if (history != null) {
            history.forgetBeyond(community, through);
        }
    }

    /**
     * Judges {@code from .. judged} again from the snapshot of the day before {@code from}, and writes what brings each
     * condition's latest record to what the re-judged days end with (what a replay gives). Beyond the horizon (no
     * snapshot), or without {@code history}, nothing is judged again: the decision stands.
     *
     * @param lateFrom the earliest day that got late events (the correcting records say so)
     */
    public static void rejudge(AlertSnapshots history, String community, List<AlertCondition> conditions, int from,
                               int lateFrom, int judged, Judge judge, AlertCorrection.Output out) {
        if (history == null || from > judged) {
            return;
        }
        AlertSnapshot base = history.before(community, from);
        if (base == null) {
            return;
        }
        judge.restore(base);
        Map<String, String> last = new HashMap<>(base.getLast());
        Map<AlertCondition, List<Alert>> replayed = new EnumMap<>(AlertCondition.class);
        AlertCorrection.Output capture = AlertCorrection.tracking((key, value) -> replayed.computeIfAbsent(
                key.getCondition(), k -> new ArrayList<>()).add(value), last);
        Map<AlertCondition, Map<String, String>> evidence = Map.of();
        for (int day = from; day <= judged; day++) {
            evidence = judge.judge(day, capture);
            history.keep(community, day, judge.snapshot(last), judged);
        }
        for (AlertCondition condition : conditions) {
            AlertKey key = new AlertKey(community, condition);
            Map<String, String> lastEvidence = evidence.getOrDefault(condition, Map.of());
            AlertCorrection.correct(key, out.latest(key), last.get(condition.name()),
                    replayed.getOrDefault(condition, List.of()), (state, since, what) -> judge.record(condition, state,
                            since, judged, "Corrected: " + condition.name() + " in " + community + " (since "
                                    + LocalDate.ofEpochDay(since) + ") " + what, lastEvidence),
                    lateFrom, judged, value -> out.alert(key, value));
        }
    }
}
