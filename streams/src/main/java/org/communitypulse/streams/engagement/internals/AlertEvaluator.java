package org.communitypulse.streams.engagement.internals;

import org.communitypulse.streams.common.AlertCorrection;
import org.communitypulse.streams.common.AlertDays;
import org.communitypulse.streams.common.AlertSnapshots;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertSnapshot;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.streams.AlertGate;
import org.communitypulse.streams.alerts.AlertSettings;

/**
 * Decides, one completed UTC day at a time, which alert conditions hold for a community, and turns
 * that into a FIRING or RESOLVED record only when an alert starts or stops (see docs/alerts.md).
 *
 * <p>Every condition for day D reads only what happened up to the end of D, so evaluating a day
 * once the clock has passed it gives the same answer in a replay (clock = event time) as live
 * (clock = wall time too), however many later events were already processed.
 */
final class AlertEvaluator {

    /** Where lifecycle records go. */
    interface Output extends AlertCorrection.Output {
    }

    private static final long SECONDS_24H = 86_400;
    private static final int BASELINE_WEEKS = 4;
    private static final int RESPONSE_WINDOW_DAYS = 7;

    private final AlertSettings settings;
    private final AlertGate gate;
    /**
     * A community's alert state after each judged day within the re-judge horizon, by {@code community NUL day}
     * (judging again from day E starts from the snapshot of E - 1), or null: no re-judging (a decision once written
     * stands).
     */
    private final AlertSnapshots history;

    AlertEvaluator(AlertSettings settings, AlertGate gate) {
        this(settings, gate, null);
    }

    AlertEvaluator(AlertSettings settings, AlertGate gate,
                   org.apache.kafka.streams.state.KeyValueStore<String, AlertSnapshot> history) {
        this.settings = settings;
        this.gate = gate;
        this.history = AlertSnapshots.of(history, settings.rejudgeHorizonDays());
    }

    /**
     * Judges again from the earliest day that got late events (within the horizon), correcting what was written, then
     * evaluates every completed day after the last evaluated one up to {@code throughDay}.
     */
    void evaluateThrough(CommunityView view, int throughDay, Output out) {
        CommunityState cs = view.cs;
        if (cs.getFirstActiveDay() == null || !gate.isOpen()) {
            return;
        }
        Integer late = cs.getAlertsRejudgeFrom();
        Integer judged = cs.getAlertsEvaluatedThrough();
        if (late != null) {
            cs.setAlertsRejudgeFrom(null);
            if (judged != null) {
                AlertDays.rejudge(history, view.community, CONDITIONS, Math.max(late, cs.getFirstActiveDay()), late,
                        judged, new JudgedDays(view), out);
            }
        }
        int from = judged == null ? cs.getFirstActiveDay() : judged + 1;
        if (from > throughDay) {
            return;
        }
        AlertDays.judge(history, view.community, CONDITIONS, from, throughDay, judged == null, new JudgedDays(view), out);
        cs.setAlertsEvaluatedThrough(throughDay);
    }

    /** One community's days as {@link AlertDays} judges them: its state is the community state's alert fields. */
    private final class JudgedDays implements AlertDays.Judge {
        private final CommunityView view;

        JudgedDays(CommunityView view) {
            this.view = view;
        }

        @Override
        public Map<AlertCondition, Map<String, String>> judge(int day, AlertCorrection.Output out) {
            Map<AlertCondition, Map<String, String>> evidence = new java.util.EnumMap<>(AlertCondition.class);
            for (AlertCondition condition : CONDITIONS) {
                Verdict verdict = AlertEvaluator.this.judge(view, condition, day);
                evidence.put(condition, verdict.evidence());
                step(view, condition, verdict, day, out);
            }
            return evidence;
        }

        @Override
        public AlertSnapshot snapshot(Map<String, String> last) {
            CommunityState cs = view.cs;
            return AlertSnapshot.newBuilder()
                    .setOpen(new java.util.HashMap<>(cs.getOpenAlerts()))
                    .setStreaks(new java.util.HashMap<>(cs.getAlertStreaks()))
                    .setReferences(new java.util.HashMap<>(cs.getAlertReferences()))
                    .setNormals(new java.util.HashMap<>(cs.getAlertNormals()))
                    .setLast(new java.util.HashMap<>(last))
                    .build();
        }

