package org.communitypulse.streams.roles.internals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertSnapshot;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.RoleLineChange;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.AlertCorrection;
import org.communitypulse.streams.common.AlertDays;
import org.communitypulse.streams.common.AlertCorrection.Output;
import org.communitypulse.streams.common.AlertSnapshots;
import org.communitypulse.streams.common.Days;
import org.communitypulse.streams.roles.RoleAlertSettings;
import org.communitypulse.streams.roles.RolesEvaluator;
import org.communitypulse.streams.roles.RolesState;

/**
 * The alert conditions of the roles family, judged one completed UTC day at a time like
 * {@code AlertEvaluator}'s (same lifecycle: FIRING once, RESOLVED once, fire after
 * {@code alert.fire.after.days} holding days, resolve after {@code alert.resolve.after.days} recovered ones):
 * <ul>
 *   <li>{@link AlertCondition#REQUIRED_ROLE_VACANT}: a required role without an active holder for at least
 *       the grace period by the end of the day;</li>
 *   <li>{@link AlertCondition#VIOLATION_OPEN_TOO_LONG}: a policy violation (other than required-role-vacant,
 *       which the first condition covers) open for at least the threshold by the end of the day.</li>
 * </ul>
 * A day is judged from the history as of its end (grants, revokes, trainings and holders' activity up to
 * then), so judging it late, in a replay, gives what judging it at midnight gave.
 */
final class RoleAlerts {

    /** A member's latest event time at or before the end of a day, or Long.MIN_VALUE. */
    interface ActivityAsOf {
        long lastActive(String member, int day);
    }

    static final List<AlertCondition> CONDITIONS = List.of(AlertCondition.REQUIRED_ROLE_VACANT,
            AlertCondition.VIOLATION_OPEN_TOO_LONG);
    private static final int MAX_LISTED = 10;

    private final RolesEvaluator evaluator;
    private final AlertSettings lifecycle;
    private final RoleAlertSettings thresholds;
    /** Snapshots for live convergence, or null: a decision once written stands. */
    private final AlertSnapshots history;

    RoleAlerts(RolesEvaluator evaluator, AlertSettings lifecycle, RoleAlertSettings thresholds) {
        this(evaluator, lifecycle, thresholds, null);
    }

    RoleAlerts(RolesEvaluator evaluator, AlertSettings lifecycle, RoleAlertSettings thresholds,
               AlertSnapshots history) {
        this.evaluator = evaluator;
        this.lifecycle = lifecycle;
        this.thresholds = thresholds;
        this.history = history;
    }

    /** One day's verdict on one condition; {@code since} is the first day it held. */
    private record Verdict(boolean holds, int since, String summary, Map<String, String> evidence) {
    }

    /**
     * Judges the days {@code from .. through} in order, keeping the snapshot of each within the re-judge horizon
     * ({@code first}: the community was never judged, so the origin is kept before {@code from}).
     */
    void judgeDays(String community, RolesState state, int from, int through, boolean first, ActivityAsOf activity,
                   Output out) {
        AlertDays.judge(history, community, CONDITIONS, from, through, first, new JudgedDays(community, state, activity), out);
    }

    /**
     * Judges the days from {@code lateFrom} (which got late role events or a holder's late activity) to
     * {@code judged} again, from the snapshot of the day before, and writes what brings each condition's latest record
     * to what the re-judged history ends with (what a replay gives). Beyond the horizon nothing is judged again.
     */
    void rejudge(String community, RolesState state, int lateFrom, int judged, ActivityAsOf activity, Output out) {
        AlertDays.rejudge(history, community, CONDITIONS, Math.max(lateFrom, firstDay(state)), lateFrom, judged,
                new JudgedDays(community, state, activity), out);
    }

    /** One community's days as {@link AlertDays} judges them: its alert state lives in its {@link RolesState}. */
    private final class JudgedDays implements AlertDays.Judge {
        private final String community;
        private final RolesState state;
        private final ActivityAsOf activity;

        JudgedDays(String community, RolesState state, ActivityAsOf activity) {
            this.community = community;
            this.state = state;
            this.activity = activity;
        }

