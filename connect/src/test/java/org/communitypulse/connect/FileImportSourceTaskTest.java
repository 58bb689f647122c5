package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the task does before any event is serialized: which paths it opens and how it fails. */
class FileImportSourceTaskTest {

    @TempDir
    Path dir;

    private final FileImportSourceTask task = new FileImportSourceTask();
    private final Map<Map<String, ?>, Map<String, Object>> stored = new HashMap<>();

    @AfterEach
    void stopTask() {
        task.stop();
    }

    private void start(Path path) {
        Map<String, String> props = FileImportSourceConnectorTest.props(path.toString());
        props.put(FileImportConfig.TASK_PATHS_CONFIG, path.toString());
        PollerTasks.started(task, props, new ArrayList<>(), stored::get);
    }

    @Test
    void shouldFailNamingPathWhenExportCannotBeOpened() {
        Path missing = dir.resolve("missing.jsonl");
        start(missing);
        assertThatThrownBy(() -> {
            while (true) {
                task.poll();
            }
        }).isInstanceOf(ConnectException.class).hasMessageContaining("Import of " + missing + " (cloudevents) failed");
    }

    @Test
    void shouldNotReadPathAgainWhenOffsetSaysDone() throws InterruptedException {
        Path imported = dir.resolve("gone-since.jsonl");
        Map<String, Object> offset = new HashMap<>();
        offset.put(FileImportSourceTask.OFFSET_EVENTS, 3000L);
        offset.put(FileImportSourceTask.OFFSET_DONE, true);
        stored.put(FileImportSourceTask.partition(ImportSource.CLOUDEVENTS, imported, "makers"), offset);
        start(imported);
        // The file no longer exists: reading it would fail, so an idle poll proves it was skipped.
        assertThat(task.poll()).isNull();
        assertThat(task.poll()).isNull();
    }
}