        @Override
        public void restore(AlertSnapshot s) {
            CommunityState cs = view.cs;
            cs.setOpenAlerts(new java.util.HashMap<>(s.getOpen()));
            cs.setAlertStreaks(new java.util.HashMap<>(s.getStreaks()));
            cs.setAlertReferences(new java.util.HashMap<>(s.getReferences()));
            cs.setAlertNormals(new java.util.HashMap<>(s.getNormals()));
        }

        @Override
        public Alert record(AlertCondition condition, AlertState state, int since, int day, String summary,
                            Map<String, String> evidence) {
            return Alert.newBuilder()
                    .setAlertId(AlertCorrection.alertId(view.community, condition, since))
                    .setCommunityId(view.community)
                    .setCondition(condition)
                    .setState(state)
                    .setSeverity(condition == AlertCondition.NO_ACTIVITY ? AlertSeverity.CRITICAL
                            : AlertSeverity.WARNING)
                    .setSince(LocalDate.ofEpochDay(since))
                    .setDay(LocalDate.ofEpochDay(day))
                    .setSummary(summary)
                    .setEvidence(new LinkedHashMap<>(evidence))
                    .build();
        }
    }

    /** One day's verdict on one condition. */
    record Verdict(boolean holds, boolean recovered, int since, AlertSeverity severity, String summary,
                   Map<String, String> evidence, double reference) {

        Verdict(boolean holds, boolean recovered, int since, AlertSeverity severity, String summary,
                Map<String, String> evidence) {
            this(holds, recovered, since, severity, summary, evidence, Double.NaN);
        }

        /** Too little data to judge: a firing alert may resolve, a quiet one does not fire. */
        static Verdict notJudged() {
            return new Verdict(false, true, 0, AlertSeverity.WARNING, "", Map.of());
        }
    }

    /** In the order they are judged each day: NO_ACTIVITY first, as ACTIVITY_DECLINING reads whether it fires. */
    private static final List<AlertCondition> CONDITIONS = List.of(AlertCondition.NO_ACTIVITY,
            AlertCondition.BELOW_BASELINE, AlertCondition.SLOW_FIRST_RESPONSE, AlertCondition.BACKLOG_GROWING,
            AlertCondition.ACTIVITY_DECLINING);

    private Verdict judge(CommunityView view, AlertCondition condition, int day) {
        return switch (condition) {
            case NO_ACTIVITY -> silence(view, day);
            case BELOW_BASELINE -> baseline(view, day);
            case SLOW_FIRST_RESPONSE -> response(view, day);
            case BACKLOG_GROWING -> backlog(view, day);
            case ACTIVITY_DECLINING -> declining(view, day);
            default -> Verdict.notJudged();
        };
    }

    private Verdict silence(CommunityView view, int day) {
        int windowStart = day - settings.silenceDays() + 1;
        // A community is only silent once it has spoken before the window.
        if (view.cs.getFirstActiveDay() >= windowStart) {
            return Verdict.notJudged();
        }
        for (int d = windowStart; d <= day; d++) {
            if (activity(view.day(d)) > 0) {
                return new Verdict(false, activity(view.day(day)) > 0, 0, AlertSeverity.CRITICAL, "", Map.of());
            }
        }
        int last = windowStart - 1;
        while (last > view.cs.getFirstActiveDay() && activity(view.day(last)) == 0) {
            last--;
        }
        return new Verdict(true, false, windowStart, AlertSeverity.CRITICAL,
                "No new thread or reply in " + view.community + " for " + (day - last) + " days (since "
                        + LocalDate.ofEpochDay(last + 1) + ")",
                evidence("lastActivityDay", LocalDate.ofEpochDay(last).toString(), "silentDays",
                        Integer.toString(day - last), "threshold.days", Integer.toString(settings.silenceDays())));
    }

    private Verdict baseline(CommunityView view, int day) {
        long today = activity(view.day(day));
        // Once firing, recovery is judged against the level it fell from: the baseline right after a
        // silence is itself depressed and would call a half-dead community recovered.
        Double reference = view.cs.getAlertReferences().get(AlertCondition.BELOW_BASELINE.name());
        boolean judged = day - BASELINE_WEEKS * 7 >= view.cs.getFirstActiveDay();
        double baseline = 0;
        if (judged) {
            long sum = 0;
            for (int week = 1; week <= BASELINE_WEEKS; week++) {
                sum += activity(view.day(day - 7 * week));
            }
            baseline = sum / (double) BASELINE_WEEKS;
            judged = baseline >= settings.baselineMin();
        }
        if (!judged && reference == null) {
            return Verdict.notJudged();
        }
        boolean holds = judged && today < settings.baselineRatio() * baseline;
        boolean recovered = reference != null && today >= settings.baselineRecoverRatio() * reference;
        return new Verdict(holds, recovered, day, AlertSeverity.WARNING,
                "Activity in " + view.community + " on " + LocalDate.ofEpochDay(day) + " was " + today
                        + " threads and replies against a same-weekday baseline of " + format(baseline),
                evidence("activity", Long.toString(today), "baseline", format(baseline), "threshold.ratio",
                        format(settings.baselineRatio()), "recover.ratio", format(settings.baselineRecoverRatio())),
                baseline);
    }

