package org.communitypulse.streams.maturity.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityHealth;
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

    /** A community's lifecycle. Mutable: a serialisation shape. */
    public static final class Lifecycle {
        /** Monday (epoch day) of the first week still to judge; null: the community's first week. */
        public Integer next;
        /** Monday of the newest completed week that has a health record (what judging must reach). */
        public Integer due;
        /** Monday of the first unhealthy week of the open alert, or null. */
        public Integer openSince;
        public String openSeverity;
        public int recovered;
    }

    private final int resolveAfterWeeks;

    public HealthAlerts(int resolveAfterWeeks) {
        if (resolveAfterWeeks < 1) {
            throw new IllegalArgumentException("resolveAfterWeeks must be >= 1");
        }
        this.resolveAfterWeeks = resolveAfterWeeks;
    }

    /** Judges one completed week's health record, updating {@code life}. */
    public void judge(CommunityHealth health, Lifecycle life, Output out) {
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
