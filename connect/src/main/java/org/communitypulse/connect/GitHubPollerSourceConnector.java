package org.communitypulse.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Catches up what GitHub webhooks missed: reads the issues, pull requests, comments, reviews and discussions of the
 * configured repositories (or of every repository of the configured organisations) through GitHub's API and
 * publishes them with the event ids of the webhooks, so a delivery and a poll of the same item count once. One
 * task: the rate limit belongs to the token, and one task keeps within it.
 */
public final class GitHubPollerSourceConnector extends PulseSourceConnector<GitHubPollerConfig> {

    @Override
    GitHubPollerConfig parse(Map<String, String> props) {
        return new GitHubPollerConfig(props);
    }

    @Override
    void check(GitHubPollerConfig config) {
        config.apiSettings();
        super.check(config);
    }

    /** Day counts are keyed by an Avro CommunityDayKey: the task serializes every key itself. */
    @Override
    String keyConverter() {
        return PulseConnectConfig.POLLER_KEY_CONVERTER;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return GitHubPollerSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props());
    }

    @Override
    public ConfigDef config() {
        return GitHubPollerConfig.CONFIG_DEF;
    }
}
