package org.communitypulse.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The release gate: every schema must stay BACKWARD compatible with its last released version, i.e.
 * the current schema can read everything written with the released one (old topic data, changelogs,
 * producers not yet upgraded). The baselines live in {@code src/main/avro-released/<version>/}; every
 * version folder is checked, and the newest one must hold every schema in {@code src/main/avro}, so a new
 * schema cannot be published without a baseline (see the README there).
 */
class ReleasedSchemaCompatibilityTest {

    private static final Path RELEASED = Path.of(System.getProperty("basedir", "."), "src/main/avro-released");
    private static final Path CURRENT = Path.of(System.getProperty("basedir", "."), "src/main/avro");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GENERATED_PACKAGE = "org.communitypulse.schemas.avro";

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void shouldReadReleasedDataWhenCurrentSchemasChange(String version) throws IOException {
        Map<String, Schema> released = releasedSchemas(RELEASED.resolve(version));
        // A missing or emptied baseline must not pass silently.
        assertThat(released).as("baselines in %s", version).containsKeys("ActivityEvent", "CommunityDayKey",
                "DailyEngagement", "DailyEngagementState", "EventType", "SourcePlatform");

        released.forEach((name, releasedSchema) -> {
            Schema current = currentSchema(name);
            assertThat(backwardIncompatibility(current, releasedSchema))
                    .as("%s must read data written with its released schema (%s)", name, version)
                    .isEmpty();
        });
    }

    /** Older releases stay checked too: their data may still sit in topics and changelogs. */
    static Stream<String> releases() throws IOException {
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString())
                    .sorted(ReleasedSchemaCompatibilityTest::compareVersions).toList().stream();
        }
    }

    @Test
    void shouldHaveBaselineForEveryPublishedSchemaInNewestRelease() throws IOException {
        Set<String> published = publishedSchemaNames(CURRENT);
        // Guards the scan itself: an empty scan would make the check below vacuous.
        assertThat(published).contains("ActivityEvent", "Alert", "TrailingEngagement", "MaturityScorecard",
                "EventType", "SourcePlatform");

        Path newest = newestRelease();
        assertThat(withoutBaseline(published, releasedSchemas(newest).keySet()))
                .as("schemas in src/main/avro without a baseline in %s: copy them there (see avro-released/README.md)",
                        newest.getFileName())
                .isEmpty();
    }

    @Test
    void shouldReportSchemaWithoutBaselineWhenNewSchemaIsAdded() {
        assertThat(withoutBaseline(Set.of("ActivityEvent", "Brand", "New"), Set.of("ActivityEvent", "Brand")))
                .containsExactly("New");
        assertThat(withoutBaseline(Set.of("ActivityEvent"), Set.of("ActivityEvent", "Removed"))).isEmpty();
    }

    /** Top-level schema names of every {@code .avsc} under {@code dir}: the types the project publishes. */
    static Set<String> publishedSchemaNames(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".avsc")).toList()) {
                JsonNode json = JSON.readTree(file.toFile());
                names.add(json.path("name").asText(file.getFileName().toString().replace(".avsc", "")));
            }
        }
        return names;
    }

    static Set<String> withoutBaseline(Set<String> published, Set<String> baselines) {
        Set<String> missing = new TreeSet<>(published);
        missing.removeAll(baselines);
        return missing;
    }

    @Test
    void shouldReportIncompatibilityWhenRequiredFieldWithoutDefaultIsAdded() throws IOException {
        Schema released = releasedSchemas(newestRelease()).get("ActivityEvent");
        Schema withRequiredField = addField(released, "{\"name\": \"score\", \"type\": \"long\"}");

        Optional<String> problem = backwardIncompatibility(withRequiredField, released);

        assertThat(problem).hasValueSatisfying(message -> assertThat(message)
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("score"));
        // The same field with a default is a compatible change.
        Schema withDefault = addField(released, "{\"name\": \"score\", \"type\": \"long\", \"default\": 0}");
        assertThat(backwardIncompatibility(withDefault, released)).isEmpty();
    }

    @Test
    void shouldReportIncompatibilityWhenFieldTypeChanges() throws IOException {
        Schema released = releasedSchemas(newestRelease()).get("CommunityDayKey");
        Schema retyped = new Schema.Parser().parse(released.toString()
                .replace("\"type\":\"int\",\"logicalType\":\"date\"", "\"type\":\"string\""));

        assertThat(backwardIncompatibility(retyped, released))
                .hasValueSatisfying(message -> assertThat(message).contains("TYPE_MISMATCH").contains("/fields/1/type"));
    }

    /** Why {@code current} cannot read data written with {@code released}, or empty when it can. */
    static Optional<String> backwardIncompatibility(Schema current, Schema released) {
        SchemaCompatibilityResult result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, released).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        return Optional.of(result.getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .collect(Collectors.joining("; ")));
    }

    /** The version folder that sorts last by numeric version (0.10.0 after 0.9.1). */
    private static Path newestRelease() throws IOException {
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            return dirs.filter(Files::isDirectory)
                    .max(Comparator.comparing(dir -> dir.getFileName().toString(),
                            ReleasedSchemaCompatibilityTest::compareVersions))
                    .orElseThrow(() -> new AssertionError("no released version folder in " + RELEASED.toAbsolutePath()));
        }
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? Long.compare(Long.parseLong(p), Long.parseLong(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Every released top-level schema by simple name; each file is parsed on its own (they inline shared enums). */
    private static Map<String, Schema> releasedSchemas(Path version) throws IOException {
        Map<String, Schema> schemas = new TreeMap<>();
        try (Stream<Path> files = Files.list(version)) {
            List<Path> avsc = files.filter(f -> f.getFileName().toString().endsWith(".avsc")).sorted().toList();
            for (Path file : avsc) {
                Schema schema = new Schema.Parser().parse(file.toFile());
                schemas.put(schema.getName(), schema);
            }
        }
        return schemas;
    }

    /** The schema the code is built with now: that of the generated class. */
    private static Schema currentSchema(String name) {
        try {
            Class<?> type = Class.forName(GENERATED_PACKAGE + "." + name);
            return SpecificData.get().getSchema(type);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("released schema " + name + " has no generated class any more: removing a "
                    + "released schema breaks readers of its data", e);
        }
    }

    private static Schema addField(Schema record, String fieldJson) {
        String json = record.toString();
        int fieldsStart = json.indexOf("\"fields\":[") + "\"fields\":[".length();
        return new Schema.Parser().parse(json.substring(0, fieldsStart) + fieldJson + "," + json.substring(fieldsStart));
    }
}
