package org.communitypulse.streams.common;

import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the engagement view stores ({@code EngagementTopology.*_VIEW_STORE}) held by this
 * instance. Implementations throw {@link org.apache.kafka.streams.errors.InvalidStateStoreException}
 * while a store is not queryable (rebalancing, restoring).
 */
public interface ViewStores {

    /** The store across every partition this instance holds: right for one community, which lives on one. */
    <V> ReadOnlyKeyValueStore<String, V> store(String name);

    /**
     * The store once per partition held here. Ranges are sorted within one partition only, so anything
     * that walks key order across communities (listing them) goes partition by partition.
     */
    <V> List<ReadOnlyKeyValueStore<String, V>> partitions(String name);
}
