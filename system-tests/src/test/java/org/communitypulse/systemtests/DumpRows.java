package org.communitypulse.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The tests' own reader of Stack Exchange dump rows: a regex over lines, sharing no code with the
 * importer, so expected values are computed independently of what is being tested.
 */
final class DumpRows {

    private static final Pattern ATTR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private DumpRows() {
    }

    /** Calls {@code action} with the attributes of every {@code <row .../>} line of {@code file}. */
    static void forEachRow(Path file, Consumer<Map<String, String>> action) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            lines.filter(l -> l.trim().startsWith("<row ")).forEach(line -> {
                Map<String, String> attrs = new HashMap<>();
                Matcher m = ATTR.matcher(line);
                while (m.find()) {
                    attrs.put(m.group(1), m.group(2));
                }
                action.accept(attrs);
            });
        }
    }
}
