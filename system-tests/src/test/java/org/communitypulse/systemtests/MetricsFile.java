package org.communitypulse.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@code pulse replay} output file and compares it, key by key and field by field, with
 * expected records such as {@link ReferenceMetrics#records()}.
 */
final class MetricsFile {

    /** Ratios are doubles computed in different orders; anything closer than this is the same value. */
    static final double RATIO_TOLERANCE = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsFile() {
    }

    /** topic -> key text ({@link ReferenceMetrics#keyText}) -> {key, value}; a repeated key fails. */
    static Map<String, Map<String, JsonNode[]>> read(Path file) throws IOException {
        Map<String, Map<String, JsonNode[]>> topics = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode node = JSON.readTree(line);
            JsonNode key = node.get("key");
            String text = ReferenceMetrics.keyText(key);
            JsonNode[] previous = topics.computeIfAbsent(node.get("topic").asText(), t -> new TreeMap<>())
                    .put(text, new JsonNode[] {key, node.get("value")});
            if (previous != null) {
                throw new IllegalStateException("key " + text + " twice in " + file);
            }
        }
        return topics;
    }

    /**
     * Every difference between {@code expected} and {@code actual} over the expected topics, one line
     * each ({@code topic key field: expected X, actual Y}): missing and unexpected keys, missing and
     * unexpected fields, and differing values. Counts, dates, text and booleans must be equal,
     * timestamps the same instant, fractional numbers within {@link #RATIO_TOLERANCE}.
     */
    static List<String> differences(Map<String, Map<String, JsonNode[]>> expected,
                                    Map<String, Map<String, JsonNode[]>> actual) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, JsonNode[]>> topic : expected.entrySet()) {
            String name = topic.getKey();
            Map<String, JsonNode[]> got = actual.getOrDefault(name, Map.of());
            if (got.isEmpty() && !topic.getValue().isEmpty()) {
                out.add(name + ": no records at all (expected " + topic.getValue().size() + ")");
                continue;
            }
            for (Map.Entry<String, JsonNode[]> record : topic.getValue().entrySet()) {
                JsonNode[] other = got.get(record.getKey());
                if (other == null) {
                    out.add(name + " " + record.getKey() + ": missing key, expected " + record.getValue()[1]);
                } else {
                    compare(name + " " + record.getKey(), (JsonNode) record.getValue()[1], other[1], out);
                }
            }
            for (Map.Entry<String, JsonNode[]> record : got.entrySet()) {
                if (!topic.getValue().containsKey(record.getKey())) {
                    out.add(name + " " + record.getKey() + ": unexpected key, actual " + record.getValue()[1]);
                }
            }
        }
        return out;
    }

    /** How many differences each topic and field has, e.g. {@code pulse.engagement.daily events=3}. */
    static Map<String, Integer> tally(List<String> differences) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String d : differences) {
            String[] words = d.split(" ", 3);
            String what;
            if (words.length < 3 || words[0].endsWith(":")) {
                what = d;
            } else if (words[2].startsWith("missing key") || words[2].startsWith("unexpected key")) {
                what = words[0] + " " + words[2].substring(0, words[2].indexOf(','));
            } else {
                what = words[0] + " " + words[2].substring(0, Math.max(0, words[2].indexOf(':')));
            }
            counts.merge(what, 1, Integer::sum);
        }
        return counts;
    }

    private static void compare(String where, JsonNode expected, JsonNode actual, List<String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode want = field.getValue();
            JsonNode got = actual.get(field.getKey());
            if (got == null) {
                out.add(where + " " + field.getKey() + ": missing field, expected " + want);
            } else if (!same(want, got)) {
                out.add(where + " " + field.getKey() + ": expected " + want + ", actual " + got);
            }
        }
        actual.fieldNames().forEachRemaining(f -> {
            if (!expected.has(f)) {
                out.add(where + " " + f + ": unexpected field, actual " + actual.get(f));
            }
        });
    }

    static boolean same(JsonNode want, JsonNode got) {
        if (want.isNull() || got.isNull()) {
            return want.isNull() && got.isNull();
        }
        if (want.isIntegralNumber()) {
            return got.isIntegralNumber() && want.asLong() == got.asLong();
        }
        if (want.isNumber()) {
            return got.isNumber() && Math.abs(want.asDouble() - got.asDouble()) <= RATIO_TOLERANCE;
        }
        if (want.isTextual() && got.isTextual()) {
            return want.asText().equals(got.asText()) || sameInstant(want.asText(), got.asText());
        }
        return want.equals(got);
    }

    private static boolean sameInstant(String a, String b) {
        try {
            return Instant.parse(a).equals(Instant.parse(b));
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
