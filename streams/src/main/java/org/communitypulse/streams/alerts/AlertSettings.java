package org.communitypulse.streams.alerts;

import org.communitypulse.streams.PulseStreamsConfig;

/**
 * Thresholds of the alert conditions (see {@code docs/alerts.md}). Each condition fires after
 * {@code fireAfterDays} consecutive days on which it holds and resolves after
 * {@code resolveAfterDays} consecutive days past its recovery threshold, which sits apart from the
 * firing one, so a community on the edge does not flap.
 *
 * @param wallClock            also advance the alert clock with wall-clock time (live); off for replays,
 *                             whose clock is the events' time alone
 * @param silenceDays          NO_ACTIVITY: days without a thread or reply
 * @param baselineRatio        BELOW_BASELINE: a day's threads and replies under this share of the same
 *                             weekday's mean over the previous four weeks
 * @param baselineRecoverRatio BELOW_BASELINE recovers at this share
 * @param baselineMin          BELOW_BASELINE needs a baseline of at least this many per day
 * @param baselineFireAfterDays BELOW_BASELINE fires after this many consecutive days under the ratio (one quiet day
 *                             of a busy community is noise, see the noise budget in docs/alerts.md)
 * @param responseShareMin     SLOW_FIRST_RESPONSE: share of last week's threads answered within 24 h under this
 * @param responseRecoverShare SLOW_FIRST_RESPONSE recovers at this share
 * @param responseMinThreads   SLOW_FIRST_RESPONSE needs at least this many threads in the week
 * @param backlogMax           BACKLOG_GROWING: open threads (28 days) at or above this
 * @param backlogRecover       BACKLOG_GROWING recovers at or below this
 * @param fireAfterDays        consecutive days a condition must hold before it fires
 * @param resolveAfterDays     consecutive recovered days before it resolves
 * @param rebaselineWeeks      a firing BELOW_BASELINE, BACKLOG_GROWING or SLOW_FIRST_RESPONSE whose weekly value has
 *                             been steady for this many weeks (all inside the firing period) is re-baselined
 * @param rebaselineSpread     "steady": every weekly value within this share of their mean (counts: or within
 *                             two standard deviations of a Poisson count, 2 x sqrt(mean), whichever is wider)
 * @param rebaselineMaxWeeks   an alert firing this many weeks is re-baselined whatever the spread (the bound on
 *                             its lifetime), except into silence
 * @param trend                ACTIVITY_DECLINING: the early warning's least-squares trend ({@link Trend})
 * @param rejudgeHorizonDays   a thread or reply landing on a day already judged, at most this many days before the
 *                             latest judged day, has the days from it judged again and the written alerts corrected
 *                             (live convergence, docs/alerts.md); 0: a decision once written stands
 */
