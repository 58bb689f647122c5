package org.communitypulse.ingest;

import java.time.Duration;

/**
 * Receives the progress of an import. Importers call {@link #update} often (every few hundred rows
 * and at the end of each file); implementations decide how often to show it.
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = progress -> { };

    /**
     * Where an import stands.
     *
     * @param currentFile    name of the file being read, e.g. {@code Posts.xml}
     * @param rowsRead       rows read so far in the current file
     * @param eventsProduced events handed to the sink so far, over all files
     * @param bytesRead      bytes read so far over all files
     * @param totalBytes     size of all files of the import
     * @param elapsed        time since the import started
     */
    record Progress(String currentFile, long rowsRead, long eventsProduced, long bytesRead, long totalBytes,
                    Duration elapsed) {

        /** Events per second since the start, 0 before any time has passed. */
        public double eventsPerSecond() {
            long millis = elapsed.toMillis();
            return millis <= 0 ? 0 : eventsProduced * 1000.0 / millis;
        }

        /** Share of all bytes read, 0..100; 100 when there is nothing to read. */
        public double percent() {
            return totalBytes <= 0 ? 100.0 : Math.min(100.0, bytesRead * 100.0 / totalBytes);
        }

        /** Estimated time left at the byte rate so far, or null while it cannot be estimated yet. */
        public Duration eta() {
            if (bytesRead <= 0 || elapsed.isZero()) {
                return null;
            }
            double left = Math.max(0, totalBytes - bytesRead);
            return Duration.ofMillis((long) (left * elapsed.toMillis() / bytesRead));
        }
    }

    /** The import moved on. */
    void update(Progress progress);

    /** The import ended (successfully); the last {@link #update} was already given. */
    default void finished(ImportSummary summary) {
    }
}
