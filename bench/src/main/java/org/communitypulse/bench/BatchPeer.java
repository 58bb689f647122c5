package org.communitypulse.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.intake.IntakeTopology;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The batch peer: the same events in a PostgreSQL table and the engagement records of every
 * {@link PeerRecordKind} ({@code pulse.engagement.daily}, {@code .trailing}, {@code .retention}) recomputed
 * from all of them, one SQL statement per kind after the tables they share ({@code peer-common.sql}), as a
 * batch system would after every load.
 *
 * <p>Events go in with {@code COPY}, blank actor and thread ids as NULL (the pipeline reads them as
 * absent too); {@code eventId} is the primary key, the batch counterpart of the pipeline's dedup.
 * Events the pipeline's intake would reject (the same check, {@link IntakeTopology#accepts}, with the default one-day
 * future skew) are left out and counted, so both sides count the same accepted events.
 */
public final class BatchPeer implements AutoCloseable {

    private static final String COMMON_RESOURCE = "peer-common.sql";
    /** What the kinds share (staff intervals, thread starts), as a step of the recompute's timing. */
    public static final String COMMON_STEP = "common";
    private static final int COPY_BUFFER_CHARS = 1 << 16;
    private static final String KIND = "kind";
    private static final String ROLE = "role";
    private static final String ANSWER_AUTHOR = "answerAuthorId";

    private static final String COMMON_TABLES = "staff_intervals, thread_starts";
    /** Every table a recompute writes: the shared ones and one per kind. */
    private static final String RESULT_TABLES = COMMON_TABLES + ", " + Arrays.stream(PeerRecordKind.values())
            .map(k -> k.table).collect(Collectors.joining(", "));

    private final Connection connection;
    /** The SQL of the shared tables, then of each kind, by step name. */
    private final Map<String, String> steps = new LinkedHashMap<>();
    private final Predicate<ActivityEvent> accepted;
    private long rejected;

    /**
     * @param staffRoles the pipeline's {@code staff.roles}, so both sides call the same members staff
     */
    public BatchPeer(Connection connection, Collection<String> staffRoles) throws SQLException, IOException {
        this.connection = connection;
        this.accepted = IntakeTopology.accepts(IntakeSettings.defaults(), RuntimeHooks.defaults());
        steps.put(COMMON_STEP, resource(COMMON_RESOURCE));
        for (PeerRecordKind kind : PeerRecordKind.values()) {
            steps.put(kind.label, resource(kind.sqlResource));
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS events, staff_roles, " + RESULT_TABLES);
            s.execute("CREATE TABLE events (event_id text PRIMARY KEY, community_id text NOT NULL, type text NOT NULL, "
                    + "actor_id text, thread_id text, occurred_at bigint NOT NULL, kind text, role text, "
                    + "answer_author text)");
            s.execute("CREATE TABLE staff_roles (role text PRIMARY KEY)");
        }
        CopyIn copy = copy("COPY staff_roles (role) FROM STDIN");
        StringBuilder rows = new StringBuilder();
        staffRoles.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty()).distinct()
                .forEach(r -> rows.append(escape(r)).append('\n'));
        write(copy, rows);
        copy.endCopy();
    }

    /**
     * Takes up to {@code limit} events from {@code events}, appends those the pipeline would accept, and
     * refreshes the planner's statistics; returns how many were taken.
     */
    public long load(Iterator<ActivityEvent> events, long limit) throws SQLException {
        CopyIn copy = copy("COPY events (event_id, community_id, type, actor_id, thread_id, occurred_at, kind, role, "
                + "answer_author) FROM STDIN");
        StringBuilder rows = new StringBuilder(COPY_BUFFER_CHARS + 1024);
        long n = 0;
        try {
            while (n < limit && events.hasNext()) {
                ActivityEvent e = events.next();
                n++;
                if (!accepted.test(e)) {
                    rejected++;
                    continue;
                }
                row(rows, e);
                if (rows.length() >= COPY_BUFFER_CHARS) {
                    write(copy, rows);
                }
            }
            write(copy, rows);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("ANALYZE events");
        }
        return n;
    }

    /** Events taken but left out because the pipeline's intake rejects them. */
    public long rejected() {
        return rejected;
    }

    /**
     * Drops the previous results and recomputes every record of every kind from all events; returns the
     * seconds of each step (the shared tables, then each kind by its label), in that order.
     */
    public Map<String, Double> recompute() throws SQLException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + RESULT_TABLES);
            for (Map.Entry<String, String> step : steps.entrySet()) {
                long t = System.nanoTime();
                s.execute(step.getValue());
                seconds.put(step.getKey(), (System.nanoTime() - t) / 1e9);
            }
        }
        return seconds;
    }

    /** The last recompute's rows of every kind. */
    public Map<PeerRecordKind, Map<String, Map<String, Object>>> records() throws SQLException {
        Map<PeerRecordKind, Map<String, Map<String, Object>>> all = new EnumMap<>(PeerRecordKind.class);
        for (PeerRecordKind kind : PeerRecordKind.values()) {
            all.put(kind, rows(kind));
        }
        return all;
    }

    /** The last recompute's rows of one kind, keyed like {@link PeerComparison#key}, values by field name. */
    public Map<String, Map<String, Object>> rows(PeerRecordKind kind) throws SQLException {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + kind.table)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.put(PeerComparison.key(rs.getString("communityId"), rs.getInt(kind.dayField)), row);
            }
        }
        return rows;
    }

    /** Bytes of the events table with its index, and of the results and the tables they share. */
    public long databaseBytes() throws SQLException {
        String sizes = Stream.concat(Stream.of("events"), Arrays.stream(RESULT_TABLES.split(", ")))
                .map(t -> "pg_total_relation_size('" + t + "')").collect(Collectors.joining(" + "));
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + sizes)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BatchPeer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private CopyIn copy(String sql) throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    }

    private static void write(CopyIn copy, StringBuilder rows) throws SQLException {
        if (rows.length() > 0) {
            byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            rows.setLength(0);
        }
    }

    /** One line of COPY's text format: tab-separated, {@code \N} for NULL. */
    static void row(StringBuilder out, ActivityEvent e) {
        Map<String, String> attributes = e.getAttributes();
        field(out, e.getEventId(), false);
        field(out, e.getCommunityId(), false);
        field(out, e.getType().name(), false);
        field(out, blankToNull(e.getActorId()), false);
        field(out, blankToNull(e.getThreadId()), false);
        field(out, Long.toString(e.getOccurredAt().toEpochMilli()), false);
        field(out, attributes.get(KIND), false);
        field(out, attributes.get(ROLE), false);
        field(out, blankToNull(attributes.get(ANSWER_AUTHOR)), true);
    }

    private static void field(StringBuilder out, String value, boolean last) {
        out.append(value == null ? "\\N" : escape(value)).append(last ? '\n' : '\t');
    }

    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
