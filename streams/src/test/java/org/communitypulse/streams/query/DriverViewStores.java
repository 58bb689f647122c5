package org.communitypulse.streams.query;

import java.util.List;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.streams.common.ViewStores;

/** The view stores of a {@link TopologyTestDriver}: one task, so a store is its only partition. */
public final class DriverViewStores {

    private DriverViewStores() {
    }

    public static ViewStores of(TopologyTestDriver driver) {
        return new ViewStores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return driver.getKeyValueStore(name);
            }

            @Override
            public <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name) {
                return List.of(store(name));
            }
        };
    }
}
