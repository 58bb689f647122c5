package org.communitypulse.streams.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps its {@code maxEntries} most recently used entries and drops the eldest beyond them: for
 * values derived from the stores (built keys, kept records) that are simply computed again when dropped.
 * Not thread-safe; each belongs to one processor on its stream thread.
 */
public final class LruMap<K, V> extends LinkedHashMap<K, V> {

    private final int maxEntries;

    public LruMap(int maxEntries) {
        super(16, 0.75f, true);
        this.maxEntries = maxEntries;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > maxEntries;
    }
}
