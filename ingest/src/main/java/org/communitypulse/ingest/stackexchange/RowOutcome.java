package org.communitypulse.ingest.stackexchange;

import java.util.Objects;
import org.communitypulse.schemas.avro.ActivityEvent;

/** What became of one dump row: an event, a deliberate skip, or a rejection of a malformed row. */
public sealed interface RowOutcome {

    /**
     * The row became an event.
     *
     * @param event the event
     * @param note  a caveat worth counting (e.g. the thread could not be resolved), or null
     */
    record Mapped(ActivityEvent event, String note) implements RowOutcome {
        public Mapped {
            Objects.requireNonNull(event, "event");
        }
    }

    /** The row is fine but carries nothing we publish (e.g. a tag wiki post, a downvote). */
    record Skipped(String reason) implements RowOutcome {
        public Skipped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The row is malformed (missing id, unparsable date, ...) and was not imported. */
    record Rejected(String reason) implements RowOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
