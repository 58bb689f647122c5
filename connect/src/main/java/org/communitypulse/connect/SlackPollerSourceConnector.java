package org.communitypulse.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Follows Slack channels through the Web API ({@code conversations.history}, {@code conversations.replies},
 * {@code users.list}) and publishes what it reads as activity events with the ids of the Events API webhook, plus
 * the per-day counts of threads and replies the reconciliation compares with the pipeline. One task: Slack's rate
 * limits are per workspace and method, so more tasks would only share the same budget, and the per-day count of
 * a community sums its channels.
 */
public final class SlackPollerSourceConnector extends PulseSourceConnector<SlackPollerConfig> {

    @Override
    SlackPollerConfig parse(Map<String, String> props) {
        return new SlackPollerConfig(props);
    }

    @Override
    void check(SlackPollerConfig config) {
        config.apiSettings();
        super.check(config);
    }

    /** Day counts have Avro keys: the connector serializes every key itself. */
    @Override
    String keyConverter() {
        return PulseConnectConfig.POLLER_KEY_CONVERTER;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SlackPollerSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props());
    }

    @Override
    public ConfigDef config() {
        return SlackPollerConfig.CONFIG_DEF;
    }
}
