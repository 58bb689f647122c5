package org.communitypulse.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Follows a Discourse forum's new topics and posts through its API ({@code /posts.json}, newest first, paged with
 * {@code before}) and publishes them as activity events, with the ids of {@code pulse import discourse} and the
 * webhooks. One task: a forum's post stream is one ordered sequence (offset: the last published post id).
 */
public final class DiscoursePollerSourceConnector extends PulseSourceConnector<DiscoursePollerConfig> {

    @Override
    DiscoursePollerConfig parse(Map<String, String> props) {
        return new DiscoursePollerConfig(props);
    }

    @Override
    String keyConverter() {
        return PulseConnectConfig.POLLER_KEY_CONVERTER;
    }

    @Override
    void check(DiscoursePollerConfig config) {
        config.apiSettings();
        super.check(config);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DiscoursePollerSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props());
    }

    @Override
    public ConfigDef config() {
        return DiscoursePollerConfig.CONFIG_DEF;
    }
}
