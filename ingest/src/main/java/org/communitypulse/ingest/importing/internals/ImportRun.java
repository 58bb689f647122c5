package org.communitypulse.ingest.importing.internals;

import java.time.Duration;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.ProgressListener.Progress;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * The bookkeeping every importer shares: events to the sink and the summary, rejects with file and line,
 * progress every {@value #PROGRESS_EVERY_ROWS} rows. One thread.
 */
public final class ImportRun {

    /** Rows between two progress updates: often enough to look live, rare enough to cost nothing. */
    public static final int PROGRESS_EVERY_ROWS = 256;

    private final EventSink sink;
    private final ProgressListener progress;
    private final ImportSummary.Builder summary;
    private final long startNanos = System.nanoTime();
    private final long totalBytes;
    private long bytesOfFinishedFiles;

    public ImportRun(String communityId, EventSink sink, ProgressListener progress, long totalBytes) {
        this.sink = sink;
        this.progress = progress;
        this.summary = new ImportSummary.Builder(communityId);
        this.totalBytes = totalBytes;
    }

    public ImportSummary.Builder summary() {
        return summary;
    }

    /** Sends one event. */
    public void emit(ActivityEvent event) {
        sink.send(event);
        summary.event(event.getType());
    }

    /** Sends what a mapper made of a row; unmapped kinds are counted as skipped, never as errors. */
    public void emit(MappingResult result) {
        if (result.isUnmapped()) {
            summary.skipped(result.unmapped());
            return;
        }
        result.events().forEach(this::emit);
    }

    /**
     * Maps one row with {@code mapping} and sends the result; a {@link MalformedPayloadException} (or any
     * other surprise from the row's content) becomes a rejected row, never a crash.
     */
    public void mapRow(String file, long line, RowMapping mapping) {
        MappingResult result;
        try {
            result = mapping.map();
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            reject(file, line, e.getMessage());
            return;
        }
        // Mappers fall back to the caller's time; an import without one must not send a timeless event.
        if (result.events().stream().anyMatch(event -> event.getOccurredAt() == null)) {
            reject(file, line, "no time: the item carries no date and the export gives none");
            return;
        }
        emit(result);
    }

    /** A row's mapping, which may throw on malformed content. */
    @FunctionalInterface
    public interface RowMapping {
        MappingResult map();
    }

    public void reject(String file, long line, String reason) {
        summary.rejected(file, line, reason);
    }

    /** Reports progress every {@value #PROGRESS_EVERY_ROWS} rows. */
    public void row(String file, long rows, long bytesOfFile) {
        if (rows % PROGRESS_EVERY_ROWS == 0) {
            report(file, rows, bytesOfFile);
        }
    }

    /** Reports the end of one file and adds its rows to the summary. */
    public void fileDone(String file, long rows, long bytesOfFile) {
        report(file, rows, bytesOfFile);
        bytesOfFinishedFiles += bytesOfFile;
        summary.rowsRead(file, rows);
    }

    /**
     * Reports progress for inputs read as one stream of many parts (a zip): {@code bytesOverall} is the position
     * in the whole import, {@code rows} the rows so far; call as often as convenient, shown every
     * {@value #PROGRESS_EVERY_ROWS} rows.
     */
    public void at(String file, long rows, long bytesOverall, boolean force) {
        if (force || rows % PROGRESS_EVERY_ROWS == 0) {
            progress.update(new Progress(file, rows, summary.events(), bytesOverall, totalBytes, elapsed()));
        }
    }

    private void report(String file, long rows, long bytesOfFile) {
        progress.update(new Progress(file, rows, summary.events(), bytesOfFinishedFiles + bytesOfFile,
                totalBytes, elapsed()));
    }

    /** Flushes the sink and builds the summary. */
    public ImportSummary finish() {
        sink.flush();
        ImportSummary result = summary.build(elapsed());
        progress.finished(result);
        return result;
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
