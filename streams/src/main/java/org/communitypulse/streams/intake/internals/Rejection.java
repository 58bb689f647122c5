package org.communitypulse.streams.intake.internals;

import org.communitypulse.streams.intake.RejectReason;

/**
 * A refused record: the reason code and the sentence a person reads to fix the producer.
 *
 * @param reason code, also the metric tag
 * @param detail human-readable explanation
 */
record Rejection(RejectReason reason, String detail) {
}
