package org.communitypulse.ingest;

import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * Where importers put the events they make: Kafka in production ({@link KafkaEventSink}), a list in
 * tests. Importers call {@link #send} per event and {@link #flush} once at the end; the caller who
 * created the sink closes it.
 */
public interface EventSink extends AutoCloseable {

    /**
     * Hands over one event; may return before it is stored.
     *
     * @throws ImportException if this or an earlier event could not be delivered
     */
    void send(ActivityEvent event);

    /**
     * Blocks until every event sent so far is stored.
     *
     * @throws ImportException if any of them could not be delivered
     */
    void flush();

    /** Releases resources; never throws a checked exception. */
    @Override
    void close();
}
