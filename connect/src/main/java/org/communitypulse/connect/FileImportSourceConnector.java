package org.communitypulse.connect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * The importers of {@code pulse import} as a Kafka Connect source: {@code import.source} names the importer,
 * {@code import.paths} the exports. Paths are dealt round-robin to at most {@code tasks.max} tasks, so Connect
 * spreads them over its workers; each task reads its paths one at a time and records how far it got in Connect's
 * offsets (see {@link FileImportSourceTask}).
 */
public final class FileImportSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Versions.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        FileImportConfig config = new FileImportConfig(props);
        Converters.require(props);
        config.pseudonymiser();
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FileImportSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> paths = new FileImportConfig(props).paths();
        int tasks = Math.max(1, Math.min(maxTasks, paths.size()));
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < paths.size(); i++) {
            // Absolute and normalised: the offsets are keyed by path and must not depend on how it was written.
            groups.get(i % tasks).add(Path.of(paths.get(i).trim()).toAbsolutePath().normalize().toString());
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (List<String> group : groups) {
            Map<String, String> task = new HashMap<>(props);
            task.put(FileImportConfig.TASK_PATHS_CONFIG, String.join(",", group));
            configs.add(task);
        }
        return configs;
    }

    /** Offsets are derived from the input alone, so a transactional worker can commit them with the records. */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return FileImportConfig.CONFIG_DEF;
    }
}
