package org.communitypulse.streams.common;

import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/** Builds {@code inner}'s store wrapped in an {@link ObjectCachingKeyValueStore} of {@code maxEntries}. */
public final class ObjectCachingStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {

    /** Entries kept as objects per store and task unless configured ({@code pulse.state.cache.entries}). */
    public static final int DEFAULT_ENTRIES = 10_000;

    private final StoreBuilder<KeyValueStore<K, V>> inner;
    private final int maxEntries;
    private final boolean sharedReads;

    public ObjectCachingStoreBuilder(StoreBuilder<KeyValueStore<K, V>> inner, int maxEntries) {
        this(inner, maxEntries, false);
    }

    /** With {@code sharedReads}, the store may be read by interactive queries ({@link ObjectCachingKeyValueStore}). */
    public ObjectCachingStoreBuilder(StoreBuilder<KeyValueStore<K, V>> inner, int maxEntries, boolean sharedReads) {
        this.inner = inner;
        this.maxEntries = maxEntries;
        this.sharedReads = sharedReads;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
        inner.withCachingEnabled();
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
        inner.withCachingDisabled();
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public KeyValueStore<K, V> build() {
        return new ObjectCachingKeyValueStore<>(inner.build(), maxEntries, sharedReads);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
