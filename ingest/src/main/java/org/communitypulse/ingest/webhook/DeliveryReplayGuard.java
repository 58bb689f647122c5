package org.communitypulse.ingest.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.communitypulse.ingest.webhook.internals.HeaderLookup;

/**
 * Rejects a webhook delivery whose id was already accepted, with bounded memory: ids are forgotten after a TTL
 * (default 24 h) and the oldest are evicted beyond a maximum count (default 100,000).
 *
 * <p>Delivery ids: GitHub {@code X-GitHub-Delivery}, Discourse {@code X-Discourse-Event-Id}, Slack
 * {@code X-Slack-Request-Timestamp} + {@code X-Slack-Signature} (unique per signed request; Slack's own
 * timestamp check already bounds the window).
 *
 * <p>Call this only AFTER the signature was accepted: otherwise an unauthenticated request could claim a genuine
 * delivery's id first and get the real delivery rejected. Thread-safe.
 */
public final class DeliveryReplayGuard {

    /** Default maximum number of remembered ids. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** Default time an id is remembered. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    /** Ids this long are surely not real platform ids; capping them bounds memory per entry too. */
    private static final int MAX_ID_LENGTH = 512;

    private final int maxEntries;
    private final Duration ttl;
    /** Insertion order = acceptance order, so expired and overflow entries sit at the head. Guarded by this. */
    private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

    /** A guard with the default bounds. */
    public DeliveryReplayGuard() {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_TTL);
    }

    /** A guard remembering at most {@code maxEntries} ids, each for {@code ttl}. */
    public DeliveryReplayGuard(int maxEntries, Duration ttl) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.maxEntries = maxEntries;
        this.ttl = ttl;
    }

    /**
     * Accepts the delivery and remembers its id if the id was not seen within the window; rejects it otherwise.
     */
    public Verification check(WebhookSource source, Map<String, String> headers, Instant now) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(headers, "headers");
        String id;
        try {
            id = deliveryId(source, headers);
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            return Verification.reject(RejectReason.DUPLICATE_HEADER, e.getMessage());
        }
        if (id == null) {
            return Verification.reject(RejectReason.MISSING_DELIVERY_ID, "no delivery id header for " + source);
        }
        if (id.length() > MAX_ID_LENGTH) {
            return Verification.reject(RejectReason.MISSING_DELIVERY_ID,
                    "delivery id for " + source + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (!firstSeen(source + ":" + id, now)) {
            return Verification.reject(RejectReason.REPLAYED_DELIVERY,
                    "delivery for " + source + " was already received");
        }
        return Verification.accept();
    }

    /**
     * Records {@code key} as seen at {@code now}.
     *
     * @return {@code true} if the key was not seen within the TTL (and is now remembered), {@code false} on replay
     */
    public synchronized boolean firstSeen(String key, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(now, "now");
        Instant cutoff = now.minus(ttl);
        expireOlderThan(cutoff);
        Instant previous = seen.get(key);
        if (previous != null && previous.isAfter(cutoff)) {
            return false;
        }
        // Remove first so a re-accepted key moves to the tail and keeps the head oldest.
        seen.remove(key);
        seen.put(key, now);
        if (seen.size() > maxEntries) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /**
     * Forgets the id that {@link #check} accepted for this request, so a redelivery is accepted again. For
     * callers whose processing failed after the check (e.g. Kafka was down): the delivery was never taken.
     */
    public void release(WebhookSource source, Map<String, String> headers) {
        String id;
        try {
            id = deliveryId(source, headers);
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            return;
        }
        if (id != null) {
            forget(source + ":" + id);
        }
    }

    /**
     * The key {@link #check} remembers for this request ({@code <source>:<delivery id>}), or {@code null} when the
     * request has no usable delivery id (check rejects those). Lets callers serialise work per delivery.
     */
    public static String deliveryKey(WebhookSource source, Map<String, String> headers) {
        try {
            String id = deliveryId(source, headers);
            return id == null || id.length() > MAX_ID_LENGTH ? null : source + ":" + id;
        } catch (HeaderLookup.AmbiguousHeaderException e) {
            return null;
        }
    }

    /** Forgets {@code key} (remembered by {@link #firstSeen}); no-op when it is not remembered. */
    public synchronized void forget(String key) {
        seen.remove(Objects.requireNonNull(key, "key"));
    }

    /** Number of ids currently remembered. */
    public synchronized int size() {
        return seen.size();
    }

    private void expireOlderThan(Instant cutoff) {
        Iterator<Instant> it = seen.values().iterator();
        while (it.hasNext() && !it.next().isAfter(cutoff)) {
            it.remove();
        }
    }

    private static String deliveryId(WebhookSource source, Map<String, String> headers)
            throws HeaderLookup.AmbiguousHeaderException {
        return switch (source) {
            case GITHUB -> nonBlank(HeaderLookup.find(headers, "X-GitHub-Delivery"));
            case DISCOURSE -> nonBlank(HeaderLookup.find(headers, "X-Discourse-Event-Id"));
            case SLACK -> {
                String timestamp = nonBlank(HeaderLookup.find(headers, SlackSignatureVerifier.TIMESTAMP_HEADER));
                String signature = nonBlank(HeaderLookup.find(headers, SlackSignatureVerifier.SIGNATURE_HEADER));
                // Hex case does not change the signature bytes, so it must not make a new id.
                yield timestamp == null || signature == null ? null
                        : timestamp + "/" + signature.toLowerCase(Locale.ROOT);
            }
        };
    }

    private static String nonBlank(String value) {
        String stripped = value == null ? "" : HeaderLookup.stripOws(value);
        return stripped.isEmpty() ? null : stripped;
    }
}
