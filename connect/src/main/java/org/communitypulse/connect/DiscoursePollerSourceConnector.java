package org.communitypulse.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Follows a Discourse forum's new topics and posts through its API ({@code /posts.json}, newest first, paged with
 * {@code before}) and publishes them as activity events, with the ids of {@code pulse import discourse} and the
 * webhooks. One task: a forum's post stream is one ordered sequence (offset: the last published post id).
 */
public final class DiscoursePollerSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Versions.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        DiscoursePollerConfig config = new DiscoursePollerConfig(props);
        Converters.require(props);
        config.apiSettings();
        config.pseudonymiser();
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DiscoursePollerSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return DiscoursePollerConfig.CONFIG_DEF;
    }
}
