package org.communitypulse.connect;

/**
 * Catches up what GitHub webhooks missed: reads the issues, pull requests, comments, reviews and discussions of the
 * configured repositories (or of every repository of the configured organisations) through GitHub's API and
 * publishes them with the event ids of the webhooks, so a delivery and a poll of the same item count once. One
 * task: the rate limit belongs to the token, and one task keeps within it.
 */
public final class GitHubPollerSourceConnector extends PollerSourceConnector<GitHubPollerConfig> {

    public GitHubPollerSourceConnector() {
        super(GitHubPollerConfig::new, GitHubPollerConfig::apiSettings, GitHubPollerSourceTask.class,
                GitHubPollerConfig.CONFIG_DEF);
    }
}
