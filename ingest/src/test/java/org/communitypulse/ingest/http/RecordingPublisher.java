package org.communitypulse.ingest.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.communitypulse.schemas.avro.ActivityEvent;

/** Keeps published events in memory; can be switched to fail as if Kafka were down. For unit tests only. */
final class RecordingPublisher implements EventPublisher {

    final List<ActivityEvent> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public void publish(List<ActivityEvent> batch) throws PublishException {
        if (down.get()) {
            throw new PublishException("broker down (test)", null);
        }
        events.addAll(batch);
    }

    @Override
    public boolean ready() {
        return !down.get();
    }

    @Override
    public void close() {
    }
}
