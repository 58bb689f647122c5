package org.communitypulse.ingest.stackexchange;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.ProgressListener.Progress;
import org.communitypulse.ingest.internals.CountingInputStream;
import org.communitypulse.ingest.internals.PostThreadIndex;
import org.communitypulse.ingest.internals.XmlRowParser;
import org.communitypulse.ingest.internals.XmlRowParser.MalformedRowException;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * Imports a Stack Exchange data dump folder ({@code Posts.xml}, {@code Users.xml}, {@code Comments.xml},
 * {@code Votes.xml}, {@code PostHistory.xml}, {@code Badges.xml}) into an {@link EventSink}.
 *
 * <p>Files are streamed line by line (a dump holds one {@code <row/>} per line), so memory stays
 * constant apart from two compact indexes built while reading Posts.xml, which is read first: post ->
 * question (for the thread of comments, votes and history rows) and post -> owner (for the author of
 * an accepted answer), about 8 bytes per post each. A missing file is reported in the summary; a malformed row is reported with its file and
 * line and skipped; a failing sink stops the import with its {@link ImportException}.
 * See {@link StackExchangeRowMapper} for what each row becomes.
 */
public final class StackExchangeImporter {

    /** Rows between two progress updates: often enough to look live, rare enough to cost nothing. */
    private static final int PROGRESS_EVERY_ROWS = 256;
    /** The root element's open or close tag, e.g. {@code <posts>}; the XML declaration is handled apart. */
    private static final Pattern ROOT_TAG = Pattern.compile("</?[A-Za-z]+\\s*>");
    private static final char BOM = '\uFEFF';

    private final XmlRowParser parser = new XmlRowParser();
    private final org.communitypulse.ingest.webhook.MemberPseudonymiser members;

    /** Publishes member ids as the dump gives them. */
    public StackExchangeImporter() {
        this(org.communitypulse.ingest.webhook.MemberPseudonymiser.none());
    }

    /**
     * {@code members} pseudonymises the dump's user ids (actors, accepted answers' authors) with the key and recipe
     * of the webhooks and the other importers, so a person's ids line up across sources and erasure requests.
     */
    public StackExchangeImporter(org.communitypulse.ingest.webhook.MemberPseudonymiser members) {
        this.members = Objects.requireNonNull(members, "members");
    }

    /**
     * Imports one dump folder and flushes the sink (but does not close it).
     *
     * @param dumpDir     folder holding the dump's XML files
     * @param communityId community the events are published for, e.g. {@code bicycles.meta}
     * @param sink        where the events go
     * @param progress    told about progress; {@link ProgressListener#NONE} for silence
     * @return what was imported, skipped and rejected
     * @throws ImportException if the folder is not a directory, a file cannot be read, or the sink fails
     */
    public ImportSummary run(Path dumpDir, String communityId, EventSink sink, ProgressListener progress) {
        Objects.requireNonNull(dumpDir, "dumpDir");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(progress, "progress");
        if (!Files.isDirectory(dumpDir)) {
            throw new ImportException("Not a Stack Exchange dump folder: " + dumpDir + " is not a directory");
        }
        Run run = new Run(dumpDir, communityId, sink, progress);
        return run.execute();
    }

    /** The state of one import. */
    private final class Run {
        private final Path dumpDir;
        private final String communityId;
        private final EventSink sink;
        private final ProgressListener progress;
        private final ImportSummary.Builder summary;
        private final long startNanos = System.nanoTime();
        private final long totalBytes;
        private PostThreadIndex.Builder posts = new PostThreadIndex.Builder();
        private PostOwnerIndex.Builder postOwners = new PostOwnerIndex.Builder();
        private StackExchangeRowMapper mapper;
        private long bytesOfFinishedFiles;

