package org.communitypulse.streams.identity.internals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The identity state of one task, in one store of JSON values ({@link IdentityProcessor} writes it, the
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
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One platform identity. Public mutable fields: a serialisation shape only. */
    public static final class IdentityEntry {
        public String source;
        public String username;
        public long usernameAt = Long.MIN_VALUE;
        public String displayName;
        public long displayNameAt = Long.MIN_VALUE;
        /** Evidence kind + value (e.g. {@code e<hash>}) to the earliest time it was observed on this identity. */
        public TreeMap<String, Long> evidence = new TreeMap<>();
        /** Member id; null while the identity is its own member. */
        public String member;
        /** Identities a split separated from this one: evidence never links them directly again. */
        public TreeSet<String> blocked = new TreeSet<>();
        /** Identities with an open suggestion with this one. */
        public TreeSet<String> suggested = new TreeSet<>();
        public boolean erased;
        public long changedAt;
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

    /** A member of two or more identities: the identities and every link among them. */
    public static final class Group {
        public TreeSet<String> identities = new TreeSet<>();
        public List<Link> links = new ArrayList<>();
    }

    private final KeyValueStore<String, byte[]> store;

    public IdentityStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
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
            store.put(key, new byte[0]);
        }
    }

    void activate(String community) {
        if (!active(community)) {
            store.put("c" + SEPARATOR + community, new byte[0]);
        }
    }

    public IdentityEntry identity(String community, String identity) {
        return read(store.get(identityKey(community, identity)), IdentityEntry.class);
    }

    void put(String community, String identity, IdentityEntry entry) {
        store.put(identityKey(community, identity), write(entry));
    }

    public Group group(String community, String member) {
        return read(store.get("g" + SEPARATOR + community + SEPARATOR + member), Group.class);
    }

    void putGroup(String community, String member, Group group) {
        store.put("g" + SEPARATOR + community + SEPARATOR + member, write(group));
    }

    void deleteGroup(String community, String member) {
        store.delete("g" + SEPARATOR + community + SEPARATOR + member);
    }

    @SuppressWarnings("unchecked")
    TreeSet<String> sharing(String community, char kind, String value) {
        TreeSet<String> ids = read(store.get(indexKey(community, kind, value)), TreeSet.class);
        return ids == null ? new TreeSet<>() : ids;
    }

    void putSharing(String community, char kind, String value, TreeSet<String> identities) {
        if (identities.isEmpty()) {
            store.delete(indexKey(community, kind, value));
        } else {
            store.put(indexKey(community, kind, value), write(identities));
        }
    }

    private static String identityKey(String community, String identity) {
        return "i" + SEPARATOR + community + SEPARATOR + identity;
    }

    private static String indexKey(String community, char kind, String value) {
        return "x" + SEPARATOR + community + SEPARATOR + kind + SEPARATOR + value;
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable identity state", e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
