package org.communitypulse.streams.identity.internals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.IdentityEntryState;
import org.communitypulse.schemas.avro.IdentityEvidenceState;
import org.communitypulse.schemas.avro.IdentityGroupState;
import org.communitypulse.schemas.avro.IdentityLinkState;
import org.communitypulse.schemas.avro.IdentitySharingState;
import org.communitypulse.schemas.avro.IdentityStateValue;
import org.communitypulse.streams.common.MixedAvroStateSerde;

/**
 * The identity state of one task, in one store of Avro values ({@link IdentityProcessor} writes it, the
 * engagement emitter reads it through {@link MemberResolver}). Keys, all scoped by community:
 * <ul>
 *   <li>{@code i NUL community NUL identityId}: an {@link IdentityEntry} (what was observed, its member);</li>
 *   <li>{@code g NUL community NUL memberId}: a {@link Group} of two or more linked identities and their links;</li>
 *   <li>{@code x NUL community NUL kind NUL value}: the identities sharing one piece of evidence (an index, so a
 *       new observation finds its matches with one lookup instead of a scan);</li>
 *   <li>{@code k NUL community}: present once the community had any identity event (an erasure, which names a
 *       person and no community, must find every community of the task);</li>
 *   <li>{@code c NUL community}: present once the community has any link or erasure; until then every
 *       identity is its own member and the engagement family skips resolution altogether.</li>
 * </ul>
 */
public final class IdentityStore {

    /** Evidence kinds in the index. */
    static final char VERIFIED_EMAIL = 'e';
    static final char UNVERIFIED_EMAIL = 'u';
    static final char MAPPING = 'm';
    static final char USERNAME = 'n';
    static final char DISPLAY_NAME = 'd';

    private static final char SEPARATOR = '\u0000';
    /** The value of a presence mark. */
    private static final byte[] MARK = new byte[0];

    /** One platform identity: what was observed, and its member. Stored as an {@link IdentityEntryState}. */
    public static final class IdentityEntry {
        private String source;
        private String username;
        private long usernameAt = Long.MIN_VALUE;
        private String displayName;
        private long displayNameAt = Long.MIN_VALUE;
        /** Evidence kind + value (e.g. {@code e<hash>}) to the earliest time it was observed on this identity. */
        private final TreeMap<String, Long> evidence = new TreeMap<>();
        /** Member id; null while the identity is its own member. */
        private String member;
        /** Identities a split separated from this one: evidence never links them directly again. */
        private final TreeSet<String> blocked = new TreeSet<>();
        /** Identities with an open suggestion with this one. */
        private final TreeSet<String> suggested = new TreeSet<>();
        private boolean erased;
        private long changedAt;

        /** Member id; null while the identity is its own member. */
        public String member() {
            return member;
        }

        public boolean erased() {
            return erased;
        }

        String source() {
            return source;
        }

        void setSource(String source) {
            this.source = source;
        }

        String username() {
            return username;
        }

        long usernameAt() {
            return usernameAt;
        }

        void setUsername(String username, long at) {
            this.username = username;
            this.usernameAt = at;
        }

        String displayName() {
            return displayName;
        }

        long displayNameAt() {
            return displayNameAt;
        }

        void setDisplayName(String displayName, long at) {
            this.displayName = displayName;
            this.displayNameAt = at;
        }

        /** Evidence kind + value to the earliest time it was observed, ascending by key (changed in place). */
        TreeMap<String, Long> evidence() {
            return evidence;
        }

        /** Identities a split separated from this one (changed in place). */
        TreeSet<String> blocked() {
            return blocked;
        }

        /** Identities with an open suggestion with this one (changed in place). */
        TreeSet<String> suggested() {
            return suggested;
        }

        void setMember(String member) {
            this.member = member;
        }

        void setErased(boolean erased) {
            this.erased = erased;
        }

        long changedAt() {
            return changedAt;
        }

        void setChangedAt(long changedAt) {
            this.changedAt = changedAt;
        }

        IdentityEntryState toAvro() {
            List<IdentityEvidenceState> seen = new ArrayList<>(evidence.size());
            evidence.forEach((key, at) -> seen.add(new IdentityEvidenceState(key, at)));
            return new IdentityEntryState(source, username, usernameAt, displayName, displayNameAt, seen, member,
                    new ArrayList<>(blocked), new ArrayList<>(suggested), erased, changedAt);
        }

        /** The stored form as Avro renders it in JSON: what an interactive query of the store shows. */
        @Override
        public String toString() {
            return toAvro().toString();
        }

        static IdentityEntry of(IdentityEntryState stored) {
            IdentityEntry entry = new IdentityEntry();
            entry.source = stored.getSource();
            entry.username = stored.getUsername();
            entry.usernameAt = stored.getUsernameAt();
            entry.displayName = stored.getDisplayName();
            entry.displayNameAt = stored.getDisplayNameAt();
            stored.getEvidence().forEach(e -> entry.evidence.put(e.getKey(), e.getAt()));
            entry.member = stored.getMember();
            entry.blocked.addAll(stored.getBlocked());
            entry.suggested.addAll(stored.getSuggested());
            entry.erased = stored.getErased();
            entry.changedAt = stored.getChangedAt();
            return entry;
        }
    }

    /** A link between two identities ({@code a < b}). */
    public record Link(String a, String b, String reason, String evidence, long at) {
        String other(String identity) {
            return a.equals(identity) ? b : a;
        }

