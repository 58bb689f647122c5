package org.communitypulse.streams.maturity.internals;

import org.communitypulse.streams.common.AlertCorrection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.HealthAlertLifecycle;
import org.communitypulse.schemas.avro.HealthAlertSnapshot;
import org.communitypulse.schemas.avro.HealthAlertStep;
import org.communitypulse.schemas.avro.HealthStatus;

/**
 * {@link AlertCondition#HEALTH_AT_RISK}: a community's health state for a completed ISO week is AT_RISK
 * (WARNING) or STALLED (CRITICAL). Fires on the first such week; resolves after {@code resolveAfterWeeks}
 * consecutive completed weeks that are HEALTHY or THRIVING. The lifecycle is a function of the sequence of
 * completed weeks' health records only, judged in week order, so a replay and a live run give the same alerts.
 */
public final class HealthAlerts {

    /** Where lifecycle records go. */
    public interface Output {
        void alert(AlertKey key, Alert value);
    }

    /**
     * A community's lifecycle, stored as a {@link HealthAlertLifecycle}. Weeks are the epoch day of their
     * Monday.
     */
    public static final class Lifecycle {
        /** First week still to judge; null: the community's first week. */
        private Integer next;
        /** False until judging starts: until then {@link #next} follows the community's first week. */
        private boolean started;
        /** The newest completed week that has a health record (what judging must reach). */
        private Integer due;
        /** The earliest judged week whose health record changed since: judged again from there. */
        private Integer rejudgeFrom;
        /** First unhealthy week of the open alert, or null. */
        private Integer openSince;
        private String openSeverity;
        private int recovered;
        /** The latest record written ({@code STATE since}, see {@link AlertCorrection#step}), or null. */
        private String last;
        /** The lifecycle as it was before each judged week within the re-judge horizon, by Monday. */
        private final TreeMap<Integer, Step> before = new TreeMap<>();

        /** A community with nothing judged yet. */
        public Lifecycle() {
        }

        /** The stored lifecycle, or a new one for null. */
        static Lifecycle of(HealthAlertLifecycle stored) {
            Lifecycle life = new Lifecycle();
            if (stored != null) {
                life.next = stored.getNext();
                life.started = stored.getStarted();
                life.due = stored.getDue();
                life.rejudgeFrom = stored.getRejudgeFrom();
                life.restore(Step.of(stored.getStep()));
                for (HealthAlertSnapshot snapshot : stored.getBefore()) {
                    life.before.put(snapshot.getMonday(), Step.of(snapshot.getStep()));
                }
            }
            return life;
        }

        /** What is stored: the snapshots in week order. */
        HealthAlertLifecycle toAvro() {
            List<HealthAlertSnapshot> snapshots = new ArrayList<>(before.size());
            before.forEach((monday, step) -> snapshots.add(new HealthAlertSnapshot(monday, step.toAvro())));
            return new HealthAlertLifecycle(next, started, due, rejudgeFrom, step().toAvro(), snapshots);
        }

        /** Whether completed weeks wait for judging (a replay waits for none). */
        boolean pending() {
            return due != null && (next == null || next <= due || rejudgeFrom != null);
        }

        /** Whether there is anything to judge now: a first week known and weeks due or to judge again. */
        boolean judgeable() {
            return due != null && next != null && (next <= due || rejudgeFrom != null);
        }

        /**
         * The community's weeks were scored: {@code lastComplete} is the newest complete week, {@code changedFrom}
         * the earliest week whose health record changed ({@link Integer#MAX_VALUE} for none).
         */
        void scored(int firstMonday, int lastComplete, int changedFrom) {
            if (next == null || !started) {
                // Until judging starts (behind a replay's gate, until the community is emitted), the first week to
                // judge is the community's first as known then, not as the first emission saw it (in a shuffled
                // replay, a handful of late events).
                started = false;
                next = firstMonday;
            }
            due = due == null ? lastComplete : Math.max(due, lastComplete);
            if (started && changedFrom < next && (rejudgeFrom == null || changedFrom < rejudgeFrom)) {
                // A judged week was scored again (late events): judge from it again, within the horizon.
                rejudgeFrom = Math.max(changedFrom, firstMonday);
            }
        }

        Step step() {
            return new Step(openSince, openSeverity, recovered, last);
        }

        void restore(Step step) {
            openSince = step.openSince();
            openSeverity = step.openSeverity();
            recovered = step.recovered();
            last = step.last();
        }
    }

    /** The judging part of a {@link Lifecycle}, snapshotted per week. */
    record Step(Integer openSince, String openSeverity, int recovered, String last) {

        static Step of(HealthAlertStep stored) {
            return new Step(stored.getOpenSince(), stored.getOpenSeverity(), stored.getRecovered(), stored.getLast());
        }

        HealthAlertStep toAvro() {
            return new HealthAlertStep(openSince, openSeverity, recovered, last);
        }
    }

    private final int resolveAfterWeeks;

    public HealthAlerts(int resolveAfterWeeks) {
        if (resolveAfterWeeks < 1) {
            throw new IllegalArgumentException("resolveAfterWeeks must be >= 1");
        }
        this.resolveAfterWeeks = resolveAfterWeeks;
    }

