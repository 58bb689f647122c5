package org.communitypulse.streams.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.reconciliation.ReconciliationViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pulse_reconciliation_missing_items{community}}: per community held by this instance, the items the
 * platform lists and the pipeline has not counted, summed over its checked days (0 when every day is complete).
 * Read from the reconciliation view store every {@link #REFRESH}: a community that moved to another instance
 * leaves this one's series at the next refresh, so summing over instances counts each community once. One series
 * per community that has a platform count.
 */
public final class ReconciliationGauge implements AutoCloseable {

    public static final String NAME = "pulse.reconciliation.missing.items";
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ReconciliationGauge.class);

    private final ViewStores stores;
    private final MultiGauge gauge;
    private final ScheduledExecutorService refresher;

    public ReconciliationGauge(MeterRegistry registry, ViewStores stores) {
        this.stores = stores;
        this.gauge = MultiGauge.builder(NAME)
                .description("Items a platform lists that the pipeline has not counted, over the community's "
                        + "checked days (docs/metrics.md#reconciliation)")
                .baseUnit("items")
                .register(registry);
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pulse-reconciliation-gauge");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Re-reads every local partition of the view store; keeps the last values while state is not queryable. */
    void refresh() {
        try {
            Map<String, Long> missing = new TreeMap<>();
            for (ReadOnlyKeyValueStore<String, Reconciliation> partition :
                    ReconciliationViews.RECONCILIATION.partitions(stores)) {
                try (KeyValueIterator<String, Reconciliation> it = partition.all()) {
                    while (it.hasNext()) {
                        Reconciliation day = it.next().value;
                        missing.merge(day.getCommunityId(), day.getMissing(), Long::sum);
                    }
                }
            }
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            missing.forEach((community, items) -> rows.add(MultiGauge.Row.of(Tags.of("community", community), items)));
            gauge.register(rows, true);
        } catch (InvalidStateStoreException e) {
            LOG.debug("Reconciliation view not queryable ({}); keeping the last values", e.getMessage());
        } catch (RuntimeException e) {
            // A failed refresh must not end the schedule.
            LOG.warn("Could not refresh {}", NAME, e);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
