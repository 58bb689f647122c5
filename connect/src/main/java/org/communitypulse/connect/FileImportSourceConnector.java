package org.communitypulse.connect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * The importers of {@code pulse import} as a Kafka Connect source: {@code import.source} names the importer,
 * {@code import.paths} the exports. Paths are dealt round-robin to at most {@code tasks.max} tasks, so Connect
 * spreads them over its workers; each task reads its paths one at a time and records how far it got in Connect's
 * offsets (see {@link FileImportSourceTask}).
 */
public final class FileImportSourceConnector extends PulseSourceConnector<FileImportConfig> {

    @Override
    FileImportConfig parse(Map<String, String> props) {
        return new FileImportConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FileImportSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> paths = parse(props()).paths();
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
            Map<String, String> task = new HashMap<>(props());
            task.put(FileImportConfig.TASK_PATHS_CONFIG, String.join(",", group));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public ConfigDef config() {
        return FileImportConfig.CONFIG_DEF;
    }
}