    private Verdict response(CommunityView view, int day) {
        long[] counts = responseCounts(view, day);
        long threads = counts[0];
        long within24h = counts[1];
        if (threads < settings.responseMinThreads()) {
            return Verdict.notJudged();
        }
        double share = within24h / (double) threads;
        String name = AlertCondition.SLOW_FIRST_RESPONSE.name();
        if (share >= settings.responseRecoverShare()) {
            // Back to what the configured thresholds call normal: a re-baselined normal is forgotten.
            view.cs.getAlertNormals().remove(name);
        }
        Double normal = view.cs.getAlertNormals().get(name);
        double fire = normal == null ? settings.responseShareMin() : responseFireShare(normal);
        double recover = normal == null ? settings.responseRecoverShare()
                : Math.min(settings.responseRecoverShare(), normal);
        Map<String, String> evidence = evidence("threads", Long.toString(threads), "respondedWithin24h",
                Long.toString(within24h), "share24h", format(share), "threshold.share", format(fire),
                "recover.share", format(recover));
        if (normal != null) {
            evidence.put("normal", format(normal));
        }
        return new Verdict(share < fire, share >= recover, day, AlertSeverity.WARNING,
                "Only " + within24h + " of " + threads + " threads started in " + view.community
                        + " in the 7 days before " + LocalDate.ofEpochDay(day) + " got a first response within 24 h",
                evidence);
    }

    /** Threads of the 7 days before D (each has had its full 24 hours by the end of D) and those answered in 24 h. */
    private static long[] responseCounts(CommunityView view, int day) {
        long threads = 0;
        long within24h = 0;
        for (int d = day - RESPONSE_WINDOW_DAYS; d < day; d++) {
            threads += view.day(d).getThreadIds().size();
            for (long seconds : view.responseSeconds(d)) {
                if (seconds <= SECONDS_24H) {
                    within24h++;
                }
            }
        }
        return new long[] {threads, within24h};
    }

    /** SLOW_FIRST_RESPONSE's firing share around a re-baselined normal: the configured ratio of fire to recover. */
    private double responseFireShare(double normal) {
        double factor = settings.responseRecoverShare() > 0
                ? settings.responseShareMin() / settings.responseRecoverShare() : 1.0;
        return Math.min(settings.responseShareMin(), normal * factor);
    }

    /** BACKLOG_GROWING's firing level around a re-baselined normal: the configured ratio of fire to recover. */
    private long backlogFire(double normal) {
        double factor = settings.backlogRecover() > 0 ? settings.backlogMax() / (double) settings.backlogRecover() : 1.5;
        return Math.max(settings.backlogMax(), (long) Math.ceil(normal * factor));
    }

    private long backlogRecover(double normal) {
        return Math.max(settings.backlogRecover(), (long) Math.floor(normal));
    }

    private Verdict backlog(CommunityView view, int day) {
        long open = view.openThreads(day);
        String name = AlertCondition.BACKLOG_GROWING.name();
        if (open <= settings.backlogRecover()) {
            view.cs.getAlertNormals().remove(name);
        }
        Double normal = view.cs.getAlertNormals().get(name);
        long fire = normal == null ? settings.backlogMax() : backlogFire(normal);
        long recover = normal == null ? settings.backlogRecover() : backlogRecover(normal);
        Map<String, String> evidence = evidence("openThreads", Long.toString(open), "threshold", Long.toString(fire),
                "recover", Long.toString(recover));
        if (normal != null) {
            evidence.put("normal", format(normal));
        }
        return new Verdict(open >= fire, open <= recover, day, AlertSeverity.WARNING,
                open + " threads started in " + view.community + " in the 28 days to " + LocalDate.ofEpochDay(day)
                        + " have no response",
                evidence);
    }

    /** Threads and replies of the 7 days ending {@code end}. */
    private static long weekActivity(CommunityView view, int end) {
        long sum = 0;
        for (int d = end - 6; d <= end; d++) {
            sum += activity(view.day(d));
        }
        return sum;
    }

