package org.communitypulse.streams.common;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;

/**
 * Live convergence (docs/alerts.md): after the days (or weeks) that got late events are judged again, brings the
 * latest record written for one AlertKey to what the re-judged history ends with, so that it ends as a replay of the
 * same events ends it. A decision already delivered is never taken back silently: a FIRING that should not be is
 * retracted by a RESOLVED with {@code resolvedBy=CORRECTED}; an alert that should be firing, or should have fired and
 * resolved, is written with its real {@code since}. Every record written here says {@code corrected=true} and from which
 * late day.
 */
public final class AlertCorrection {

    /**
     * A record of the target alert whose step lies before the re-judged period, written again: {@code what} it is; null
     * when there is nothing to build it from (nothing is written then).
     */
    public interface Rewrite {
        Alert record(AlertState state, int since, String what);
    }

    /** Where a family's lifecycle records go, and the latest written per key (what receivers last heard). */
    public interface Output {
        void alert(AlertKey key, Alert value);

        /** The latest record written for {@code key}, or null; needed to correct it. */
        default Alert latest(AlertKey key) {
            return null;
        }
    }

    /** Evidence key of every correcting record. */
    public static final String CORRECTED = "corrected";

    private AlertCorrection() {
    }

    public static String alertId(String community, AlertCondition condition, int since) {
        return community + "/" + condition.name() + "/" + LocalDate.ofEpochDay(since);
    }

    /** Passes records on to {@code out}, noting each condition's latest in {@code last} as a {@link #step}. */
    public static Output tracking(Output out, Map<String, String> last) {
        return new Output() {
            @Override
            public void alert(AlertKey key, Alert value) {
                last.put(key.getCondition().name(), step(value));
                out.alert(key, value);
            }

            @Override
            public Alert latest(AlertKey key) {
                return out.latest(key);
            }
        };
    }

    /** The {@link #step} of the latest record written for each of {@code conditions}, by condition name. */
    public static Map<String, String> latestSteps(String community, Iterable<AlertCondition> conditions, Output out) {
        Map<String, String> last = new java.util.HashMap<>();
        for (AlertCondition condition : conditions) {
            Alert written = out.latest(new AlertKey(community, condition));
            if (written != null) {
                last.put(condition.name(), step(written));
            }
        }
        return last;
    }

    /** {@code STATE since}: how a lifecycle's latest record is remembered in the snapshots. */
    public static String step(Alert record) {
        return record.getState() + " " + record.getSince().toEpochDay();
    }

    /**
     * @param written  the latest record written for {@code key}, or null
     * @param target   the re-judged latest step ({@link #step}), or null: the re-judged history never alerts
     * @param replayed the re-judged records of {@code key}, in order
     * @param lateFrom the earliest day (epoch day) that got late events
     * @param day      the last re-judged day (the correcting records' day when they have none of their own)
     */
    public static void correct(AlertKey key, Alert written, String target, List<Alert> replayed, Rewrite rewrite,
                        int lateFrom, int day, Consumer<Alert> out) {
        AlertState targetState = target == null ? null : AlertState.valueOf(target.substring(0, target.indexOf(' ')));
        int targetSince = target == null ? 0 : Integer.parseInt(target.substring(target.indexOf(' ') + 1));
        String targetId = target == null ? null : alertId(key.getCommunityId(), key.getCondition(), targetSince);
        if (written == null ? target == null
                : written.getAlertId().equals(targetId) && written.getState() == targetState) {
            return;
        }
        if (written != null && written.getState() == AlertState.FIRING && !written.getAlertId().equals(targetId)) {
            Map<String, String> evidence = corrected(lateFrom, day);
            evidence.put("resolvedBy", "CORRECTED");
            out.accept(Alert.newBuilder(written).setState(AlertState.RESOLVED).setDay(LocalDate.ofEpochDay(day))
                    .setSummary("Corrected: " + key.getCondition().name() + " in " + key.getCommunityId() + " (since "
                            + written.getSince() + ") should not have fired: events for days from "
                            + LocalDate.ofEpochDay(lateFrom) + " arrived after they were judged")
                    .setEvidence(evidence).build());
        }
        if (target == null) {
            return;
        }
        List<Alert> ofTarget = replayed.stream().filter(a -> a.getAlertId().equals(targetId)).toList();
        Alert firing = ofTarget.stream().filter(a -> a.getState() == AlertState.FIRING).findFirst().orElse(null);
        Alert resolved = ofTarget.stream().filter(a -> a.getState() == AlertState.RESOLVED).findFirst().orElse(null);
        boolean firingWritten = written != null && written.getAlertId().equals(targetId);
        if (targetState == AlertState.FIRING || !firingWritten && firing != null) {
            Alert record = firing != null ? firing : rewrite.record(AlertState.FIRING, targetSince, "is still firing");
            if (record != null) {
                out.accept(marked(record, lateFrom, day));
            }
        }
        if (targetState == AlertState.RESOLVED) {
            Alert record = resolved;
            if (record == null) {
                record = rewrite.record(AlertState.RESOLVED, targetSince, "is resolved");
                if (record == null) {
                    return;
                }
                Map<String, String> evidence = new LinkedHashMap<>(record.getEvidence());
                evidence.put("resolvedBy", "CORRECTED");
                record.setEvidence(evidence);
            }
            out.accept(marked(record, lateFrom, day));
        }
    }

    private static Map<String, String> corrected(int lateFrom, int day) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put(CORRECTED, "true");
        evidence.put("corrected.lateFrom", LocalDate.ofEpochDay(lateFrom).toString());
        evidence.put("corrected.rejudgedThrough", LocalDate.ofEpochDay(day).toString());
        return evidence;
    }

    /** A re-judged record, written as a correction: its evidence says so and from which late day. */
    private static Alert marked(Alert record, int lateFrom, int day) {
        Map<String, String> evidence = new LinkedHashMap<>(record.getEvidence());
        evidence.putAll(corrected(lateFrom, day));
        return Alert.newBuilder(record).setEvidence(evidence).build();
    }
}
