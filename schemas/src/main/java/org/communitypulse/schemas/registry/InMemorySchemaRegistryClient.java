package org.communitypulse.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A real, in-process schema registry with Confluent's semantics, for tests without a server
 * (TopologyTestDriver) and for the {@code mock://} URL scheme.
 *
 * <p>Global ids are sequential from 1 and the same schema text always gets the same id, in any
 * subject. Each subject keeps its versions. Registration checks compatibility with the latest
 * version (or all versions for the {@code _TRANSITIVE} levels) using Avro's own
 * {@link SchemaCompatibility}, like Confluent does; the default level is Confluent's, BACKWARD.
 * Errors carry the same HTTP status and error codes a real registry answers with.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    /** Compatibility levels Confluent defines. */
    public static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idByText = new HashMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, String> levelBySubject = new HashMap<>();
    private String globalLevel = "BACKWARD";

    /**
     * The shared instance of a named scope, created on first use: serdes configured by class name
     * with {@code schema.registry.url=mock://SCOPE} meet in the same registry.
     */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
    }

    /** Forgets a named scope, so the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        String text = schema.toString();
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existing = idByText.get(text);
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        String problem = incompatibility(subject, schema, versions);
        if (problem != null) {
            throw new SchemaRegistryException("In-memory schema registry rejected schema for subject " + subject
                    + ": 409 Schema being registered is incompatible with an earlier schema (" + problem + ")",
                    409, 409, "Schema being registered is incompatible with an earlier schema; " + problem);
        }
        int id = existing != null ? existing : schemaById.size() + 1;
        if (existing == null) {
            idByText.put(text, id);
            schemaById.put(id, schema);
        }
        versions.add(id);
        return id;
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw notFound("Subject '" + subject + "' not found.", SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        Integer id = idByText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw notFound("Schema not found under subject '" + subject + "'.",
                    SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw notFound("Schema " + id + " not found", SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        String normalised = Objects.requireNonNull(level, "level").toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(normalised)) {
            throw new SchemaRegistryException("In-memory schema registry rejected compatibility level " + level
                    + ": 422 (error_code 42203) Invalid compatibility level", 422, 42203,
                    "Invalid compatibility level");
        }
        if (subject == null) {
            globalLevel = normalised;
        } else {
            levelBySubject.put(subject, normalised);
        }
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw notFound("Subject '" + subject + "' not found.", SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        return incompatibility(subject, schema, versions) == null;
    }

    /** All schema ids registered under {@code subject}, oldest version first. */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }

    /** The compatibility level in force for {@code subject}. */
    public synchronized String compatibility(String subject) {
        return levelBySubject.getOrDefault(subject, globalLevel);
    }

    /** Why {@code candidate} may not join {@code versions} at the subject's level, or null when it may. */
    private String incompatibility(String subject, Schema candidate, List<Integer> versions) {
        String level = compatibility(subject);
        if (versions.isEmpty() || level.equals("NONE")) {
            return null;
        }
        boolean transitive = level.endsWith("_TRANSITIVE");
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<Integer> against = transitive ? versions : List.of(versions.get(versions.size() - 1));
        for (int id : against) {
            Schema earlier = schemaById.get(id);
            // BACKWARD: consumers on the new schema must read data written with the earlier one.
            if (backward) {
                String problem = check(candidate, earlier);
                if (problem != null) {
                    return level + " check against id " + id + ": " + problem;
                }
            }
            if (forward) {
                String problem = check(earlier, candidate);
                if (problem != null) {
                    return level + " check against id " + id + ": " + problem;
                }
            }
        }
        return null;
    }

    private static String check(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .reduce((a, b) -> a + "; " + b)
                .orElse(result.getDescription());
    }

    private static SchemaRegistryException notFound(String message, int errorCode) {
        return new SchemaRegistryException("In-memory schema registry: 404 (error_code " + errorCode + ") "
                + message, 404, errorCode, message);
    }
}