    /**
     * ACTIVITY_DECLINING, the early warning: a least-squares line through the weekly activity of the weeks ending D,
     * D-7, ... (oldest first, x = 0 .. N-1), read {@code horizonDays} after D. It holds when the line falls by more
     * than twice its standard error and the forecast is at or under the stall threshold (a share of the line's level
     * at the oldest week); it recovers when the forecast is back at the recovery share, or the weeks are no longer
     * judged (too little activity: a community that has stalled is NO_ACTIVITY's). Reads days up to D only.
     */
    private Verdict declining(CommunityView view, int day) {
        AlertSettings.Trend trend = settings.trend();
        int n = trend.weeks();
        Integer silentSince = view.cs.getOpenAlerts().get(AlertCondition.NO_ACTIVITY.name());
        if (silentSince != null) {
            // The stall it warns of is here and NO_ACTIVITY (judged first) reports it: a warning now is noise.
            return new Verdict(false, true, day, AlertSeverity.WARNING, "", evidence("resolvedBy", "STALLED",
                    "noActivitySince", LocalDate.ofEpochDay(silentSince).toString()));
        }
        if (day - 7 * n + 1 < view.cs.getFirstActiveDay() || hasSilence(view, day - 7 * n + 1, day)) {
            // A silence NO_ACTIVITY reported inside the weeks makes a line of a stall and its aftermath, not a decline.
            return Verdict.notJudged();
        }
        double[] weekly = new double[n];
        for (int k = 0; k < n; k++) {
            weekly[k] = weekActivity(view, day - 7 * (n - 1 - k));
        }
        LeastSquares line = LeastSquares.fit(weekly);
        if (line.mean() < trend.minWeekly() || line.intercept() <= 0) {
            return Verdict.notJudged();
        }
        double ahead = (n - 1) + trend.horizonDays() / 7.0;
        double forecast = line.at(ahead);
        double stall = trend.stallRatio() * line.intercept();
        double recover = trend.recoverRatio() * line.intercept();
        // Weekly counts vary at least as a Poisson count does; a real community's bursts vary more (the residuals).
        double slopeError = Math.max(Math.sqrt(line.mean() / line.sxx()), line.slopeStandardError());
        boolean falling = line.slope() < -2 * slopeError;
        boolean holds = falling && forecast <= stall;
        Map<String, String> evidence = evidence("weekly", java.util.Arrays.stream(weekly)
                        .mapToObj(v -> Long.toString((long) v)).collect(java.util.stream.Collectors.joining(",")),
                "trend.weeks", Integer.toString(n), "trend.slope", format(line.slope()), "trend.slope.error",
                format(slopeError), "trend.intercept", format(line.intercept()), "trend.current",
                format(line.at(n - 1)), "forecast", format(forecast), "forecast.day",
                LocalDate.ofEpochDay(day + trend.horizonDays()).toString(), "threshold.stall", format(stall),
                "recover.level", format(recover));
        String crossing = "";
        if (line.slope() < 0) {
            // x at which the line meets the stall threshold, in days after D (negative: already under it).
            double crossingDays = ((stall - line.intercept()) / line.slope() - (n - 1)) * 7;
            int crossingDay = day + (int) Math.ceil(crossingDays);
            evidence.put("crossing.days", format(crossingDays));
            evidence.put("crossing.day", LocalDate.ofEpochDay(crossingDay).toString());
            // The week (Monday) in which the line crosses.
            evidence.put("crossing.week", LocalDate.ofEpochDay(crossingDay)
                    .with(java.time.DayOfWeek.MONDAY).toString());
            crossing = " (about " + LocalDate.ofEpochDay(crossingDay) + ")";
        }
        return new Verdict(holds, forecast >= recover, day, AlertSeverity.WARNING,
                "Activity in " + view.community + " is falling: " + format(line.at(n - 1)) + " threads and replies a week"
                        + " on the trend of the last " + n + " weeks (" + format(line.slope()) + " a week), heading under "
                        + format(stall) + " within " + trend.horizonDays() + " days" + crossing,
                evidence);
    }

    /** Whether days {@code from .. to} hold {@code alert.silence.days} consecutive days without a thread or reply. */
    private boolean hasSilence(CommunityView view, int from, int to) {
        int run = 0;
        for (int d = from; d <= to; d++) {
            run = activity(view.day(d)) == 0 ? run + 1 : 0;
            if (run >= settings.silenceDays()) {
                return true;
            }
        }
        return false;
    }

