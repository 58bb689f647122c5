package org.communitypulse.connect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of {@link FileImportSourceConnector}. */
public final class FileImportConfig extends PulseConnectConfig {

    public static final String SOURCE_CONFIG = "import.source";
    public static final String SOURCE_DOC = "Which importer reads the paths: one of "
            + String.join(", ", ImportSource.configNames()) + " (as pulse import <source>).";

    public static final String PATHS_CONFIG = "import.paths";
    public static final String PATHS_DOC = "Export files (folders for stackexchange and discourse), as the worker "
            + "sees them; one task reads one path at a time, paths are spread over at most tasks.max tasks.";

    public static final String MAX_EVENTS_PER_SECOND_CONFIG = "max.events.per.second";
    public static final String MAX_EVENTS_PER_SECOND_DOC = "Events per second each task publishes at most, so a "
            + "backfill does not crowd out live traffic; 0 for no limit.";

    /** Set by the connector on each task: the paths that task reads. Not for users. */
    public static final String TASK_PATHS_CONFIG = "import.task.paths";
    static final String TASK_PATHS_DOC = "Paths of one task (set by the connector).";

    public static final ConfigDef CONFIG_DEF = baseConfigDef()
            .define(SOURCE_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.CaseInsensitiveValidString.in(ImportSource.configNames()), Importance.HIGH, SOURCE_DOC)
            .define(PATHS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, FileImportConfig::paths, Importance.HIGH,
                    PATHS_DOC)
            .define(MAX_EVENTS_PER_SECOND_CONFIG, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    MAX_EVENTS_PER_SECOND_DOC);

    /** The task's definition: the connector's plus the paths it was given. */
    static final ConfigDef TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
            .define(TASK_PATHS_CONFIG, Type.LIST, List.of(), Importance.LOW, TASK_PATHS_DOC);

    public FileImportConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    private FileImportConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals);
    }

    /** A task's configuration, with {@link #TASK_PATHS_CONFIG}. */
    static FileImportConfig forTask(Map<?, ?> originals) {
        return new FileImportConfig(TASK_CONFIG_DEF, originals);
    }

    public ImportSource source() {
        return ImportSource.fromConfig(getString(SOURCE_CONFIG));
    }

    public List<String> paths() {
        return getList(PATHS_CONFIG);
    }

    public List<Path> taskPaths() {
        return getList(TASK_PATHS_CONFIG).stream().map(Path::of).toList();
    }

    public int maxEventsPerSecond() {
        return getInt(MAX_EVENTS_PER_SECOND_CONFIG);
    }

    private static void paths(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> paths = (List<String>) value;
        if (paths == null || paths.isEmpty() || paths.stream().anyMatch(String::isBlank)) {
            throw new ConfigException(name, value, "at least one non-empty path is required");
        }
        if (paths.stream().distinct().count() != paths.size()) {
            throw new ConfigException(name, value, "a path is listed twice");
        }
    }
}
