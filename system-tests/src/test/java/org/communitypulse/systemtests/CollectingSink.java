package org.communitypulse.systemtests;

import java.util.ArrayList;
import java.util.List;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.schemas.avro.ActivityEvent;

/** Keeps what an importer or generator sends, so a test can replay the same events in another order. */
final class CollectingSink implements EventSink {

    final List<ActivityEvent> events = new ArrayList<>();

    @Override
    public void send(ActivityEvent event) {
        events.add(event);
    }

    @Override
    public void flush() {
        // Nothing is buffered.
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
