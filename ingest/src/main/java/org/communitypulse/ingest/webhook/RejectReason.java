package org.communitypulse.ingest.webhook;

/** Why a webhook request was refused; stable values callers may map to HTTP status codes or metrics. */
public enum RejectReason {
    /** The signature header is absent or empty. */
    MISSING_SIGNATURE,
    /** The signature header is not {@code <prefix>=<64 hex digits>}. */
    MALFORMED_SIGNATURE,
    /** The signature is well formed but does not match the body. */
    BAD_SIGNATURE,
    /** A header the scheme needs appears more than once with different values, so the request is ambiguous. */
    DUPLICATE_HEADER,
    /** The request timestamp header (Slack) is absent. */
    MISSING_TIMESTAMP,
    /** The request timestamp header (Slack) is not a decimal number of epoch seconds. */
    MALFORMED_TIMESTAMP,
    /** The request timestamp is further from "now" than the configured tolerance. */
    STALE_TIMESTAMP,
    /** No delivery id could be derived from the headers. */
    MISSING_DELIVERY_ID,
    /** The delivery id was already accepted within the replay window. */
    REPLAYED_DELIVERY
}
