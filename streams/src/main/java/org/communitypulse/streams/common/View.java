package org.communitypulse.streams.common;

import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A store one family publishes for others to read, typed by its values: readers open it through this handle
 * instead of knowing the family's store names.
 *
 * @param store the store's name, for wiring (connecting a processor, asking where a key lives)
 */
public record View<V>(String store) {

    /** The store across every partition this instance holds. */
    public ReadOnlyKeyValueStore<String, V> in(ViewStores stores) {
        return stores.store(store);
    }

    /** The store once per partition held here (key order holds within one partition only). */
    public List<ReadOnlyKeyValueStore<String, V>> partitions(ViewStores stores) {
        return stores.partitions(store);
    }
}
