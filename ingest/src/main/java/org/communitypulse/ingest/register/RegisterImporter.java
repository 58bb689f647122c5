package org.communitypulse.ingest.register;

import static org.communitypulse.ingest.internals.CsvRows.optional;
import static org.communitypulse.ingest.internals.CsvRows.required;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.communitypulse.ingest.EventIds;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.internals.CsvRows;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;

/**
 * Imports an organisation's role register, training records, policy acknowledgements and declared evidence (CSV
 * with a header row, or JSON lines: one object per line with the same names as keys) as ROLE_GRANTED /
 * ROLE_REVOKED / TRAINING_COMPLETED / POLICY_ACKNOWLEDGED / EVIDENCE_DECLARED events, so the roles and maturity
 * families see them like connector events. A CSV header decides the kind of file, a JSON object's keys the kind of
 * its line:
 * <ul>
 *   <li>register: {@code member, role, granted_at, revoked_at, account} ({@code role} holds a role or a
 *       level; {@code revoked_at} and {@code account} may be empty);</li>
 *   <li>training: {@code member, course, completed_at, score} ({@code score} may be empty);</li>
 *   <li>policy acknowledgements: {@code member, policy, acknowledged_at};</li>
 *   <li>declarations: {@code declaration, subject, date, evidence, declared_by, valid_until} and the kind's own
 *       columns ({@link Declaration}; empty cells are ignored), checked by {@link Declaration#of}.</li>
 * </ul>
 * Times are ISO-8601 instants or dates (start of the UTC day). Ids are stable (EventIds over the row's
 * content), so re-importing a register publishes nothing new. Malformed rows are rejected with their
 * line number and reason; the rest is imported.
 */
public final class RegisterImporter {

    static final Set<String> REGISTER_COLUMNS = Set.of("member", "role", "granted_at", "revoked_at", "account");
    static final Set<String> TRAINING_COLUMNS = Set.of("member", "course", "completed_at", "score");
    static final Set<String> ACKNOWLEDGEMENT_COLUMNS = Set.of("member", "policy", "acknowledged_at");
    /** The day (or instant) a declaration row takes effect. */
    static final String DATE = "date";
    static final Set<String> DECLARATION_COLUMNS = Set.of(Declaration.KIND, Declaration.SUBJECT, DATE,
            Declaration.EVIDENCE, Declaration.DECLARED_BY, Declaration.VALID_UNTIL);
    private static final SourcePlatform SOURCE = SourcePlatform.OTHER;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final org.communitypulse.ingest.webhook.MemberPseudonymiser members;
    private final boolean declarationsOnly;

    /** Publishes member ids as the register gives them. */
    public RegisterImporter() {
        this(org.communitypulse.ingest.webhook.MemberPseudonymiser.none());
    }

    /**
     * {@code members} pseudonymises each row's member id as an id of the platform in its optional {@code source}
     * column ({@code OTHER} without one), with the key and recipe of the webhooks and importers: a register naming
     * raw Discourse ids with {@code source=discourse} lines up with that person's Discourse events.
     */
    public RegisterImporter(org.communitypulse.ingest.webhook.MemberPseudonymiser members) {
        this(members, false);
    }

    private RegisterImporter(org.communitypulse.ingest.webhook.MemberPseudonymiser members, boolean declarationsOnly) {
        this.members = java.util.Objects.requireNonNull(members, "members");
        this.declarationsOnly = declarationsOnly;
    }

    /** An importer of declaration rows only ({@code pulse declare --file}): any other row is rejected. */
    public static RegisterImporter declarations() {
        return new RegisterImporter(org.communitypulse.ingest.webhook.MemberPseudonymiser.none(), true);
    }