public record AlertSettings(boolean wallClock, int silenceDays, double baselineRatio, double baselineRecoverRatio,
                            double baselineMin, int baselineFireAfterDays, double responseShareMin,
                            double responseRecoverShare, int responseMinThreads, int backlogMax, int backlogRecover,
                            int fireAfterDays, int resolveAfterDays, int rebaselineWeeks, double rebaselineSpread,
                            int rebaselineMaxWeeks, Trend trend, int rejudgeHorizonDays) {

    public static final int DEFAULT_REJUDGE_HORIZON_DAYS = 28;

    public AlertSettings {
        if (rejudgeHorizonDays < 0) {
            throw new IllegalArgumentException("alert.rejudge.horizon.days must be 0 or more");
        }
    }

    /** With the default re-judge horizon. */
    public AlertSettings(boolean wallClock, int silenceDays, double baselineRatio, double baselineRecoverRatio,
                         double baselineMin, int baselineFireAfterDays, double responseShareMin,
                         double responseRecoverShare, int responseMinThreads, int backlogMax, int backlogRecover,
                         int fireAfterDays, int resolveAfterDays, int rebaselineWeeks, double rebaselineSpread,
                         int rebaselineMaxWeeks, Trend trend) {
        this(wallClock, silenceDays, baselineRatio, baselineRecoverRatio, baselineMin, baselineFireAfterDays,
                responseShareMin, responseRecoverShare, responseMinThreads, backlogMax, backlogRecover, fireAfterDays,
                resolveAfterDays, rebaselineWeeks, rebaselineSpread, rebaselineMaxWeeks, trend,
                DEFAULT_REJUDGE_HORIZON_DAYS);
    }

    public static final int DEFAULT_BASELINE_FIRE_AFTER_DAYS = 2;
    public static final int DEFAULT_REBASELINE_WEEKS = 4;
    public static final double DEFAULT_REBASELINE_SPREAD = 0.25;
    public static final int DEFAULT_REBASELINE_MAX_WEEKS = 13;

    /**
     * ACTIVITY_DECLINING, the early warning: a least-squares line through the weekly activity (threads and replies) of
     * the last {@code weeks} weeks that is falling significantly and reaches {@code stallRatio} x its fitted level of
     * the oldest week within {@code horizonDays} after the judged day.
     *
     * @param weeks        weekly values the line is fitted to (the weeks ending D, D-7, ...)
     * @param horizonDays  how far ahead of D the line is read (the forecast)
     * @param minWeekly    judged only when the weeks' mean activity is at least this (a handful of posts a week is
     *                     chance, not a trend)
     * @param stallRatio   the stall threshold, as a share of the fitted level of the oldest week
     * @param recoverRatio resolves once the forecast is back at or above this share of that level
     */
    public record Trend(int weeks, int horizonDays, double minWeekly, double stallRatio, double recoverRatio) {

        public Trend {
            if (weeks < 3 || horizonDays < 0 || minWeekly < 0 || stallRatio < 0 || recoverRatio < stallRatio
                    || recoverRatio > 1) {
                throw new IllegalArgumentException("alert.trend.*: need at least 3 weeks, a horizon of 0 days or more, "
                        + "and 0 <= stall.ratio <= recover.ratio <= 1 (the recovery threshold sits above the firing one)");
            }
        }

        public static Trend defaults() {
            return new Trend(6, 14, 20.0, 0.25, 0.5);
        }
    }

    public static AlertSettings defaults() {
        return new AlertSettings(true, 3, 0.3, 0.6, 5.0, DEFAULT_BASELINE_FIRE_AFTER_DAYS, 0.5, 0.6, 5, 10, 7, 1, 2,
                DEFAULT_REBASELINE_WEEKS, DEFAULT_REBASELINE_SPREAD, DEFAULT_REBASELINE_MAX_WEEKS, Trend.defaults());
    }

    /** The defaults with the clock driven by event time only, as a replay needs. */
    public AlertSettings withWallClock(boolean wallClock) {
        return new AlertSettings(wallClock, silenceDays, baselineRatio, baselineRecoverRatio, baselineMin,
                baselineFireAfterDays, responseShareMin, responseRecoverShare, responseMinThreads, backlogMax,
                backlogRecover, fireAfterDays, resolveAfterDays, rebaselineWeeks, rebaselineSpread, rebaselineMaxWeeks, trend,
                rejudgeHorizonDays);
    }

    /** The same settings with another early-warning trend. */
    public AlertSettings withTrend(Trend other) {
        return new AlertSettings(wallClock, silenceDays, baselineRatio, baselineRecoverRatio, baselineMin,
                baselineFireAfterDays, responseShareMin, responseRecoverShare, responseMinThreads, backlogMax,
                backlogRecover, fireAfterDays, resolveAfterDays, rebaselineWeeks, rebaselineSpread, rebaselineMaxWeeks, other,
                rejudgeHorizonDays);
    }

    /** The same settings with another re-judge horizon (0: no re-judging). */
    public AlertSettings withRejudgeHorizonDays(int days) {
        return new AlertSettings(wallClock, silenceDays, baselineRatio, baselineRecoverRatio, baselineMin,
                baselineFireAfterDays, responseShareMin, responseRecoverShare, responseMinThreads, backlogMax,
                backlogRecover, fireAfterDays, resolveAfterDays, rebaselineWeeks, rebaselineSpread, rebaselineMaxWeeks, trend,
                days);
    }

    public static AlertSettings from(PulseStreamsConfig config) {
        return new AlertSettings(config.getBoolean(PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_SILENCE_DAYS_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_BASELINE_RATIO_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_BASELINE_RECOVER_RATIO_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_BASELINE_MIN_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_BASELINE_FIRE_AFTER_DAYS_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_RESPONSE_SHARE_MIN_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_RESPONSE_RECOVER_SHARE_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_RESPONSE_MIN_THREADS_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_BACKLOG_MAX_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_BACKLOG_RECOVER_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_FIRE_AFTER_DAYS_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_RESOLVE_AFTER_DAYS_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_REBASELINE_WEEKS_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_REBASELINE_SPREAD_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_REBASELINE_MAX_WEEKS_CONFIG),
                new Trend(config.getInt(PulseStreamsConfig.ALERT_TREND_WEEKS_CONFIG),
                        config.getInt(PulseStreamsConfig.ALERT_TREND_HORIZON_DAYS_CONFIG),
                        config.getDouble(PulseStreamsConfig.ALERT_TREND_MIN_WEEKLY_CONFIG),
                        config.getDouble(PulseStreamsConfig.ALERT_TREND_STALL_RATIO_CONFIG),
                        config.getDouble(PulseStreamsConfig.ALERT_TREND_RECOVER_RATIO_CONFIG)),
                config.getInt(PulseStreamsConfig.ALERT_REJUDGE_HORIZON_DAYS_CONFIG));
    }
}
