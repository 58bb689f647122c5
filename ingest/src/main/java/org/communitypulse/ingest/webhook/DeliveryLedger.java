package org.communitypulse.ingest.webhook;

import java.time.Instant;

/**
 * Which signed deliveries were already taken, shared by every receiver instance that uses the same ledger.
 *
 * <p>A request {@link #claim claims} each of its keys (the digest of what the platform signed, see
 * {@link DeliveryDigest}; for Slack also the envelope's {@code event_id}). The first claim of a key owns it; the
 * owner then marks it {@link #accepted} once its events are acknowledged, or {@link #release releases} it when it
 * failed, so the platform's retry is processed normally. A claim whose owner neither accepted nor released it
 * within the lease (the owner died) may be taken over. Keys are remembered for a horizon (the replay TTL).
 */
public interface DeliveryLedger extends AutoCloseable {

    /** What a claim found. */
    enum Claim {
        /** This request owns the key: process it, then accept or release. */
        OWNED,
        /** The key was accepted before: answer "duplicate", publish nothing. */
        DUPLICATE,
        /** Another request owns the key and has not finished: answer "retry later". */
        IN_PROGRESS
    }

    /** One claim: the key, this request's claim id, and what the claim found. */
    record Ticket(String key, String claimId, Claim claim) {
    }

    /**
     * Claims {@code key} for one request.
     *
     * @throws LedgerUnavailableException when the shared ledger cannot be written or read in time
     */
    Ticket claim(String key, Instant now);

    /** The owner's events are stored: the key is a duplicate from now on, for the horizon. */
    void accepted(Ticket ticket, Instant now);

    /** The owner failed before storing its events: the key may be claimed again. */
    void release(Ticket ticket, Instant now);

    @Override
    default void close() {
    }

    /** The shared ledger could not be reached in time; the request should be retried. */
    final class LedgerUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LedgerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