        boolean touches(String identity) {
            return a.equals(identity) || b.equals(identity);
        }
    }

    /** A member of two or more identities: the identities and every link among them. Stored as an {@link IdentityGroupState}. */
    public static final class Group {
        private final TreeSet<String> identities = new TreeSet<>();
        private final List<Link> links = new ArrayList<>();

        /** The member's identities, ascending (changed in place). */
        public TreeSet<String> identities() {
            return identities;
        }

        /** Every link among the identities, in the order kept (changed in place). */
        List<Link> links() {
            return links;
        }

        IdentityGroupState toAvro() {
            List<IdentityLinkState> stored = new ArrayList<>(links.size());
            for (Link l : links) {
                stored.add(new IdentityLinkState(l.a(), l.b(), l.reason(), l.evidence(), l.at()));
            }
            return new IdentityGroupState(new ArrayList<>(identities), stored);
        }

        static Group of(IdentityGroupState stored) {
            Group group = new Group();
            group.identities.addAll(stored.getIdentities());
            for (IdentityLinkState l : stored.getLinks()) {
                group.links.add(new Link(l.getA(), l.getB(), l.getReason(), l.getEvidence(), l.getAt()));
            }
            return group;
        }
    }

    private final KeyValueStore<String, Object> store;

    public IdentityStore(KeyValueStore<String, Object> store) {
        this.store = store;
    }

    /**
     * The store's serde: entries, groups and index entries in Avro ({@code avro}, the project's serde of
     * {@link IdentityStateValue}), read back as {@link IdentityEntry}, {@link Group} and
     * {@link IdentitySharingState}; presence marks stay empty byte arrays, which no Avro value is.
     */
    public static MixedAvroStateSerde<IdentityStateValue> serde(String storeName, Serde<IdentityStateValue> avro) {
        return new MixedAvroStateSerde<>(storeName, avro, IdentityStore::wrap, IdentityStore::unwrap,
                bytes -> bytes.length == 0);
    }

    private static IdentityStateValue wrap(Object value) {
        if (value instanceof IdentityEntry entry) {
            return new IdentityStateValue(entry.toAvro());
        }
        if (value instanceof Group group) {
            return new IdentityStateValue(group.toAvro());
        }
        if (value instanceof IdentitySharingState sharing) {
            return new IdentityStateValue(sharing);
        }
        throw new IllegalArgumentException("not an identity state value: " + value.getClass().getName());
    }

    private static Object unwrap(IdentityStateValue stored) {
        Object value = stored.getValue();
        if (value instanceof IdentityEntryState entry) {
            return IdentityEntry.of(entry);
        }
        if (value instanceof IdentityGroupState group) {
            return Group.of(group);
        }
        return value;
    }

    public boolean active(String community) {
        return store.get("c" + SEPARATOR + community) != null;
    }

    /** Every community of this task with links or erasures (a prefix scan: once, when a task starts). */
    public java.util.Set<String> activeCommunities() {
        java.util.Set<String> communities = new java.util.HashSet<>();
        try (var it = store.prefixScan("c" + SEPARATOR, new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> communities.add(kv.key.substring(2)));
        }
        return communities;
    }

    /** Every community of this task with identity events or links or erasures. */
    java.util.Set<String> knownCommunities() {
        java.util.Set<String> communities = activeCommunities();
        try (var it = store.prefixScan("k" + SEPARATOR, new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> communities.add(kv.key.substring(2)));
        }
        return communities;
    }

    void know(String community) {
        String key = "k" + SEPARATOR + community;
        if (store.get(key) == null) {
            store.put(key, MARK);
        }
    }

    void activate(String community) {
        if (!active(community)) {
            store.put("c" + SEPARATOR + community, MARK);
        }
    }

    public IdentityEntry identity(String community, String identity) {
        return (IdentityEntry) store.get(identityKey(community, identity));
    }

    void put(String community, String identity, IdentityEntry entry) {
        store.put(identityKey(community, identity), entry);
    }

    public Group group(String community, String member) {
        return (Group) store.get("g" + SEPARATOR + community + SEPARATOR + member);
    }

    void putGroup(String community, String member, Group group) {
        store.put("g" + SEPARATOR + community + SEPARATOR + member, group);
    }

    void deleteGroup(String community, String member) {
        store.delete("g" + SEPARATOR + community + SEPARATOR + member);
    }

    /** The identities sharing one piece of evidence: a copy, changed and written back with {@link #putSharing}. */
    TreeSet<String> sharing(String community, char kind, String value) {
        IdentitySharingState ids = (IdentitySharingState) store.get(indexKey(community, kind, value));
        return ids == null ? new TreeSet<>() : new TreeSet<>(ids.getIdentities());
    }

    void putSharing(String community, char kind, String value, TreeSet<String> identities) {
        if (identities.isEmpty()) {
            store.delete(indexKey(community, kind, value));
        } else {
            store.put(indexKey(community, kind, value), new IdentitySharingState(new ArrayList<>(identities)));
        }
    }

    private static String identityKey(String community, String identity) {
        return "i" + SEPARATOR + community + SEPARATOR + identity;
    }

    private static String indexKey(String community, char kind, String value) {
        return "x" + SEPARATOR + community + SEPARATOR + kind + SEPARATOR + value;
    }
}
