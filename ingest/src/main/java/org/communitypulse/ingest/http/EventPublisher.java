package org.communitypulse.ingest.http;

import java.util.List;
import org.communitypulse.schemas.avro.ActivityEvent;

/** Where {@link WebhookServer} stores events: synchronously, so a 2xx answer means stored. */
public interface EventPublisher extends AutoCloseable {

    /**
     * Stores all {@code events}, returning only once they are acknowledged.
     *
     * @throws PublishException if any was not acknowledged in time; the caller must treat the whole delivery as
     *                          not taken (the platform retries, and stable event ids absorb a partial write)
     */
    void publish(List<ActivityEvent> events) throws PublishException;

    /** Whether the store answers now (GET /ready). */
    boolean ready();

    @Override
    void close();

    /** The store did not acknowledge in time or refused. The message holds no payload data. */
    final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;

        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