        Run(Path dumpDir, String communityId, EventSink sink, ProgressListener progress) {
            this.dumpDir = dumpDir;
            this.communityId = communityId;
            this.sink = sink;
            this.progress = progress;
            this.summary = new ImportSummary.Builder(communityId);
            // Posts rows need no thread lookup; the real one exists once Posts.xml is read.
            this.mapper = new StackExchangeRowMapper(communityId, StackExchangeRowMapper.ThreadLookup.NONE);
            long bytes = 0;
            for (DumpFile file : DumpFile.values()) {
                Path path = dumpDir.resolve(file.fileName());
                if (Files.isRegularFile(path)) {
                    bytes += size(path);
                }
            }
            this.totalBytes = bytes;
        }

        ImportSummary execute() {
            for (DumpFile file : DumpFile.values()) {
                Path path = dumpDir.resolve(file.fileName());
                if (!Files.isRegularFile(path)) {
                    summary.missingFile(file.fileName());
                } else {
                    readFile(file, path);
                }
                if (file == DumpFile.POSTS) {
                    PostThreadIndex index = posts.build();
                    PostOwnerIndex ownerIndex = postOwners.build();
                    // The builders' unsorted pairs are no longer needed; let them go before the big files.
                    posts = null;
                    postOwners = null;
                    mapper = new StackExchangeRowMapper(communityId, index::threadOf, ownerIndex::ownerOf);
                }
            }
            sink.flush();
            ImportSummary result = summary.build(elapsed());
            progress.finished(result);
            return result;
        }

        private void readFile(DumpFile file, Path path) {
            String name = file.fileName();
            long rows = 0;
            long lineNumber = 0;
            try (CountingInputStream counting = new CountingInputStream(Files.newInputStream(path));
                 BufferedReader reader = new BufferedReader(
                         new InputStreamReader(counting, StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    String text = line.strip();
                    if (lineNumber == 1 && !text.isEmpty() && text.charAt(0) == BOM) {
                        text = text.substring(1).strip();
                    }
                    if (text.isEmpty() || text.startsWith("<?xml") || ROOT_TAG.matcher(text).matches()) {
                        continue;
                    }
                    rows++;
                    handleRow(file, lineNumber, text);
                    if (rows % PROGRESS_EVERY_ROWS == 0) {
                        report(name, rows, counting.count());
                    }
                }
                report(name, rows, counting.count());
                bytesOfFinishedFiles += counting.count();
            } catch (IOException e) {
                throw new ImportException("Could not read " + path + ": " + e.getMessage(), e);
            }
            summary.rowsRead(name, rows);
        }

        private void handleRow(DumpFile file, long lineNumber, String text) {
            String name = file.fileName();
            if (!text.startsWith("<row")) {
                summary.rejected(name, lineNumber, "not a <row/> element");
                return;
            }
            Map<String, String> row;
            try {
                row = parser.parse(text);
            } catch (MalformedRowException e) {
                summary.rejected(name, lineNumber, e.getMessage());
                return;
            }
            RowOutcome outcome = mapper.map(file, row);
            if (outcome instanceof RowOutcome.Mapped mapped) {
                ActivityEvent event = mapped.event();
                if (file == DumpFile.POSTS) {
                    // The mapper has checked both are integers.
                    int postId = Integer.parseInt(row.get("Id").strip());
                    posts.add(postId, Integer.parseInt(event.getThreadId()));
                    postOwners.add(postId, row.get("OwnerUserId"));
                }
                sink.send(members.pseudonymise(event));
                summary.event(event.getType());
                if (mapped.note() != null) {
                    summary.note(mapped.note());
                }
            } else if (outcome instanceof RowOutcome.Skipped skipped) {
                summary.skipped(skipped.reason());
            } else if (outcome instanceof RowOutcome.Rejected rejected) {
                summary.rejected(name, lineNumber, rejected.reason());
            }
        }

        private void report(String file, long rows, long bytesOfFile) {
            progress.update(new Progress(file, rows, summary.events(), bytesOfFinishedFiles + bytesOfFile,
                    totalBytes, elapsed()));
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new ImportException("Could not read " + path + ": " + e.getMessage(), e);
        }
    }
}
