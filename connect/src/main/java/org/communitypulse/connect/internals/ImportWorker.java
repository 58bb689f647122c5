package org.communitypulse.connect.internals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportException;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * Runs one push-style import (the importers call {@link EventSink#send}) on its own thread and lets Connect's
 * pull-style {@code poll()} take the events from a bounded queue, so memory stays flat and a slow topic slows
 * the parsing down.
 *
 * <p>Events are numbered from 1 in the order the importer makes them; the first {@code skip} are dropped,
 * which is how a restart resumes after the last committed one (importers are deterministic). The queue ends
 * with an {@link End} (the summary) or a {@link Failure}.
 */
public final class ImportWorker implements AutoCloseable {

    /** What the queue holds. */
    public sealed interface Item permits Event, End, Failure {
    }

    /** The {@code position}-th event of the import (from 1). */
    public record Event(ActivityEvent event, long position) implements Item {
    }

    /** The import finished. */
    public record End(ImportSummary summary) implements Item {
    }

    /** The import could not go on (missing file, unreadable input). */
    public record Failure(RuntimeException error) implements Item {
    }

    /** The import itself: run the importer into the sink. */
    @FunctionalInterface
    public interface Job {
        ImportSummary run(EventSink sink);
    }

    private final BlockingQueue<Item> queue;
    private final Thread thread;
    private volatile boolean closing;

    public ImportWorker(String name, Job job, long skip, int capacity) {
        Objects.requireNonNull(job, "job");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> runJob(job, skip), name);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void runJob(Job job, long skip) {
        Item last;
        try {
            last = new End(job.run(new QueueSink(skip)));
        } catch (RuntimeException e) {
            if (closing) {
                return;
            }
            last = new Failure(e);
        }
        try {
            queue.put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes up to {@code max} items, waiting at most {@code wait} for the first.
     *
     * @return the items in order, empty when none came in time
     */
    public List<Item> drain(int max, Duration wait) throws InterruptedException {
        List<Item> items = new ArrayList<>();
        Item first = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return items;
        }
        items.add(first);
        queue.drainTo(items, max - 1);
        return items;
    }

    /** Stops the import (events still queued are dropped: their offsets were never committed). */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class QueueSink implements EventSink {
        private final long skip;
        private long position;

        QueueSink(long skip) {
            this.skip = skip;
        }

        @Override
        public void send(ActivityEvent event) {
            position++;
            if (position <= skip) {
                return;
            }
            try {
                queue.put(new Event(event, position));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImportException("import stopped", e);
            }
        }

        @Override
        public void flush() {
            // Delivery is Connect's: it commits an offset only once the producer acknowledged the record.
        }

        @Override
        public void close() {
        }
    }
}