    public ImportSummary run(List<Path> files, String communityId, EventSink sink) {
        long started = System.nanoTime();
        Map<EventType, Long> byType = new EnumMap<>(EventType.class);
        Map<String, Long> rowsRead = new LinkedHashMap<>();
        List<ImportSummary.RejectedRow> rejected = new ArrayList<>();
        long[] rejectedTotal = {0};
        for (Path file : files) {
            String name = file.getFileName().toString();
            RowHandler handler = (line, row, kind) -> {
                try {
                    if (declarationsOnly && kind != RowKind.DECLARATION) {
                        throw new IllegalArgumentException("not a declaration (columns " + DECLARATION_COLUMNS
                                + " and the kind's columns)");
                    }
                    List<ActivityEvent> events = switch (kind) {
                        case REGISTER -> register(communityId, row);
                        case TRAINING -> training(communityId, row);
                        case ACKNOWLEDGEMENT -> acknowledgement(communityId, row);
                        case DECLARATION -> declaration(communityId, row);
                    };
                    SourcePlatform source = kind == RowKind.DECLARATION ? SOURCE : sourceOf(row);
                    for (ActivityEvent event : events) {
                        event.setActorId(members.apply(source, event.getActorId()));
                        sink.send(event);
                        byType.merge(event.getType(), 1L, Long::sum);
                    }
                } catch (IllegalArgumentException e) {
                    rejectedTotal[0]++;
                    keep(rejected, new ImportSummary.RejectedRow(name, line, e.getMessage()));
                }
            };
            RowHandler.Rejections unreadable = (line, reason) -> {
                rejectedTotal[0]++;
                keep(rejected, new ImportSummary.RejectedRow(name, line, reason));
            };
            try {
                long count = isJsonLines(file) ? readJsonLines(file, handler, unreadable)
                        : readCsv(file, name, handler, unreadable);
                rowsRead.put(name, count);
            } catch (IOException e) {
                throw new ImportException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        sink.flush();
        return new ImportSummary(communityId, byType, rowsRead, List.of(), Map.of(), Map.of(), rejected,
                rejectedTotal[0], Duration.ofNanos(System.nanoTime() - started));
    }

    /** What a row records. */
    private enum RowKind {
        REGISTER, TRAINING, ACKNOWLEDGEMENT, DECLARATION;

        /**
         * The kind of a row with these columns or keys, if any. A declaration may have a {@code policy} or
         * {@code course} column of its own, so its column decides first.
         */
        static java.util.Optional<RowKind> of(Set<String> columns) {
            if (columns.contains(Declaration.KIND)) {
                return java.util.Optional.of(DECLARATION);
            }
            if (columns.containsAll(Set.of("member", "course", "completed_at"))) {
                return java.util.Optional.of(TRAINING);
            }
            if (columns.containsAll(Set.of("member", "role", "granted_at"))) {
                return java.util.Optional.of(REGISTER);
            }
            if (columns.containsAll(ACKNOWLEDGEMENT_COLUMNS)) {
                return java.util.Optional.of(ACKNOWLEDGEMENT);
            }
            return java.util.Optional.empty();
        }

        /** A JSON line's kind by its keys alone, so a line missing a column is rejected for that column. */
        static java.util.Optional<RowKind> ofKeys(Set<String> keys) {
            if (keys.contains(Declaration.KIND)) {
                return java.util.Optional.of(DECLARATION);
            }
            if (keys.contains("course")) {
                return java.util.Optional.of(TRAINING);
            }
            if (keys.contains("role")) {
                return java.util.Optional.of(REGISTER);
            }
            return keys.contains("policy") ? java.util.Optional.of(ACKNOWLEDGEMENT) : java.util.Optional.empty();
        }

        static String expected() {
            return "a register (" + REGISTER_COLUMNS + "), training records (" + TRAINING_COLUMNS
                    + "), policy acknowledgements (" + ACKNOWLEDGEMENT_COLUMNS + ") or declarations ("
                    + DECLARATION_COLUMNS + " and the kind's columns)";
        }
    }

    /** Receives each readable row with its 1-based line number and what it records. */
    private interface RowHandler {
        void row(long line, Map<String, String> row, RowKind kind);

        /** Receives rows that could not be read at all. */
        interface Rejections {
            void reject(long line, String reason);
        }
    }

    /**
     * JSON lines when the name ends in {@code .jsonl}, {@code .ndjson} or {@code .json}, or the first
     * non-blank character is an opening brace (a CSV header never starts with one).
     */
    static boolean isJsonLines(Path file) throws IOException {
        String lower = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
            return true;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            do {
                c = reader.read();
            } while (c != -1 && (Character.isWhitespace(c) || c == '\uFEFF'));
            return c == '{';
        }
    }

    /** CSV with a header row, which decides the kind of every row. Returns the rows read. */
    private static long readCsv(Path file, String name, RowHandler handler, RowHandler.Rejections unreadable)
            throws IOException {
        try (CsvRows rows = CsvRows.open(file)) {
            Set<String> header = rows.header();
            RowKind kind = RowKind.of(header).orElseThrow(() -> new ImportException(name + ": header " + header
                    + " is none of " + RowKind.expected()));
            return rows.forEach((line, row) -> handler.row(line, row, kind), unreadable::reject);
        }
    }

    /**
     * One JSON object per line with the CSV's column names as keys (strings, numbers or null); each object's
     * keys decide its kind ({@code declaration}: a declaration, {@code course}: training, {@code role}: register,
     * {@code policy}: an acknowledgement), so one file may hold them all.
     * Blank lines are skipped. Returns the rows read (blank lines not counted).
     */
    private static long readJsonLines(Path file, RowHandler handler, RowHandler.Rejections unreadable)
            throws IOException {
        long count = 0;
        long line = 0;
        try (java.io.BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                count++;
                com.fasterxml.jackson.databind.JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (IOException e) {
                    unreadable.reject(line, "unreadable JSON: " + e.getMessage().lines().findFirst().orElse(""));
                    continue;
                }
                if (node == null || !node.isObject()) {
                    unreadable.reject(line, "not a JSON object");
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                String problem = null;
                for (var field : node.properties()) {
                    com.fasterxml.jackson.databind.JsonNode value = field.getValue();
                    if (value.isNull()) {
                        continue;
                    }
                    if (!value.isValueNode()) {
                        problem = field.getKey() + " is not a string or a number";
                        break;
                    }
                    row.put(field.getKey(), value.asText());
                }
                if (problem != null) {
                    unreadable.reject(line, problem);
                    continue;
                }
                java.util.Optional<RowKind> kind = RowKind.ofKeys(row.keySet());
                if (kind.isPresent()) {
                    handler.row(line, row, kind.get());
                } else {
                    unreadable.reject(line, "none of " + RowKind.expected());
                }
            }
        }
        return count;
    }

    /** The platform whose id the row's member is: its {@code source} column, else OTHER. */
    private static SourcePlatform sourceOf(Map<String, String> row) {
        String source = row.get("source");
        if (source == null || source.isBlank()) {
            return SOURCE;
        }
        try {
            return SourcePlatform.valueOf(source.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source '" + source + "' is not one of "
                    + java.util.Arrays.toString(SourcePlatform.values()));
        }
    }

    private static void keep(List<ImportSummary.RejectedRow> rejected, ImportSummary.RejectedRow row) {
        if (rejected.size() < ImportSummary.MAX_REJECTED_KEPT) {
            rejected.add(row);
        }
    }

    static List<ActivityEvent> register(String communityId, Map<String, String> row) {
        String member = required(row, "member");
        String role = required(row, "role");
        Instant granted = time(row, "granted_at");
        String revokedText = optional(row, "revoked_at");
        String account = optional(row, "account");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("role", role);
        if (account != null) {
            attributes.put("account", account);
        }
        String item = member + '|' + role + '|' + (account == null ? "" : account) + '|' + granted;
        List<ActivityEvent> events = new ArrayList<>();
        events.add(event(communityId, "register-grant", item, EventType.ROLE_GRANTED, member, granted, attributes));
        if (revokedText != null) {
            Instant revoked = time(row, "revoked_at");
            if (revoked.isBefore(granted)) {
                throw new IllegalArgumentException("revoked_at " + revoked + " is before granted_at " + granted);
            }
            events.add(event(communityId, "register-revoke", item, EventType.ROLE_REVOKED, member, revoked, attributes));
        }
        return events;
    }

    static List<ActivityEvent> training(String communityId, Map<String, String> row) {
        String member = required(row, "member");
        String course = required(row, "course");
        Instant completed = time(row, "completed_at");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("course", course);
        String score = optional(row, "score");
        if (score != null) {
            try {
                Double.parseDouble(score);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("score '" + score + "' is not a number");
            }
            attributes.put("score", score);
        }
        return List.of(event(communityId, "training", member + '|' + course + '|' + completed,
                EventType.TRAINING_COMPLETED, member, completed, attributes));
    }

    static List<ActivityEvent> acknowledgement(String communityId, Map<String, String> row) {
        String member = required(row, "member");
        String policy = required(row, "policy");
        Instant acknowledged = time(row, "acknowledged_at");
        return List.of(event(communityId, "policy-acknowledgement", member + '|' + policy + '|' + acknowledged,
                EventType.POLICY_ACKNOWLEDGED, member, acknowledged, Map.of("policy", policy)));
    }

    /** A declaration row: its {@value #DATE} is when it takes effect, every other cell one of its attributes. */
    static List<ActivityEvent> declaration(String communityId, Map<String, String> row) {
        Map<String, String> attributes = new LinkedHashMap<>(row);
        attributes.remove(DATE);
        return List.of(Declaration.of(communityId, time(row, DATE), attributes).toEvent(SOURCE));
    }

    private static ActivityEvent event(String communityId, String kind, String item, EventType type, String member,
                                       Instant at, Map<String, String> attributes) {
        return ActivityEvent.newBuilder().setEventId(EventIds.of(SOURCE, communityId, kind, item))
                .setCommunityId(communityId).setSource(SOURCE).setType(type).setActorId(member).setOccurredAt(at)
                .setAttributes(attributes).build();
    }

    private static Instant time(Map<String, String> row, String column) {
        String text = required(row, column);
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(column + " '" + text + "' is not an ISO-8601 instant or date");
        }
    }
}
