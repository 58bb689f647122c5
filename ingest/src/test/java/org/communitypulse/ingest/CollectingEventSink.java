package org.communitypulse.ingest;

import java.util.ArrayList;
import java.util.List;
import org.communitypulse.schemas.avro.ActivityEvent;

/** In-memory sink for tests: keeps every event; can be told to fail after some sends. */
public final class CollectingEventSink implements EventSink {

    private final List<ActivityEvent> events = new ArrayList<>();
    private final int failAfter;
    private int flushes;

    public CollectingEventSink() {
        this(Integer.MAX_VALUE);
    }

    /** A sink whose send throws once {@code failAfter} events were accepted. */
    public CollectingEventSink(int failAfter) {
        this.failAfter = failAfter;
    }

    @Override
    public void send(ActivityEvent event) {
        if (events.size() >= failAfter) {
            throw new ImportException("test sink refuses event " + event.getEventId());
        }
        events.add(event);
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
    }

    public List<ActivityEvent> events() {
        return events;
    }

    public int flushes() {
        return flushes;
    }
}