    /** A least-squares line y = intercept + slope x through values at x = 0 .. n-1. */
    record LeastSquares(double intercept, double slope, double mean, double sxx, double slopeStandardError) {

        static LeastSquares fit(double[] y) {
            int n = y.length;
            double xMean = (n - 1) / 2.0;
            double yMean = java.util.Arrays.stream(y).average().orElse(0);
            double sxx = 0;
            double sxy = 0;
            for (int x = 0; x < n; x++) {
                sxx += (x - xMean) * (x - xMean);
                sxy += (x - xMean) * (y[x] - yMean);
            }
            double slope = sxy / sxx;
            double intercept = yMean - slope * xMean;
            double residuals = 0;
            for (int x = 0; x < n; x++) {
                double r = y[x] - (intercept + slope * x);
                residuals += r * r;
            }
            double error = n > 2 ? Math.sqrt(residuals / (n - 2) / sxx) : Double.POSITIVE_INFINITY;
            return new LeastSquares(intercept, slope, yMean, sxx, error);
        }

        double at(double x) {
            return intercept + slope * x;
        }
    }

    /**
     * Whether a firing alert is re-baselined on {@code day}: the last {@code rebaselineWeeks} weekly values, all inside
     * the firing period, are steady (each within {@code rebaselineSpread} of their mean, or for counts within
     * 2 sqrt(mean)), or the alert has fired {@code rebaselineMaxWeeks} weeks. Never into silence: a week without a
     * thread or reply, or a week with too few threads to judge responses, is no normal. Reads days up to D only.
     *
     * @return the evidence of the re-baselining (its state applied), or null
     */
    private Map<String, String> rebaseline(CommunityView view, AlertCondition condition, int since, int day) {
        int weeks = settings.rebaselineWeeks();
        int firingDays = day - since + 1;
        if (firingDays < 7 * weeks) {
            return null;
        }
        boolean capped = firingDays >= 7 * Math.max(weeks, settings.rebaselineMaxWeeks());
        if (condition == AlertCondition.ACTIVITY_DECLINING) {
            // A steady level is its recovery, not a new normal; only the bound on its lifetime applies.
            return capped ? evidence("resolvedBy", "REBASELINED", "rebaseline.reason", "MAX_WEEKS",
                    "rebaseline.weeks", Integer.toString(settings.rebaselineMaxWeeks())) : null;
        }
        double[] values = new double[weeks];
        for (int k = 0; k < weeks; k++) {
            int end = day - 7 * (weeks - 1 - k);
            switch (condition) {
                case BELOW_BASELINE -> {
                    long sum = 0;
                    for (int d = end - 6; d <= end; d++) {
                        sum += activity(view.day(d));
                    }
                    if (sum == 0) {
                        return null;
                    }
                    values[k] = sum;
                }
                case BACKLOG_GROWING -> values[k] = view.openThreads(end);
                case SLOW_FIRST_RESPONSE -> {
                    long[] counts = responseCounts(view, end);
                    if (counts[0] < settings.responseMinThreads()) {
                        return null;
                    }
                    values[k] = counts[1] / (double) counts[0];
                }
                default -> {
                    return null;
                }
            }
        }
        double mean = java.util.Arrays.stream(values).average().orElse(0);
        double tolerance = settings.rebaselineSpread() * mean;
        if (condition != AlertCondition.SLOW_FIRST_RESPONSE) {
            tolerance = Math.max(tolerance, 2 * Math.sqrt(mean));
        }
        boolean steady = true;
        for (double value : values) {
            steady &= Math.abs(value - mean) <= tolerance + 1e-9;
        }
        if (!steady && !capped) {
            return null;
        }
        String name = condition.name();
        Map<String, String> evidence = evidence("resolvedBy", "REBASELINED", "rebaseline.reason",
                steady ? "STEADY" : "MAX_WEEKS", "rebaseline.weeks", Integer.toString(weeks),
                "rebaseline.spread", format(settings.rebaselineSpread()), "weekly",
                java.util.Arrays.stream(values).mapToObj(AlertEvaluator::format)
                        .collect(java.util.stream.Collectors.joining(",")));
        switch (condition) {
            case BELOW_BASELINE -> {
                // The same-weekday baseline follows the new level by itself; only the level it fell from is dropped.
                Double old = view.cs.getAlertReferences().remove(name);
                evidence.put("baseline.old", old == null ? "" : format(old));
                evidence.put("baseline.new", format(mean / 7));
            }
            case BACKLOG_GROWING -> {
                Double old = view.cs.getAlertNormals().put(name, mean);
                evidence.put("baseline.old", format(old == null ? settings.backlogRecover() : old));
                evidence.put("baseline.new", format(mean));
                evidence.put("threshold.new", Long.toString(backlogFire(mean)));
                evidence.put("recover.new", Long.toString(backlogRecover(mean)));
            }
            default -> {
                Double old = view.cs.getAlertNormals().put(name, mean);
                evidence.put("baseline.old", format(old == null ? settings.responseRecoverShare() : old));
                evidence.put("baseline.new", format(mean));
                evidence.put("threshold.new", format(responseFireShare(mean)));
                evidence.put("recover.new", format(Math.min(settings.responseRecoverShare(), mean)));
            }
        }
        return evidence;
    }

