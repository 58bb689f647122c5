package org.communitypulse.ingest.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The ledger's state: for each replay key, who claimed it, when, and whether it was accepted. Every change is one
 * of three facts (claimed, accepted, released) applied in order; instances that apply the same facts in the same
 * order (the records of the ledger topic, {@code KafkaDeliveryLedger}) reach the same decisions. Used alone it is
 * the in-memory ledger of a single receiver.
 *
 * <p>Rules: a claim takes a key that is unknown, released, expired (older than the TTL), or claimed but neither
 * accepted nor released for longer than the lease (its owner died); otherwise it changes nothing. Only the
 * owner's claim id can accept or release. Memory is bounded: entries are forgotten after the TTL, and the oldest
 * beyond {@code maxEntries}. Thread-safe.
 */
public final class DeliveryReplayGuard implements DeliveryLedger {

    /** Default maximum number of remembered keys. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** Default time a key is remembered. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** Default time after which an unfinished claim may be taken over. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /** Keys this long are surely not ours; capping them bounds memory per entry too. */
    private static final int MAX_KEY_LENGTH = 512;

    private record Entry(String claimId, boolean accepted, Instant since) {
    }

    private final int maxEntries;
    private final Duration ttl;
    private final Duration lease;
    /** Insertion order = order of the last change, so expired and overflow entries sit at the head. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    /** A guard with the default bounds. */
    public DeliveryReplayGuard() {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_TTL, DEFAULT_LEASE);
    }

    /** A guard remembering at most {@code maxEntries} keys, each for {@code ttl}; unfinished claims for {@code lease}. */
    public DeliveryReplayGuard(int maxEntries, Duration ttl, Duration lease) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        if (lease.isNegative() || lease.isZero() || lease.compareTo(ttl) > 0) {
            throw new IllegalArgumentException("lease must be positive and at most the ttl: " + lease);
        }
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.lease = lease;
    }

    /** How long keys are remembered. */
    public Duration ttl() {
        return ttl;
    }

    // --- the facts ---------------------------------------------------------------------------------------------

    /** Fact: {@code claimId} claimed {@code key} at {@code at}. */
    public synchronized void claimed(String key, String claimId, Instant at) {
        expire(at);
        Entry current = entries.get(key);
        if (current == null || !current.since().plus(ttl).isAfter(at)
                || !current.accepted() && !at.isBefore(current.since().plus(lease))) {
            put(key, new Entry(claimId, false, at));
        }
    }

    /** Fact: the owner {@code claimId} accepted {@code key} at {@code at}. */
    public synchronized void accepted(String key, String claimId, Instant at) {
        Entry current = entries.get(key);
        if (current != null && current.claimId().equals(claimId)) {
            put(key, new Entry(claimId, true, at));
        }
    }

    /** Fact: the owner {@code claimId} released {@code key}. */
    public synchronized void released(String key, String claimId) {
        Entry current = entries.get(key);
        if (current != null && current.claimId().equals(claimId) && !current.accepted()) {
            entries.remove(key);
        }
    }

    // --- decisions ---------------------------------------------------------------------------------------------

    /** What {@code claimId}'s claim of {@code key} found, once that claim was applied. */
    public synchronized Claim decide(String key, String claimId) {
        Entry current = entries.get(key);
        if (current == null || current.claimId().equals(claimId)) {
            // Null only when the entry was evicted right after: nobody else holds it.
            return Claim.OWNED;
        }
        return current.accepted() ? Claim.DUPLICATE : Claim.IN_PROGRESS;
    }

    /**
     * What a claim at {@code now} would surely find without being applied: {@code DUPLICATE} or
     * {@code IN_PROGRESS}, or {@code null} when only applying a claim can tell (lets a shared ledger skip a write).
     */
    public synchronized Claim known(String key, Instant now) {
        Entry current = entries.get(key);
        if (current == null || !current.since().plus(ttl).isAfter(now)) {
            return null;
        }
        if (current.accepted()) {
            return Claim.DUPLICATE;
        }
        return current.since().plus(lease).isAfter(now) ? Claim.IN_PROGRESS : null;
    }

    /** Number of keys currently remembered. */
    public synchronized int size() {
        return entries.size();
    }

    // --- the in-memory ledger ------------------------------------------------------------------------------------

    @Override
    public synchronized Ticket claim(String key, Instant now) {
        requireKey(key);
        String claimId = UUID.randomUUID().toString();
        claimed(key, claimId, now);
        return new Ticket(key, claimId, decide(key, claimId));
    }

    @Override
    public void accepted(Ticket ticket, Instant now) {
        accepted(ticket.key(), ticket.claimId(), now);
    }

    @Override
    public void release(Ticket ticket, Instant now) {
        released(ticket.key(), ticket.claimId());
    }

    /** Checks a key before it is claimed: not null, not absurdly long. */
    public static String requireKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("replay keys are 1 to " + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    private void put(String key, Entry entry) {
        // Remove first so a changed key moves to the tail and keeps the head oldest.
        entries.remove(key);
        entries.put(key, entry);
        if (entries.size() > maxEntries) {
            Iterator<String> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private void expire(Instant now) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && !it.next().getValue().since().plus(ttl).isAfter(now)) {
            it.remove();
        }
    }
}
