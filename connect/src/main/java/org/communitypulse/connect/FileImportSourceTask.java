package org.communitypulse.connect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.internals.EventRecords;
import org.communitypulse.connect.internals.ImportWorker;
import org.communitypulse.connect.internals.ImportWorker.Event;
import org.communitypulse.connect.internals.ImportWorker.Item;
import org.communitypulse.connect.internals.LoggingProgress;
import org.communitypulse.connect.internals.Throttle;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads its paths one after another with the source's importer and hands the events to Connect.
 *
 * <p>Source partition: {@code {source, path, community}}; source offset: {@code {events, done}}, the number of
 * events of that path published so far and whether the path was read to its end. A restarted task re-runs the
 * importer and skips the first {@code events} events, so it goes on with exactly the next one; a path marked
 * done is not read again. The last event of a path is held back until the importer has finished, so that its
 * record can carry {@code done=true}.
 */
public final class FileImportSourceTask extends PulseSourceTask<FileImportConfig> {

    public static final String PARTITION_SOURCE = "source";
    public static final String PARTITION_PATH = "path";
    public static final String PARTITION_COMMUNITY = "community";
    public static final String OFFSET_EVENTS = "events";
    public static final String OFFSET_DONE = "done";

    private static final Logger LOG = LoggerFactory.getLogger(FileImportSourceTask.class);
    private FileImportConfig config;
    private MemberPseudonymiser members;
    private EventRecords records;
    private Throttle throttle;
    private final Deque<Path> paths = new ArrayDeque<>();

    private Path current;
    /** Volatile: stop() runs on another thread than poll(). */
    private volatile ImportWorker worker;
    private Event held;
    /** Records made but not yet handed over (kept when the registry was unreachable). */
    private List<Item> pending = List.of();

    @Override
    protected FileImportConfig parseConfig(Map<String, String> props) {
        return FileImportConfig.forTask(props);
    }

    @Override
    protected void doStart(FileImportConfig config) {
        this.config = config;
        members = config.pseudonymiser();
        records = closeOnStop(new EventRecords(config));
        throttle = new Throttle(config.maxEventsPerSecond(), System::nanoTime);
        paths.addAll(config.taskPaths());
        LOG.info("Importing {} path(s) of {} for community '{}' into {}", paths.size(), config.source().configName(),
                config.community(), records.topic());
    }

    /**
     * A HashMap on purpose: Connect finds offsets by the serialized partition, and a HashMap of strings iterates
     * (so serializes) in the same order in every JVM, like the maps Connect itself reads back; Map.of does not.
     */
    static Map<String, String> partition(ImportSource source, Path path, String community) {
        Map<String, String> partition = new HashMap<>();
        partition.put(PARTITION_SOURCE, source.configName());
        partition.put(PARTITION_PATH, path.toString());
        partition.put(PARTITION_COMMUNITY, community);
        return partition;
    }

    @Override
    protected String describe() {
        return (current == null ? "the " + config.source().configName() + " files" : current + " ("
                + config.source().configName() + ")") + " for community '" + config.community() + "'";
    }

    /** The importer's own failures arrive as a ConnectException naming the path: fatal, as the default says. */
    @Override
    protected List<SourceRecord> fetch() throws InterruptedException {
        if (worker == null && pending.isEmpty() && !openNext()) {
            // Everything is imported: idle without spinning until Connect stops the task.
            awaitStop(MAX_WAIT);
            return List.of();
        }
        fetchAgainNow();
        List<Item> items = pending;
        pending = List.of();
        if (items.isEmpty()) {
            int allowance = throttle.allowance(config.batchSize());
            if (allowance == 0) {
                awaitStop(Duration.ofMillis(10));
                return List.of();
            }
            items = worker.drain(allowance, MAX_WAIT);
        }
        try {
            List<SourceRecord> out = toRecords(items);
            throttle.used(out.size());
            return out;
        } catch (SerializationException e) {
            // The registry is down or refuses the schema: keep the items for the retried fetch.
            pending = items;
            throw e;
        }
    }

    private List<SourceRecord> toRecords(List<Item> items) {
        Map<String, String> partition = partition(config.source(), current, config.community());
        List<SourceRecord> out = new ArrayList<>(items.size());
        Event last = held;
        for (Item item : items) {
            if (item instanceof Event event) {
                if (last != null) {
                    out.add(records.record(partition, offset(last, false), last.event()));
                }
                last = event;
            } else if (item instanceof ImportWorker.End end) {
                if (last != null) {
                    out.add(records.record(partition, offset(last, true), last.event()));
                    last = null;
                }
                finished(end.summary());
            } else if (item instanceof ImportWorker.Failure failure) {
                throw new ConnectException("Import of " + current + " (" + config.source().configName()
                        + ") failed: " + failure.error().getMessage(), failure.error());
            }
        }
        // Only now, once every record of the batch was made: a serialization failure above retries the batch.
        held = last;
        return out;
    }

    private static Map<String, Object> offset(Event event, boolean done) {
        Map<String, Object> offset = new HashMap<>();
        offset.put(OFFSET_EVENTS, event.position());
        offset.put(OFFSET_DONE, done);
        return offset;
    }

    /** Starts the importer on the next path that is not done; false when none is left. */
    private boolean openNext() {
        while (!paths.isEmpty()) {
            Path path = paths.poll();
            Map<String, Object> offset = context.offsetStorageReader()
                    .offset(partition(config.source(), path, config.community()));
            if (offset != null && Boolean.TRUE.equals(offset.get(OFFSET_DONE))) {
                LOG.info("{} was imported completely before ({} events): not read again", path,
                        offset.get(OFFSET_EVENTS));
                continue;
            }
            long skip = offset == null ? 0 : ((Number) offset.get(OFFSET_EVENTS)).longValue();
            if (skip > 0) {
                LOG.info("Resuming {} after event {}", path, skip);
            }
            current = path;
            held = null;
            ImportSource source = config.source();
            worker = new ImportWorker("pulse-import-" + path.getFileName(),
                    sink -> source.run(path, config.community(), sink, new LoggingProgress(LOG), members), skip,
                    config.batchSize() * 2);
            worker.start();
            return true;
        }
        return false;
    }

    private void finished(ImportSummary summary) {
        String report = summary.render();
        if (summary.rejectedTotal() > 0) {
            LOG.warn("Imported {} with {} rejected row(s) (the valid rest is published):\n{}", current,
                    summary.rejectedTotal(), report);
        } else {
            LOG.info("Imported {}:\n{}", current, report);
        }
        worker.close();
        worker = null;
    }

    /** The importer of the current path (the records were registered with closeOnStop). */
    @Override
    protected void doStop() {
        ImportWorker running = worker;
        if (running != null) {
            running.close();
        }
    }
}
