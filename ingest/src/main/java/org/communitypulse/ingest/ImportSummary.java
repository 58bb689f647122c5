package org.communitypulse.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.EventType;

/**
 * What an import did, for the closing report.
 *
 * @param communityId     community the events were published for
 * @param eventsByType    events handed to the sink, per type (types without events are absent)
 * @param rowsReadByFile  data rows read per file, in reading order
 * @param missingFiles    expected files that were not there (reported, not fatal)
 * @param skippedByReason rows deliberately not turned into events, per reason (e.g. {@code post type 4})
 * @param notes           events published with a caveat, per reason (e.g. thread unknown)
 * @param rejectedRows    the first {@value #MAX_REJECTED_KEPT} malformed rows, in input order
 * @param rejectedTotal   how many rows were malformed in all
 * @param elapsed         wall time of the import, including the final flush
 */
public record ImportSummary(String communityId, Map<EventType, Long> eventsByType, Map<String, Long> rowsReadByFile,
                            List<String> missingFiles, Map<String, Long> skippedByReason, Map<String, Long> notes,
                            List<RejectedRow> rejectedRows, long rejectedTotal, Duration elapsed) {

    /** How many rejected rows are kept with their reasons; the rest are only counted. */
    public static final int MAX_REJECTED_KEPT = 100;

    /**
     * One malformed row.
     *
     * @param file   file name
     * @param line   1-based line number in the file
     * @param reason what was wrong
     */
    public record RejectedRow(String file, long line, String reason) {
        @Override
        public String toString() {
            return file + ':' + line + ": " + reason;
        }
    }

    public ImportSummary {
        Objects.requireNonNull(communityId, "communityId");
        // EnumMap keeps the schema's type order in the report.
        Map<EventType, Long> types = new EnumMap<>(EventType.class);
        types.putAll(eventsByType);
        eventsByType = Collections.unmodifiableMap(types);
        rowsReadByFile = Collections.unmodifiableMap(new LinkedHashMap<>(rowsReadByFile));
        missingFiles = List.copyOf(missingFiles);
        skippedByReason = sortedReasons(skippedByReason);
        notes = sortedReasons(notes);
        rejectedRows = List.copyOf(rejectedRows);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Reasons in natural order, so "post type 10" follows "post type 9" rather than "post type 1". */
    private static Map<String, Long> sortedReasons(Map<String, Long> reasons) {
        Map<String, Long> sorted = new TreeMap<>(ImportSummary::compareNatural);
        sorted.putAll(reasons);
        return Collections.unmodifiableMap(sorted);
    }

    static int compareNatural(String a, String b) {
        String prefixA = a.replaceFirst("\\d+$", "");
        String prefixB = b.replaceFirst("\\d+$", "");
        int byPrefix = prefixA.compareTo(prefixB);
        if (byPrefix != 0 || prefixA.length() == a.length() || prefixB.length() == b.length()) {
            return byPrefix != 0 ? byPrefix : a.compareTo(b);
        }
        String numberA = a.substring(prefixA.length());
        String numberB = b.substring(prefixB.length());
        int byLength = Integer.compare(numberA.length(), numberB.length());
        return byLength != 0 ? byLength : numberA.compareTo(numberB);
    }

    /** Events handed to the sink over all types. */
    public long totalEvents() {
        return eventsByType.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Events of one type, 0 if none. */
    public long events(EventType type) {
        return eventsByType.getOrDefault(type, 0L);
    }

    /** Rows read over all files. */
    public long totalRowsRead() {
        return rowsReadByFile.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows skipped over all reasons. */
    public long totalSkipped() {
        return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * This import followed by {@code next} into the same community (a replay's source and then its register): counts
     * added, files and reasons together, rejected rows in order up to {@value #MAX_REJECTED_KEPT}, elapsed times summed.
     */
    public ImportSummary and(ImportSummary next) {
        Map<EventType, Long> types = new EnumMap<>(EventType.class);
        types.putAll(eventsByType);
        next.eventsByType.forEach((t, n) -> types.merge(t, n, Long::sum));
        Map<String, Long> rows = new LinkedHashMap<>(rowsReadByFile);
        next.rowsReadByFile.forEach((f, n) -> rows.merge(f, n, Long::sum));
        List<String> missing = new ArrayList<>(missingFiles);
        missing.addAll(next.missingFiles);
        Map<String, Long> skipped = new TreeMap<>(skippedByReason);
        next.skippedByReason.forEach((r, n) -> skipped.merge(r, n, Long::sum));
        Map<String, Long> noted = new TreeMap<>(notes);
        next.notes.forEach((r, n) -> noted.merge(r, n, Long::sum));
        List<RejectedRow> rejected = new ArrayList<>(rejectedRows);
        rejected.addAll(next.rejectedRows);
        return new ImportSummary(communityId, types, rows, missing, skipped, noted,
                rejected.subList(0, Math.min(rejected.size(), MAX_REJECTED_KEPT)), rejectedTotal + next.rejectedTotal,
                elapsed.plus(next.elapsed));
    }

    /** Average event rate over the whole import. */
    public double eventsPerSecond() {
        long millis = elapsed.toMillis();
        return millis <= 0 ? totalEvents() * 1000.0 : totalEvents() * 1000.0 / millis;
    }

    /** A readable multi-line report. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Imported %,d events for community '%s' in %.1f s (%,.0f events/s)%n",
                totalEvents(), communityId, elapsed.toMillis() / 1000.0, eventsPerSecond()));
        out.append("Events by type:\n");
        eventsByType.forEach((type, n) -> line(out, type.name(), n));
        out.append(String.format(Locale.ROOT, "Rows read: %,d%n", totalRowsRead()));
        rowsReadByFile.forEach((file, n) -> line(out, file, n));
        if (!missingFiles.isEmpty()) {
            out.append("Missing files (nothing imported from them): ").append(String.join(", ", missingFiles))
                    .append('\n');
        }
        if (!skippedByReason.isEmpty()) {
            out.append(String.format(Locale.ROOT, "Skipped rows: %,d%n", totalSkipped()));
            skippedByReason.forEach((reason, n) -> line(out, reason, n));
        }
        if (!notes.isEmpty()) {
            out.append("Notes:\n");
            notes.forEach((reason, n) -> line(out, reason, n));
        }
        out.append(String.format(Locale.ROOT, "Rejected rows: %,d%n", rejectedTotal));
        rejectedRows.forEach(row -> out.append("  ").append(row).append('\n'));
        if (rejectedTotal > rejectedRows.size()) {
            out.append(String.format(Locale.ROOT, "  ... and %,d more%n", rejectedTotal - rejectedRows.size()));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, long n) {
        out.append(String.format(Locale.ROOT, "  %-40s %,12d%n", label, n));
    }

    /** Collects the counts of a running import; not thread-safe (an import is one thread). */
    public static final class Builder {
        private final String communityId;
        private final Map<EventType, Long> eventsByType = new EnumMap<>(EventType.class);
        private final Map<String, Long> rowsReadByFile = new LinkedHashMap<>();
        private final List<String> missingFiles = new ArrayList<>();
        private final Map<String, Long> skippedByReason = new TreeMap<>();
        private final Map<String, Long> notes = new TreeMap<>();
        private final List<RejectedRow> rejectedRows = new ArrayList<>();
        private long rejectedTotal;
        private long events;

        public Builder(String communityId) {
            this.communityId = Objects.requireNonNull(communityId, "communityId");
        }

        public Builder event(EventType type) {
            eventsByType.merge(type, 1L, Long::sum);
            events++;
            return this;
        }

        /** Events counted so far. */
        public long events() {
            return events;
        }

        public Builder rowsRead(String file, long rows) {
            rowsReadByFile.merge(file, rows, Long::sum);
            return this;
        }

        public Builder missingFile(String file) {
            missingFiles.add(file);
            return this;
        }

        public Builder skipped(String reason) {
            skippedByReason.merge(reason, 1L, Long::sum);
            return this;
        }

        public Builder note(String reason) {
            return note(reason, 1);
        }

        /** Adds {@code count} to a note (e.g. requests retried); a count of 0 adds nothing. */
        public Builder note(String reason, long count) {
            if (count != 0) {
                notes.merge(reason, count, Long::sum);
            }
            return this;
        }

        public Builder rejected(String file, long line, String reason) {
            rejectedTotal++;
            if (rejectedRows.size() < MAX_REJECTED_KEPT) {
                rejectedRows.add(new RejectedRow(file, line, reason));
            }
            return this;
        }

        public ImportSummary build(Duration elapsed) {
            return new ImportSummary(communityId, eventsByType, rowsReadByFile, missingFiles, skippedByReason, notes,
                    rejectedRows, rejectedTotal, elapsed);
        }
    }
}