    /** The lifecycle with hysteresis: fire after N holding days, resolve after M recovered days. */
    private void step(CommunityView view, AlertCondition condition, Verdict verdict, int day,
                      AlertCorrection.Output out) {
        CommunityState cs = view.cs;
        String name = condition.name();
        Integer since = cs.getOpenAlerts().get(name);
        int streak = cs.getAlertStreaks().getOrDefault(name, 0);
        if (since == null) {
            streak = verdict.holds() ? streak + 1 : 0;
            int fireAfter = condition == AlertCondition.BELOW_BASELINE ? settings.baselineFireAfterDays()
                    : settings.fireAfterDays();
            if (streak >= fireAfter) {
                int start = Math.min(verdict.since(), day - streak + 1);
                cs.getOpenAlerts().put(name, start);
                if (!Double.isNaN(verdict.reference())) {
                    cs.getAlertReferences().put(name, verdict.reference());
                }
                out.alert(new AlertKey(view.community, condition),
                        alert(view, condition, AlertState.FIRING, start, day, verdict, false));
                streak = 0;
            }
        } else {
            streak = verdict.recovered() && !verdict.holds() ? streak + 1 : 0;
            // One day with a thread or reply ends a silence; the other conditions need a steadier recovery.
            int needed = condition == AlertCondition.NO_ACTIVITY ? 1 : settings.resolveAfterDays();
            Map<String, String> rebaselined = null;
            if (streak < needed && condition != AlertCondition.NO_ACTIVITY) {
                rebaselined = rebaseline(view, condition, since, day);
            }
            if (streak >= needed || rebaselined != null) {
                cs.getOpenAlerts().remove(name);
                cs.getAlertReferences().remove(name);
                Map<String, String> evidence = new LinkedHashMap<>();
                if (rebaselined == null) {
                    evidence.put("resolvedBy", "RECOVERED");
                    evidence.putAll(verdict.evidence());
                } else {
                    evidence.putAll(rebaselined);
                    verdict.evidence().forEach(evidence::putIfAbsent);
                }
                out.alert(new AlertKey(view.community, condition), alert(view, condition, AlertState.RESOLVED, since,
                        day, new Verdict(verdict.holds(), verdict.recovered(), verdict.since(), verdict.severity(),
                                verdict.summary(), evidence, verdict.reference()), rebaselined != null));
                streak = 0;
            }
        }
        if (streak == 0) {
            cs.getAlertStreaks().remove(name);
        } else {
            cs.getAlertStreaks().put(name, streak);
        }
    }

    private static Alert alert(CommunityView view, AlertCondition condition, AlertState state, int since, int day,
                               Verdict verdict, boolean rebaselined) {
        String summary = state == AlertState.FIRING ? verdict.summary()
                : "Resolved: " + condition.name() + " in " + view.community + " (since " + LocalDate.ofEpochDay(since)
                        + (rebaselined ? ") re-baselined: its new level is its normal, on " : ") recovered on ")
                        + LocalDate.ofEpochDay(day);
        return Alert.newBuilder()
                .setAlertId(AlertCorrection.alertId(view.community, condition, since))
                .setCommunityId(view.community)
                .setCondition(condition)
                .setState(state)
                .setSeverity(verdict.severity())
                .setSince(LocalDate.ofEpochDay(since))
                .setDay(LocalDate.ofEpochDay(day))
                .setSummary(summary)
                .setEvidence(new LinkedHashMap<>(verdict.evidence()))
                .build();
    }

    /** Threads and replies of the day, with or without an actor: what "activity" means for alerts. */
    private static long activity(DailyEngagementState ds) {
        return ds.getThreads() + ds.getReplies();
    }

    private static Map<String, String> evidence(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.3f", value);
    }
}
