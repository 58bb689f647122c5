package org.communitypulse.cli;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertState;

/**
 * The noise budget of a history: FIRING records per community-month, by condition. A month is 365.25 / 12 days
 * of the community's judged history: from its first active day to the last active day of any community, as the
 * alert clock judges every community up to the newest event of the task (docs/alerts.md, "Noise budget").
 */
final class AlertNoise {

    static final double DAYS_PER_MONTH = 365.25 / 12;

    private final Map<String, Map<AlertCondition, Integer>> firing = new TreeMap<>();
    private final Map<String, LocalDate> firstDay = new TreeMap<>();
    private LocalDate clock;
    /** FIRING alerts not resolved yet: alertId to since. */
    private final Map<String, Alert> open = new TreeMap<>();
    private final Map<String, Map<AlertCondition, Long>> longest = new TreeMap<>();

    /** One record of the alerts topic; only FIRING records count. */
    void alert(Alert alert) {
        if (alert.getState() == AlertState.FIRING) {
            firing.computeIfAbsent(alert.getCommunityId(), c -> new EnumMap<>(AlertCondition.class))
                    .merge(alert.getCondition(), 1, Integer::sum);
            open.put(alert.getAlertId(), alert);
        } else if (open.remove(alert.getAlertId()) != null) {
            lifetime(alert, alert.getDay());
        }
    }

    private void lifetime(Alert alert, LocalDate end) {
        long days = end.toEpochDay() - alert.getSince().toEpochDay() + 1;
        longest.computeIfAbsent(alert.getCommunityId(), c -> new EnumMap<>(AlertCondition.class))
                .merge(alert.getCondition(), days, Math::max);
    }

    /** Days from since to resolution of the community's longest alert of a condition; one still firing counts to the clock. */
    long longestDays(String community, AlertCondition condition) {
        Map<String, Map<AlertCondition, Long>> all = new TreeMap<>(longest);
        all.replaceAll((c, m) -> new EnumMap<>(m));
        for (Alert alert : open.values()) {
            if (alert.getCommunityId().equals(community) && alert.getCondition() == condition && clock != null) {
                long days = clock.toEpochDay() - alert.getSince().toEpochDay() + 1;
                all.computeIfAbsent(community, c -> new EnumMap<>(AlertCondition.class)).merge(condition, days, Math::max);
            }
        }
        return all.getOrDefault(community, Map.of()).getOrDefault(condition, 0L);
    }

    /** A day on which the community had activity (events of any kind). */
    void activeDay(String community, LocalDate day) {
        firstDay.merge(community, day, (a, b) -> a.isBefore(b) ? a : b);
        if (clock == null || day.isAfter(clock)) {
            clock = day;
        }
    }

    double months(String community) {
        LocalDate first = firstDay.get(community);
        return first == null ? 0 : (clock.toEpochDay() - first.toEpochDay() + 1) / DAYS_PER_MONTH;
    }

    /** FIRING records per month of the community's history; 0 for a condition that never fired. */
    double perMonth(String community, AlertCondition condition) {
        double months = months(community);
        int count = firing.getOrDefault(community, Map.of()).getOrDefault(condition, 0);
        return months == 0 ? 0 : count / months;
    }

    int firing(String community, AlertCondition condition) {
        return firing.getOrDefault(community, Map.of()).getOrDefault(condition, 0);
    }

    /** One line per community, e.g. {@code alerts per community-month: forum (12.0 months) NO_ACTIVITY 0.08 (1) ...}. */
    String render() {
        StringJoiner lines = new StringJoiner(System.lineSeparator());
        for (String community : firstDay.keySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "alerts per community-month (FIRING / months judged; count, longest lifetime): %s (%.1f months)", community,
                    months(community)));
            for (AlertCondition condition : AlertCondition.values()) {
                if (condition == AlertCondition.UNKNOWN_CONDITION) {
                    continue;
                }
                int count = firing(community, condition);
                line.append(String.format(Locale.ROOT, " %s %.2f", condition, perMonth(community, condition)));
                if (count > 0) {
                    line.append(String.format(Locale.ROOT, " (%d, longest %d d)", count,
                            longestDays(community, condition)));
                }
            }
            lines.add(line);
        }
        return lines.toString();
    }
}
