package org.communitypulse.ingest.importing.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.internals.CountingInputStream;

/**
 * Reads a JSON-lines file, plain or gzip (recognised by its magic bytes, not its name), one object per line:
 * memory stays at one line whatever the file size. A line that is not a JSON object, and a truncated or corrupt
 * gzip stream, are rejected with the file name and line number; the lines before them are imported.
 *
 * <p>A line longer than {@link #maxLineBytes()} (default {@value #DEFAULT_MAX_LINE_BYTES} bytes, environment
 * variable {@value #MAX_LINE_BYTES_ENV}) is rejected with its line number and skipped without being held in
 * memory, and the import goes on with the next line: a small gzip can hold one line of gigabytes.
 */
public final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    /** Environment variable overriding the longest line accepted, in bytes. */
    public static final String MAX_LINE_BYTES_ENV = "PULSE_IMPORT_MAX_LINE_BYTES";
    /** Longest line accepted by default: far above any real event, far below a heap. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

    private JsonLines() {
    }

    /** Receives one parsed line. */
    @FunctionalInterface
    public interface LineHandler {
        void accept(long lineNumber, JsonNode object);
    }

    /** The longest line accepted: {@value #MAX_LINE_BYTES_ENV} when set, else the default. */
    public static int maxLineBytes() {
        return maxLineBytes(System.getenv());
    }

    static int maxLineBytes(java.util.Map<String, String> environment) {
        String value = environment.get(MAX_LINE_BYTES_ENV);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_LINE_BYTES;
        }
        try {
            int max = Integer.parseInt(value.strip());
            if (max >= 1) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ImportException(MAX_LINE_BYTES_ENV + " must be a positive number of bytes (at most "
                + Integer.MAX_VALUE + "), was '" + value + "'");
    }

    /** Reads {@code path}, sending each object to {@code handler} and each bad line to {@code run}'s rejects. */
    public static void read(Path path, ImportRun run, LineHandler handler) {
        read(path, run, handler, maxLineBytes());
    }

    /** As {@link #read(Path, ImportRun, LineHandler)}, rejecting lines longer than {@code maxLineBytes}. */
    public static void read(Path path, ImportRun run, LineHandler handler, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        String name = path.getFileName().toString();
        long lineNumber = 0;
        long rows = 0;
        try (CountingInputStream counting = new CountingInputStream(Files.newInputStream(path))) {
            try {
                BoundedLines reader = new BoundedLines(maybeGunzip(counting), maxLineBytes);
                while (reader.next()) {
                    lineNumber++;
                    if (reader.tooLong()) {
                        rows++;
                        run.reject(name, lineNumber, "line longer than " + maxLineBytes + " bytes, skipped (limit: "
                                + MAX_LINE_BYTES_ENV + ")");
                        run.row(name, rows, counting.count());
                        continue;
                    }
                    String line = reader.text(lineNumber == 1);
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

    /**
     * Lines of a byte stream, each held only up to a maximum: the rest of a longer line is read past, not stored.
     * Lines end at {@code \n}; a {@code \r} before it is dropped.
     */
    static final class BoundedLines {
        private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

        private final InputStream in;
        private final int max;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private byte[] line = new byte[1024];
        private int length;
        private boolean tooLong;

        BoundedLines(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        /** Reads the next line; {@code false} at the end of the stream. */
        boolean next() throws IOException {
            length = 0;
            tooLong = false;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return any;
                    }
                }
                any = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                append(start, position - start);
                if (position < limit) {
                    position++;
                    return true;
                }
            }
        }

        private void append(int start, int count) {
            if (tooLong || count == 0) {
                return;
            }
            // One byte of slack for a '\r' that the terminator check strips.
            if ((long) length + count > (long) max + 1) {
                tooLong = true;
                length = 0;
                return;
            }
            if (length + count > line.length) {
                line = Arrays.copyOf(line, (int) Math.min(Math.max((long) line.length * 2, length + count),
                        (long) max + 1));
            }
            System.arraycopy(buffer, start, line, length, count);
            length += count;
        }

        /** Whether the last line was longer than the maximum (its content was not kept). */
        boolean tooLong() {
            if (!tooLong && length > max && !(length == max + 1 && line[length - 1] == '\r')) {
                tooLong = true;
            }
            return tooLong;
        }

        /** The last line as text; on the first line, without the byte-order mark some editors write. */
        String text(boolean first) {
            int from = first && length >= 3 && Arrays.equals(line, 0, 3, UTF8_BOM, 0, 3) ? 3 : 0;
            int to = length > from && line[length - 1] == '\r' ? length - 1 : length;
            return new String(line, from, to - from, StandardCharsets.UTF_8);
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
