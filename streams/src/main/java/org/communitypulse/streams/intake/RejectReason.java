package org.communitypulse.streams.intake;

/** Why the intake refused a record; the code travels in the dead-letter header and the metric tag. */
public enum RejectReason {
    /** The value is not a readable Confluent-framed Avro ActivityEvent (bad magic, unknown id, corrupt bytes). */
    DESERIALIZATION_FAILED,
    /** A record without a value: the activity topic is not compacted, so a tombstone is a producer bug. */
    NULL_VALUE,
    /** A field the pipeline cannot do without is blank or missing. */
    MISSING_FIELD,
    /** The event type is one this version does not know (a newer producer's symbol read as UNKNOWN). */
    UNKNOWN_EVENT_TYPE,
    /** occurredAt before 2000-01-01 or too far in the future. */
    INVALID_TIMESTAMP,
    /** The record key is not the event's community id, so partitioning (and deduplication) would break. */
    KEY_MISMATCH,
    /**
     * A {@code MEMBER_ERASED} on the activity topic, where any importer or file can write: erasure is accepted only
     * from the erasures control topic, which only operators' tools and the signed Discourse webhook write.
     */
    ERASURE_NOT_AUTHORISED,
    /** An {@code EVIDENCE_DECLARED} event its {@code Declaration} parser refuses (unknown kind, missing field...). */
    INVALID_DECLARATION
}
