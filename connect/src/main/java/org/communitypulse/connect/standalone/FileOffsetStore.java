package org.communitypulse.connect.standalone;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Source offsets in a JSON file ({@code [{"partition": {...}, "offset": {...}}, ...]}), the standalone
 * counterpart of Connect's offsets topic. Saved by writing a temporary file and moving it over the old one, so
 * a crash leaves either the old or the new offsets, never half a file.
 */
public final class FileOffsetStore implements OffsetStorageReader {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() {
    };

    /** One partition's offset, as stored. */
    public record Entry(Map<String, Object> partition, Map<String, Object> offset) {
    }

    private final Path file;
    private final Map<Map<String, Object>, Map<String, Object>> offsets = new LinkedHashMap<>();

    /** @throws ConnectException when the file exists but cannot be read as offsets */
    public FileOffsetStore(Path file) {
        this.file = file.toAbsolutePath();
        if (Files.exists(this.file)) {
            try {
                for (Entry entry : JSON.readValue(this.file.toFile(), ENTRIES)) {
                    offsets.put(entry.partition(), entry.offset());
                }
            } catch (IOException e) {
                throw new ConnectException("Cannot read the offsets file " + this.file + ": " + e.getMessage(), e);
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized <T> Map<String, Object> offset(Map<String, T> partition) {
        Map<String, Object> offset = offsets.get(new HashMap<String, Object>(partition));
        return offset == null ? null : new HashMap<>(offset);
    }

    @Override
    public synchronized <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
        Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
        for (Map<String, T> partition : partitions) {
            Map<String, Object> offset = offset(partition);
            if (offset != null) {
                out.put(partition, offset);
            }
        }
        return out;
    }

    /** Remembers a record's offset (the later one of a partition wins); {@link #save()} makes it durable. */
    public synchronized void put(Map<String, ?> partition, Map<String, ?> offset) {
        if (partition != null && offset != null) {
            offsets.put(new HashMap<>(partition), new HashMap<>(offset));
        }
    }

    /** @throws ConnectException when the file cannot be written */
    public synchronized void save() {
        List<Entry> entries = new ArrayList<>();
        offsets.forEach((partition, offset) -> entries.add(new Entry(partition, offset)));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), entries);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConnectException("Cannot write the offsets file " + file + ": " + e.getMessage(), e);
        }
    }
}