    /**
     * Judges the completed weeks from {@code life.next} to {@code life.due} in order, after judging again (from their
     * snapshot) the weeks from {@code life.rejudgeFrom} when a health record of a judged week changed since, within
     * {@code horizonWeeks} (live convergence: what was written is corrected, see {@link AlertCorrection}). The health
     * records come from {@code healths} by Monday; a week without a complete record is skipped.
     *
     * @param written the latest record written for the community's HEALTH_AT_RISK, or null
     */
    public void judgeThrough(String community, Lifecycle life, java.util.function.IntFunction<CommunityHealth> healths,
                             int horizonWeeks, Alert written, Output out) {
        Integer late = life.rejudgeFrom;
        life.rejudgeFrom = null;
        if (late != null && horizonWeeks > 0 && life.before.containsKey(late)) {
            life.restore(life.before.get(late));
            java.util.List<Alert> replayed = new java.util.ArrayList<>();
            CommunityHealth latest = null;
            for (int monday = late; monday < life.next; monday += 7) {
                life.before.put(monday, life.step());
                CommunityHealth health = healths.apply(monday);
                if (health != null && health.getComplete()) {
                    latest = health;
                    judge(health, life, (key, value) -> replayed.add(value));
                }
            }
            CommunityHealth evidenceOf = latest;
            AlertKey key = new AlertKey(community, AlertCondition.HEALTH_AT_RISK);
            int lastJudged = life.next - 1;
            AlertCorrection.correct(key, written, life.last, replayed, (state, since, what) -> {
                Lifecycle shown = new Lifecycle();
                shown.openSince = since;
                shown.openSeverity = life.openSeverity != null ? life.openSeverity : AlertSeverity.WARNING.name();
                String summary = "Corrected: HEALTH_AT_RISK in " + community + " (since "
                        + java.time.LocalDate.ofEpochDay(since) + ") " + what;
                return evidenceOf == null ? null : alert(evidenceOf, shown, state, summary);
            }, late, lastJudged, value -> {
                written(life, value);
                out.alert(key, value);
            });
        }
        life.started = true;
        for (; life.next <= life.due; life.next += 7) {
            if (horizonWeeks > 0 && life.next >= life.due - 7 * horizonWeeks) {
                life.before.put(life.next, life.step());
            }
            CommunityHealth health = healths.apply(life.next);
            if (health == null || !health.getComplete()) {
                continue; // cannot happen for a week up to due; skipping keeps a replay's wait finite
            }
            judge(health, life, out);
        }
        life.before.headMap(life.due - 7 * horizonWeeks).clear();
    }

    private static void written(Lifecycle life, Alert value) {
        life.last = AlertCorrection.step(value);
    }

    /** Judges one completed week's health record, updating {@code life}. */
    public void judge(CommunityHealth health, Lifecycle life, Output sink) {
        Output out = (key, value) -> {
            written(life, value);
            sink.alert(key, value);
        };
        HealthStatus state = health.getState();
        boolean unhealthy = state == HealthStatus.AT_RISK || state == HealthStatus.STALLED;
        boolean healthy = state == HealthStatus.HEALTHY || state == HealthStatus.THRIVING;
        int monday = (int) health.getPeriodStart().toEpochDay();
        if (life.openSince == null) {
            if (unhealthy) {
                life.openSince = monday;
                life.openSeverity = (state == HealthStatus.STALLED ? AlertSeverity.CRITICAL : AlertSeverity.WARNING).name();
                life.recovered = 0;
                out.alert(key(health), alert(health, life, AlertState.FIRING, "Health of "
                        + health.getCommunityId() + " is " + state + " in the week of " + health.getPeriodStart()
                        + " (score " + Math.round(health.getScore()) + ")"));
            }
            return;
        }
        // An unknown state neither fires nor counts as recovery: it breaks a recovery streak.
        life.recovered = healthy ? life.recovered + 1 : 0;
        if (life.recovered >= resolveAfterWeeks) {
            Alert resolved = alert(health, life, AlertState.RESOLVED, "Resolved: health of "
                    + health.getCommunityId() + " is " + state + " again for " + resolveAfterWeeks
                    + " week(s) to " + health.getPeriodEnd());
            life.openSince = null;
            life.openSeverity = null;
            life.recovered = 0;
            out.alert(key(health), resolved);
        }
    }

    private static AlertKey key(CommunityHealth health) {
        return new AlertKey(health.getCommunityId(), AlertCondition.HEALTH_AT_RISK);
    }

    private Alert alert(CommunityHealth health, Lifecycle life, AlertState state, String summary) {
        java.time.LocalDate since = java.time.LocalDate.ofEpochDay(life.openSince);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("week", health.getPeriodStart().toString());
        evidence.put("state", health.getState().name());
        evidence.put("score", String.format(java.util.Locale.ROOT, "%.1f", health.getScore()));
        if (health.getPreviousState() != null) {
            evidence.put("previousState", health.getPreviousState().name());
        }
        evidence.put("threshold.resolveAfterWeeks", Integer.toString(resolveAfterWeeks));
        return Alert.newBuilder()
                .setAlertId(health.getCommunityId() + "/" + AlertCondition.HEALTH_AT_RISK.name() + "/" + since)
                .setCommunityId(health.getCommunityId())
                .setCondition(AlertCondition.HEALTH_AT_RISK)
                .setState(state)
                .setSeverity(AlertSeverity.valueOf(life.openSeverity))
                .setSince(since)
                .setDay(health.getPeriodEnd())
                .setSummary(summary)
                .setEvidence(evidence)
                .build();
    }
}
