package org.communitypulse.streams;

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
 * @param responseShareMin     SLOW_FIRST_RESPONSE: share of last week's threads answered within 24 h under this
 * @param responseRecoverShare SLOW_FIRST_RESPONSE recovers at this share
 * @param responseMinThreads   SLOW_FIRST_RESPONSE needs at least this many threads in the week
 * @param backlogMax           BACKLOG_GROWING: open threads (28 days) at or above this
 * @param backlogRecover       BACKLOG_GROWING recovers at or below this
 * @param fireAfterDays        consecutive days a condition must hold before it fires
 * @param resolveAfterDays     consecutive recovered days before it resolves
 * @param gate                 holds evaluation back while a backfill is incomplete ({@link AlertGate})
 */
public record AlertSettings(boolean wallClock, int silenceDays, double baselineRatio, double baselineRecoverRatio,
                            double baselineMin, double responseShareMin, double responseRecoverShare,
                            int responseMinThreads, int backlogMax, int backlogRecover, int fireAfterDays,
                            int resolveAfterDays, AlertGate gate) {

    public static AlertSettings defaults() {
        return new AlertSettings(true, 3, 0.3, 0.6, 5.0, 0.5, 0.6, 5, 10, 7, 1, 2, AlertGate.opened());
    }

    /** The same thresholds behind another gate. */
    public AlertSettings withGate(AlertGate other) {
        return new AlertSettings(wallClock, silenceDays, baselineRatio, baselineRecoverRatio, baselineMin,
                responseShareMin, responseRecoverShare, responseMinThreads, backlogMax, backlogRecover, fireAfterDays,
                resolveAfterDays, other);
    }

    /** The defaults with the clock driven by event time only, as a replay needs. */
    public AlertSettings withWallClock(boolean wallClock) {
        return new AlertSettings(wallClock, silenceDays, baselineRatio, baselineRecoverRatio, baselineMin,
                responseShareMin, responseRecoverShare, responseMinThreads, backlogMax, backlogRecover, fireAfterDays,
                resolveAfterDays, gate);
    }

    public static AlertSettings from(PulseStreamsConfig config) {
        return new AlertSettings(config.getBoolean(PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_SILENCE_DAYS_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_BASELINE_RATIO_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_BASELINE_RECOVER_RATIO_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_BASELINE_MIN_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_RESPONSE_SHARE_MIN_CONFIG),
                config.getDouble(PulseStreamsConfig.ALERT_RESPONSE_RECOVER_SHARE_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_RESPONSE_MIN_THREADS_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_BACKLOG_MAX_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_BACKLOG_RECOVER_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_FIRE_AFTER_DAYS_CONFIG),
                config.getInt(PulseStreamsConfig.ALERT_RESOLVE_AFTER_DAYS_CONFIG), AlertGate.opened());
    }
}
