package org.communitypulse.streams.reconciliation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;

/**
 * {@link AlertCondition#DATA_GAP}: FIRING (WARNING) when a day of the community is GAP_NOT_CLOSED, RESOLVED when
 * none is. No hysteresis of its own: a gap is only GAP_NOT_CLOSED after two polls, which is the confirmation.
 */
final class DataGapAlerts {

    /** Days named one by one in the evidence; the rest are counted. */
    static final int EVIDENCE_DAYS = 10;

    private DataGapAlerts() {
    }

    /**
     * The lifecycle record due for {@code community}, given its records (oldest day first) and the latest DATA_GAP
     * record already written ({@code last}, null if none); null when nothing changes.
     */
    static Alert judge(String community, List<Reconciliation> days, Alert last) {
        List<Reconciliation> open = days.stream()
                .filter(d -> d.getStatus() == ReconciliationStatus.GAP_NOT_CLOSED).toList();
        boolean firing = last != null && last.getState() == AlertState.FIRING;
        if (!firing && !open.isEmpty()) {
            Instant since = open.stream().map(Reconciliation::getGapSince).min(Instant::compareTo).orElseThrow();
            LocalDate sinceDay = utcDay(since);
            long missing = open.stream().mapToLong(Reconciliation::getMissing).sum();
            Reconciliation first = open.get(0);
            String more = open.size() > 1 ? " and " + (open.size() - 1) + " more day(s)" : "";
            return Alert.newBuilder()
                    .setAlertId(community + "/" + AlertCondition.DATA_GAP.name() + "/" + sinceDay)
                    .setCommunityId(community)
                    .setCondition(AlertCondition.DATA_GAP)
                    .setState(AlertState.FIRING)
                    .setSeverity(AlertSeverity.WARNING)
                    .setSince(sinceDay)
                    .setDay(utcDay(latestCheck(open)))
                    .setSummary("Data gap in " + community + ": " + first.getMissing() + " item(s) of "
                            + first.getSource() + " missing on " + first.getDay() + more
                            + ", not closed by the next poll")
                    .setEvidence(evidence(open, missing))
                    .build();
        }
        if (firing && open.isEmpty()) {
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("days", "");
            evidence.put("missingTotal", "0");
            return Alert.newBuilder(last)
                    .setState(AlertState.RESOLVED)
                    .setDay(days.isEmpty() ? last.getDay() : utcDay(latestCheck(days)))
                    .setSummary("Resolved: no data gap in " + community + " any more (since " + last.getSince() + ")")
                    .setEvidence(evidence)
                    .build();
        }
        return null;
    }

    private static Map<String, String> evidence(List<Reconciliation> open, long missing) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("days", open.stream().limit(EVIDENCE_DAYS).map(d -> d.getDay().toString())
                .collect(Collectors.joining(",")));
        for (Reconciliation day : open.subList(0, Math.min(open.size(), EVIDENCE_DAYS))) {
            evidence.put("missing." + day.getDay(), Long.toString(day.getMissing()));
        }
        if (open.size() > EVIDENCE_DAYS) {
            evidence.put("moreDays", Integer.toString(open.size() - EVIDENCE_DAYS));
        }
        evidence.put("missingTotal", Long.toString(missing));
        return evidence;
    }

    private static Instant latestCheck(List<Reconciliation> days) {
        return days.stream().map(Reconciliation::getCheckedAt).max(Instant::compareTo).orElseThrow();
    }

    private static LocalDate utcDay(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
}
