package org.communitypulse.streams.engagement.internals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The periods whose records must be recomputed at the next emission, one tiny store entry each
 * ({@code community NUL kind NUL value}). Marking is a put of a few bytes, whatever the number of
 * periods already waiting: keeping them as lists inside the community's record made every event
 * re-serialise all of them.
 *
 * <p>The store (not memory) holds them so that a crash between a commit and the next emission
 * cannot lose a change: the marks are committed with the state they describe.
 */
final class DirtyPeriods {

    /** What a mark asks to recompute. */
    enum Kind {
        DAILY('d'), TRAILING('t'), COHORT('c'), MEMBER('m');

        final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind of(char code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown dirty-period kind " + code);
        }
    }

    /** One community's marks, read at emission time. */
    static final class Pending {
        final TreeSet<Integer> daily = new TreeSet<>();
        final TreeSet<Integer> trailing = new TreeSet<>();
        final TreeSet<Integer> cohorts = new TreeSet<>();
        final TreeSet<String> members = new TreeSet<>();
    }

    private static final byte[] MARK = new byte[0];
    private static final char SEPARATOR = '\u0000';

    private final KeyValueStore<String, byte[]> store;
    /** Marks already put since the last emission: the same day is marked by many events. */
    private final Set<String> marked = new HashSet<>();

    DirtyPeriods(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    void mark(String community, Kind kind, int value) {
        mark(community, kind, Integer.toString(value));
    }

    void mark(String community, Kind kind, String value) {
        String key = community + SEPARATOR + kind.code + SEPARATOR + value;
        if (marked.add(key)) {
            store.put(key, MARK);
        }
    }

    void markRange(String community, Kind kind, int from, int to) {
        for (int d = from; d <= to; d++) {
            mark(community, kind, d);
        }
    }

    /** Reads and removes every mark, grouped by community. */
    Map<String, Pending> drain() {
        Map<String, Pending> pending = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                keys.add(kv.key);
                int first = kv.key.indexOf(SEPARATOR);
                String community = kv.key.substring(0, first);
                Kind kind = Kind.of(kv.key.charAt(first + 1));
                String value = kv.key.substring(first + 3);
                Pending p = pending.computeIfAbsent(community, c -> new Pending());
                switch (kind) {
                    case DAILY -> p.daily.add(Integer.parseInt(value));
                    case TRAILING -> p.trailing.add(Integer.parseInt(value));
                    case COHORT -> p.cohorts.add(Integer.parseInt(value));
                    case MEMBER -> p.members.add(value);
                    default -> throw new IllegalStateException(kind.name());
                }
            }
        }
        keys.forEach(store::delete);
        marked.clear();
        return pending;
    }

    /** Communities with marks waiting, from any reader of the store (interactive queries included). */
    static Set<String> communitiesIn(KeyValueIterator<String, byte[]> all) {
        Set<String> communities = new HashSet<>();
        while (all.hasNext()) {
            String key = all.next().key;
            communities.add(key.substring(0, key.indexOf(SEPARATOR)));
        }
        return communities;
    }
}
