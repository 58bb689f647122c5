package org.communitypulse.ingest.importing;

import java.nio.file.Path;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;

/**
 * An importer of one export (a file or a folder) into an {@link EventSink}.
 *
 * <p>Every importer streams (memory does not grow with the input), rejects malformed rows with their file and
 * line in the summary while importing the valid rest, and gives each source item a stable event id (see
 * {@link org.communitypulse.ingest.EventIds}). Re-running an import is how it resumes after a crash: the events
 * already sent come again with the same ids and the intake's deduplication drops them.
 */
public interface FileImporter {

    /**
     * Imports {@code input} and flushes the sink (but does not close it).
     *
     * @param input       the export: a file or folder, as the source documents
     * @param communityId community the events are published for (no {@code ':'})
     * @param sink        where the events go
     * @param progress    told about progress; {@link ProgressListener#NONE} for silence
     * @return what was imported, skipped and rejected
     * @throws org.communitypulse.ingest.ImportException when the input cannot be opened at all or the sink fails
     */
    ImportSummary run(Path input, String communityId, EventSink sink, ProgressListener progress);
}
