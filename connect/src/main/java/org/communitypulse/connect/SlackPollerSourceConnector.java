package org.communitypulse.connect;

/**
 * Follows Slack channels through the Web API ({@code conversations.history}, {@code conversations.replies},
 * {@code users.list}) and publishes what it reads as activity events with the ids of the Events API webhook, plus
 * the per-day counts of threads and replies the reconciliation compares with the pipeline. One task: Slack's rate
 * limits are per workspace and method, so more tasks would only share the same budget, and the per-day count of
 * a community sums its channels.
 */
public final class SlackPollerSourceConnector extends PollerSourceConnector<SlackPollerConfig> {

    public SlackPollerSourceConnector() {
        super(SlackPollerConfig::new, SlackPollerConfig::apiSettings, SlackPollerSourceTask.class,
                SlackPollerConfig.CONFIG_DEF);
    }
}
