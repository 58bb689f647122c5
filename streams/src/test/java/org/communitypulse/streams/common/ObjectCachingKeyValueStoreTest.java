package org.communitypulse.streams.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectCachingKeyValueStoreTest {

    private KeyValueStore<String, StringBuilder> inner;

    /** Values are mutable, like the Avro records of the fold, so object identity is observable. */
    private ObjectCachingKeyValueStore<String, StringBuilder> open(int entries) {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(),
                Serdes.serdeFrom((topic, sb) -> sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        (topic, bytes) -> new StringBuilder(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))))
                .withLoggingDisabled().build();
        ObjectCachingKeyValueStore<String, StringBuilder> store = new ObjectCachingKeyValueStore<>(inner, entries);
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private ObjectCachingKeyValueStore<String, StringBuilder> store;

    @BeforeEach
    void setUp() {
        store = open(2);
    }

    @Test
    void shouldKeepWritesOutOfTheStoreBelowUntilTheTaskFlushes() {
        store.put("a", new StringBuilder("1"));
        store.put("a", new StringBuilder("2"));

        assertThat(store.get("a")).hasToString("2");
        assertThat(inner.get("a")).isNull();
        store.flushCache();
        assertThat(inner.get("a")).hasToString("2");
    }

    @Test
    void shouldReturnTheCachedObjectWhenReadTwice() {
        store.put("a", new StringBuilder("1"));
        store.flushCache();

        assertThat(store.get("a")).isSameAs(store.get("a"));
    }

    @Test
    void shouldWriteTheLeastRecentlyUsedDirtyEntryDownWhenFull() {
        store.put("a", new StringBuilder("1"));
        store.put("b", new StringBuilder("2"));
        store.get("a");
        store.put("c", new StringBuilder("3"));

        // "b" was least recently used: written down and dropped; "a" and "c" are still only cached.
        assertThat(inner.get("b")).hasToString("2");
        assertThat(inner.get("a")).isNull();
        assertThat(store.cachedEntries()).isEqualTo(2);
        assertThat(store.get("b")).hasToString("2");
    }

    @Test
    void shouldDeleteBelowWhenADeletedEntryIsFlushed() {
        store.put("a", new StringBuilder("1"));
        store.flushCache();

        assertThat(store.delete("a")).hasToString("1");
        assertThat(store.get("a")).isNull();
        assertThat(inner.get("a")).hasToString("1");
        store.flushCache();
        assertThat(inner.get("a")).isNull();
    }

    @Test
    void shouldSeeCachedWritesWhenScanningAPrefix() {
        store.put("x\u0000a", new StringBuilder("1"));
        store.put("x\u0000b", new StringBuilder("2"));
        store.put("y\u0000a", new StringBuilder("3"));

        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, StringBuilder> it = store.prefixScan("x\u0000", new StringSerializer())) {
            it.forEachRemaining((KeyValue<String, StringBuilder> kv) -> seen.add(kv.key + "=" + kv.value));
        }
        assertThat(seen).containsExactly("x\u0000a=1", "x\u0000b=2");
    }

    @Test
    void shouldForgetUnflushedWritesWhenTheCacheIsCleared() {
        store.put("a", new StringBuilder("1"));
        store.flushCache();
        store.put("a", new StringBuilder("2"));

        store.clearCache();

        assertThat(store.get("a")).hasToString("1");
    }

    @Test
    void shouldRememberAnAbsentKeyWithoutReadingBelowAgain() {
        assertThat(store.get("missing")).isNull();
        inner.put("missing", new StringBuilder("written around the cache"));

        // The cache answers: only the fold writes these stores, always through this layer.
        assertThat(store.get("missing")).isNull();
        assertThat(store.cachedEntries()).isEqualTo(1);
    }

    @Test
    void shouldWriteOnlyEntriesChangedSinceTheLastFlushWhenTheTaskFlushes() {
        store.put("a", new StringBuilder("1"));
        store.flushCache();
        // Written around the cache: a flush that rewrote clean entries would put "1" back.
        inner.put("a", new StringBuilder("below"));
        store.put("b", new StringBuilder("2"));

        store.flushCache();

        assertThat(inner.get("a")).hasToString("below");
        assertThat(inner.get("b")).hasToString("2");
    }

    @Test
    void shouldNotWriteAnEvictedEntryAgainWhenTheTaskFlushes() {
        store.put("a", new StringBuilder("1"));
        store.put("b", new StringBuilder("2"));
        store.put("c", new StringBuilder("3"));
        assertThat(inner.get("a")).as("evicted, so written down").hasToString("1");
        inner.put("a", new StringBuilder("below"));

        store.flushCache();

        assertThat(inner.get("a")).hasToString("below");
        assertThat(inner.get("b")).hasToString("2");
        assertThat(inner.get("c")).hasToString("3");
    }
}
