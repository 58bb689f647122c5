package org.communitypulse.ingest.importing.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.internals.CountingInputStream;

/**
 * Reads a JSON-lines file, plain or gzip (recognised by its magic bytes, not its name), one object per line:
 * memory stays at one line whatever the file size. A line that is not a JSON object, and a truncated or corrupt
 * gzip stream, are rejected with the file name and line number; the lines before them are imported.
 */
public final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    private static final char BOM = '\uFEFF';

    private JsonLines() {
    }

    /** Receives one parsed line. */
    @FunctionalInterface
    public interface LineHandler {
        void accept(long lineNumber, JsonNode object);
    }

    /** Reads {@code path}, sending each object to {@code handler} and each bad line to {@code run}'s rejects. */
    public static void read(Path path, ImportRun run, LineHandler handler) {
        String name = path.getFileName().toString();
        long lineNumber = 0;
        long rows = 0;
        try (CountingInputStream counting = new CountingInputStream(Files.newInputStream(path))) {
            try {
                BufferedReader reader = new BufferedReader(
                        new InputStreamReader(maybeGunzip(counting), StandardCharsets.UTF_8), 1 << 16);
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BOM) {
                        // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the JSON.
                        line = line.substring(1);
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    rows++;
                    JsonNode node;
                    try {
                        node = JSON.readTree(line);
                    } catch (JsonProcessingException e) {
                        run.reject(name, lineNumber, "not valid JSON: " + e.getOriginalMessage());
                        run.row(name, rows, counting.count());
                        continue;
                    }
                    if (node == null || !node.isObject()) {
                        run.reject(name, lineNumber, "not a JSON object (one object per line expected)");
                    } else {
                        handler.accept(lineNumber, node);
                    }
                    run.row(name, rows, counting.count());
                }
            } catch (IOException e) {
                // A truncated gzip ends with an EOF inside the stream: keep what came before, name where it broke.
                run.reject(name, lineNumber + 1, "input ends abruptly (truncated or corrupt gzip?): " + e.getMessage());
            }
            run.fileDone(name, rows, counting.count());
        } catch (IOException e) {
            throw new ImportException("Could not read " + path + ": " + e.getMessage(), e);
        }
    }

    static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2 ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Size of {@code path}, for progress. */
    public static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new ImportException("Could not read " + path + ": " + e.getMessage(), e);
        }
    }
}
