package org.communitypulse.embedded.internals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/** The last lines of a child process's log, for error messages that explain a failed start. */
public final class LogTail {

    private LogTail() {
    }

    /** The last {@code lines} lines of {@code file}, or a note saying why it could not be read. */
    public static String of(Path file, int lines) {
        Deque<String> tail = new ArrayDeque<>(lines);
        // Lenient decoding: a child's log can contain bytes in any encoding.
        try (Stream<String> all = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            all.forEach(line -> {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log not readable: " + e.getMessage() + ")";
        }
        return String.join(System.lineSeparator(), tail);
    }
}
