package org.communitypulse.ingest.internals;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A UTF-8 CSV file with a header row, read row by row as column name to trimmed value, each row with its 1-based
 * line number. A row the parser cannot read is handed on as rejected and reading goes on with the next one.
 */
public final class CsvRows implements Closeable {

    /** Receives each readable row. */
    @FunctionalInterface
    public interface RowHandler {
        void row(long line, Map<String, String> row);
    }

    /** Receives the rows that could not be read at all. */
    @FunctionalInterface
    public interface Rejections {
        void reject(long line, String reason);
    }

    private final Reader reader;
    private final MappingIterator<Map<String, String>> rows;

    private CsvRows(Reader reader, MappingIterator<Map<String, String>> rows) {
        this.reader = reader;
        this.rows = rows;
    }

    public static CsvRows open(Path file) throws IOException {
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            return new CsvRows(reader, new CsvMapper()
                    .enable(CsvParser.Feature.TRIM_SPACES)
                    .readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(reader));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The column names of the header row. */
    public Set<String> header() {
        return Set.copyOf(((CsvSchema) rows.getParserSchema()).getColumnNames());
    }

    /** Reads the remaining rows; returns how many were read (unreadable ones not counted). */
    public long forEach(RowHandler handler, Rejections unreadable) {
        long count = 0;
        while (true) {
            Map<String, String> row;
            long line;
            try {
                if (!rows.hasNextValue()) {
                    break;
                }
                // The row's START_OBJECT sits where the previous record ended (its line break), so +1;
                // unlike the location after reading, this also holds for a last line without a newline.
                line = rows.getParser().currentTokenLocation().getLineNr() + 1;
                row = rows.nextValue();
            } catch (RuntimeJsonMappingException | IOException e) {
                unreadable.reject(rows.getCurrentLocation().getLineNr(), "unreadable row: " + e.getMessage());
                continue;
            }
            count++;
            handler.row(line, row);
        }
        return count;
    }

    /** The trimmed value of {@code column}; throws IllegalArgumentException naming it when empty or missing. */
    public static String required(Map<String, String> row, String column) {
        String value = optional(row, column);
        if (value == null) {
            throw new IllegalArgumentException(column + " is empty");
        }
        return value;
    }

    /** The trimmed value of {@code column}, null when empty or missing. */
    public static String optional(Map<String, String> row, String column) {
        String value = row.get(column);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public void close() throws IOException {
        try {
            rows.close();
        } finally {
            reader.close();
        }
    }
}
