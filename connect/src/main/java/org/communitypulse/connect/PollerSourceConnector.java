package org.communitypulse.connect;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * What the API poller connectors share: one task (a platform's rate limit belongs to its token or workspace, and
 * its cursor is one sequence), records with Avro day-count keys the task serializes itself, and API settings
 * checked on start, so a bad URL or token fails the connector rather than its task.
 */
abstract class PollerSourceConnector<C extends PulseConnectConfig> extends PulseSourceConnector<C> {

    private final Function<Map<String, String>, C> parser;
    private final Function<C, ?> apiSettings;
    private final Class<? extends Task> taskClass;
    private final ConfigDef configDef;

    /**
     * @param apiSettings builds the API client's settings from the configuration, throwing when it cannot
     */
    PollerSourceConnector(Function<Map<String, String>, C> parser, Function<C, ?> apiSettings,
                          Class<? extends Task> taskClass, ConfigDef configDef) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.apiSettings = Objects.requireNonNull(apiSettings, "apiSettings");
        this.taskClass = Objects.requireNonNull(taskClass, "taskClass");
        this.configDef = Objects.requireNonNull(configDef, "configDef");
    }

    @Override
    final C parse(Map<String, String> props) {
        return parser.apply(props);
    }

    @Override
    final void check(C config) {
        apiSettings.apply(config);
        super.check(config);
    }

    @Override
    final String keyConverter() {
        return PulseConnectConfig.POLLER_KEY_CONVERTER;
    }

    @Override
    public final Class<? extends Task> taskClass() {
        return taskClass;
    }

    @Override
    public final List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props());
    }

    @Override
    public final ConfigDef config() {
        return configDef;
    }
}
