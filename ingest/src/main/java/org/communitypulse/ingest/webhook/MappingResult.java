package org.communitypulse.ingest.webhook;

import java.util.List;
import java.util.Objects;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * What a {@link PayloadMapper} made of one payload: events to publish, or the name of an event kind the pipeline
 * does not count (acknowledged and counted by the receiver, never an error).
 *
 * @param events   events to publish; empty when unmapped
 * @param unmapped what was not mapped, e.g. {@code github:star.created}; {@code null} when mapped
 */
public record MappingResult(List<ActivityEvent> events, String unmapped) {

    public MappingResult {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
        if (events.isEmpty() == (unmapped == null)) {
            throw new IllegalArgumentException("exactly one of events and unmapped must be given");
        }
    }

    /** One or more events. */
    public static MappingResult mapped(List<ActivityEvent> events) {
        return new MappingResult(events, null);
    }

    /** One event. */
    public static MappingResult mapped(ActivityEvent event) {
        return new MappingResult(List.of(event), null);
    }

    /** A payload the pipeline does not count; {@code what} names it for metrics and logs. */
    public static MappingResult unmapped(String what) {
        return new MappingResult(List.of(), Objects.requireNonNull(what, "what"));
    }

    /** Whether this is an unmapped payload. */
    public boolean isUnmapped() {
        return unmapped != null;
    }
}
