package org.communitypulse.streams.common;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * Keeps the most recently used values of a store as objects, so that the per-event fold does not
 * deserialise and re-serialise the same day, member and thread records on every event: a written
 * value reaches the store below (and its changelog) once per commit, or when it is evicted.
 *
 * <p>It extends Kafka Streams' {@link WrappedStateStore} (an internal class) because that is the only
 * hook Streams calls before a task commits: {@link #flushCache()} runs before the producer is flushed
 * and the transaction committed, so with exactly-once every write in this cache is inside the
 * transaction of the input it came from; a crash loses the cache together with the aborted
 * transaction.
 *
 * <p>Contract for callers: a value read from this store is the cached object itself, so a change to
 * it must be followed by {@link #put}; changing it without a put would change what later reads see
 * until it is evicted. Range reads write the dirty entries down first and return fresh copies. Not
 * for stores read by interactive queries from other threads.
 */
public final class ObjectCachingKeyValueStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V>
        implements KeyValueStore<K, V> {

    /** One cached value; {@code value == null} is a known absence (or a delete, when dirty). */
    private static final class Entry<V> {
        V value;
        boolean dirty;

        Entry(V value, boolean dirty) {
            this.value = value;
            this.dirty = dirty;
        }
    }

    private final int maxEntries;
    private final LinkedHashMap<K, Entry<V>> cache;
    /**
     * Keys of the dirty entries, in the order they became dirty: a commit visits only these, not the
     * whole cache (ten commits a second over 10,000 clean entries per store was a sixth of the thread).
     */
    private final LinkedHashSet<K> dirtyKeys = new LinkedHashSet<>();

    public ObjectCachingKeyValueStore(KeyValueStore<K, V> inner, int maxEntries) {
        super(inner);
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        // Access order: the least recently used entry is evicted first.
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                if (size() <= ObjectCachingKeyValueStore.this.maxEntries) {
                    return false;
                }
                writeDown(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        cache.clear();
        dirtyKeys.clear();
        super.init(context, root);
    }

    @Override
    public V get(K key) {
        Entry<V> entry = cache.get(key);
        if (entry == null) {
            entry = new Entry<>(wrapped().get(key), false);
            cache.put(key, entry);
        }
        return entry.value;
    }

    @Override
    public void put(K key, V value) {
        Entry<V> entry = cache.get(key);
        dirtyKeys.add(key);
        if (entry == null) {
            cache.put(key, new Entry<>(value, true));
        } else {
            entry.value = value;
            entry.dirty = true;
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        for (KeyValue<K, V> kv : entries) {
            put(kv.key, kv.value);
        }
    }

    @Override
    public V delete(K key) {
        V old = get(key);
        put(key, null);
        return old;
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writeDownDirty();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writeDownDirty();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writeDownDirty();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writeDownDirty();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writeDownDirty();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    /** Called by the task before it commits: every dirty value goes down, then the layers below flush. */
    @Override
    public void flushCache() {
        writeDownDirty();
        super.flushCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeDownDirty();
        super.commit(changelogOffsets);
    }

    /** A standby becoming active (or the reverse) must not keep values of the other life. */
    @Override
    public void clearCache() {
        cache.clear();
        dirtyKeys.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        cache.clear();
        dirtyKeys.clear();
        super.close();
    }

    /** Entries held (for tests and metrics). */
    int cachedEntries() {
        return cache.size();
    }

    private void writeDownDirty() {
        if (dirtyKeys.isEmpty()) {
            return;
        }
        for (K key : dirtyKeys) {
            Entry<V> entry = cache.get(key);
            if (entry != null) {
                write(key, entry);
            }
        }
        dirtyKeys.clear();
    }

    /** Eviction: the evicted entry's write goes down now, and it is dirty no more. */
    private void writeDown(K key, Entry<V> entry) {
        if (entry.dirty) {
            write(key, entry);
            dirtyKeys.remove(key);
        }
    }

    private void write(K key, Entry<V> entry) {
        if (!entry.dirty) {
            return;
        }
        if (entry.value == null) {
            wrapped().delete(key);
        } else {
            wrapped().put(key, entry.value);
        }
        entry.dirty = false;
    }
}