        @Override
        public Map<AlertCondition, Map<String, String>> judge(int day, AlertCorrection.Output out) {
            Map<AlertCondition, Map<String, String>> evidence = new java.util.EnumMap<>(AlertCondition.class);
            RoleAlerts.this.judge(community, state, day, activity, out)
                    .forEach((condition, verdict) -> evidence.put(condition, verdict.evidence()));
            return evidence;
        }

        @Override
        public AlertSnapshot snapshot(Map<String, String> last) {
            return AlertSnapshot.newBuilder().setOpen(new HashMap<>(state.openAlerts()))
                    .setStreaks(new HashMap<>(state.alertStreaks())).setLast(new HashMap<>(last)).build();
        }

        @Override
        public void restore(AlertSnapshot snapshot) {
            state.openAlerts().clear();
            state.openAlerts().putAll(snapshot.getOpen());
            state.alertStreaks().clear();
            state.alertStreaks().putAll(snapshot.getStreaks());
        }

        @Override
        public Alert record(AlertCondition condition, AlertState alertState, int since, int day, String summary,
                            Map<String, String> evidence) {
            return alert(community, condition, alertState, since, day, summary, evidence);
        }
    }

    /** Judges {@code day} for the community whose history is {@code state}, updating its lifecycle in it. */
    private Map<AlertCondition, Verdict> judge(String community, RolesState state, int day, ActivityAsOf activity,
                                               Output out) {
        long asOf = Days.startMillis(day + 1) - 1;
        Map<String, Long> lastActive = new HashMap<>();
        for (RoleLineChange c : state.changes()) {
            lastActive.computeIfAbsent(c.getMember(), m -> activity.lastActive(m, day));
        }
        RolesEvaluator.Evaluation eval = evaluator.evaluate(community, state.withActivity(lastActive), asOf);
        Map<AlertCondition, Verdict> verdicts = new java.util.EnumMap<>(AlertCondition.class);
        verdicts.put(AlertCondition.REQUIRED_ROLE_VACANT, vacant(community, eval, asOf));
        verdicts.put(AlertCondition.VIOLATION_OPEN_TOO_LONG, violations(community, eval, asOf));
        verdicts.forEach((condition, verdict) -> step(community, state, condition, verdict, day, out));
        return verdicts;
    }

    /** The first day {@link #judge} should look at: the day of the community's first grant or revoke. */
    static int firstDay(RolesState state) {
        long first = Long.MAX_VALUE;
        for (RoleLineChange c : state.changes()) {
            first = Math.min(first, c.getAt());
        }
        return first == Long.MAX_VALUE ? Integer.MAX_VALUE : Days.of(first);
    }

    private Verdict vacant(String community, RolesEvaluator.Evaluation eval, long asOf) {
        long grace = thresholds.vacantGrace().toMillis();
        Map<String, String> evidence = new LinkedHashMap<>();
        List<String> roles = new ArrayList<>();
        List<String> consequences = new ArrayList<>();
        long overdueSince = Long.MAX_VALUE;
        for (RoleCoverage c : eval.coverage().values()) {
            if (!c.getRequired() || c.getFilled() || c.getVacantSince() == null) {
                continue;
            }
            long vacantSince = c.getVacantSince().toEpochMilli();
            if (vacantSince + grace <= asOf) {
                roles.add(c.getRole());
                evidence.put("vacantSince." + c.getRole(), c.getVacantSince().toString());
                if (c.getConsequence() != null) {
                    // What the organisation loses while the role stays vacant (roles.yaml), for whoever reads the alert.
                    evidence.put("consequence." + c.getRole(), c.getConsequence());
                    consequences.add(c.getRoleName() + ": " + c.getConsequence());
                }
                overdueSince = Math.min(overdueSince, vacantSince + grace);
            }
        }
        if (roles.isEmpty()) {
            return new Verdict(false, 0, "", Map.of());
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("roles", String.join(",", roles));
        all.putAll(evidence);
        all.put("threshold.graceDays", Integer.toString(thresholds.vacantGraceDays()));
        return new Verdict(true, Days.of(overdueSince), "Required role" + (roles.size() == 1 ? " " : "s ")
                + String.join(", ", roles) + " in " + community + " without an active holder for over "
                + thresholds.vacantGraceDays() + " days" + (consequences.isEmpty() ? ""
                : ". " + String.join(" ", consequences)), all);
    }

    private Verdict violations(String community, RolesEvaluator.Evaluation eval, long asOf) {
        long limit = thresholds.violationOpen().toMillis();
        TreeMap<Long, List<RolesEvaluator.Violation>> overdue = new TreeMap<>();
        for (RolesEvaluator.Violation v : eval.violations().values()) {
            if (!RolesEvaluator.RULE_ROLE_VACANT.equals(v.rule()) && v.openedAt() + limit <= asOf) {
                overdue.computeIfAbsent(v.openedAt(), k -> new ArrayList<>()).add(v);
            }
        }
        if (overdue.isEmpty()) {
            return new Verdict(false, 0, "", Map.of());
        }
        List<String> listed = new ArrayList<>();
        int count = 0;
        for (List<RolesEvaluator.Violation> same : overdue.values()) {
            for (RolesEvaluator.Violation v : same) {
                count++;
                if (listed.size() < MAX_LISTED) {
                    listed.add(v.rule() + ":" + v.subject());
                }
            }
        }
        RolesEvaluator.Violation oldest = overdue.firstEntry().getValue().get(0);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("violations", Integer.toString(count));
        evidence.put("oldest", RolesProcessor.violationId(community, oldest.rule(), oldest.subject(),
                oldest.openedAt()));
        evidence.put("oldestOpenedAt", Instant.ofEpochMilli(oldest.openedAt()).toString());
        evidence.put("open", String.join(",", listed));
        evidence.put("threshold.days", Integer.toString(thresholds.violationOpenDays()));
        return new Verdict(true, Days.of(overdue.firstKey() + limit), count + " policy violation"
                + (count == 1 ? "" : "s") + " in " + community + " open for over " + thresholds.violationOpenDays()
                + " days (oldest: " + oldest.rule() + " " + oldest.subject() + ")", evidence);
    }

    /** The lifecycle with hysteresis, as {@code AlertEvaluator}'s; state lives in the community's roles state. */
    private void step(String community, RolesState state, AlertCondition condition, Verdict verdict, int day,
                      Output out) {
        String name = condition.name();
        Integer since = state.openAlerts().get(name);
        int streak = state.alertStreaks().getOrDefault(name, 0);
        if (since == null) {
            streak = verdict.holds() ? streak + 1 : 0;
            if (streak >= lifecycle.fireAfterDays()) {
                int start = Math.min(verdict.since(), day - streak + 1);
                state.openAlerts().put(name, start);
                out.alert(new AlertKey(community, condition), alert(community, condition, AlertState.FIRING, start,
                        day, verdict.summary(), verdict.evidence()));
                streak = 0;
            }
        } else {
            streak = verdict.holds() ? 0 : streak + 1;
            if (streak >= lifecycle.resolveAfterDays()) {
                state.openAlerts().remove(name);
                out.alert(new AlertKey(community, condition), alert(community, condition, AlertState.RESOLVED, since,
                        day, "Resolved: " + name + " in " + community + " (since " + LocalDate.ofEpochDay(since)
                                + ") recovered on " + LocalDate.ofEpochDay(day), verdict.evidence()));
                streak = 0;
            }
        }
        if (streak == 0) {
            state.alertStreaks().remove(name);
        } else {
            state.alertStreaks().put(name, streak);
        }
    }

    private static Alert alert(String community, AlertCondition condition, AlertState state, int since, int day,
                               String summary, Map<String, String> evidence) {
        return Alert.newBuilder()
                .setAlertId(AlertCorrection.alertId(community, condition, since))
                .setCommunityId(community)
                .setCondition(condition)
                .setState(state)
                .setSeverity(AlertSeverity.WARNING)
                .setSince(LocalDate.ofEpochDay(since))
                .setDay(LocalDate.ofEpochDay(day))
                .setSummary(summary)
                .setEvidence(new LinkedHashMap<>(evidence))
                .build();
    }
}
