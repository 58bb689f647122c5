package org.communitypulse.streams.common;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.AlertSnapshot;

/**
 * Live convergence (docs/alerts.md): a family's alert state after each judged day within the re-judge horizon, per
 * community, so that days which get late events are judged again from the snapshot of the day before. Keys are
 * {@code community NUL day} (zero-padded epoch day), so one community's snapshots are a range in day order.
 */
public final class AlertSnapshots {

    private final KeyValueStore<String, AlertSnapshot> store;
    private final int horizonDays;

    private AlertSnapshots(KeyValueStore<String, AlertSnapshot> store, int horizonDays) {
        this.store = store;
        this.horizonDays = horizonDays;
    }

    /** Snapshots in {@code store}, or null when there is none or the horizon is 0: a decision once written stands. */
    public static AlertSnapshots of(KeyValueStore<String, AlertSnapshot> store, int horizonDays) {
        return store == null || horizonDays <= 0 ? null : new AlertSnapshots(store, horizonDays);
    }

    /** The empty state before a community's first judged day: a late event before that day starts from here. */
    public static AlertSnapshot origin() {
        return AlertSnapshot.newBuilder().setOrigin(true).build();
    }

    private static String key(String community, int day) {
        return community + '\u0000' + String.format(java.util.Locale.ROOT, "%08d", Math.max(0, day));
    }

    /** Keeps the snapshot of {@code day} when it lies within the horizon of {@code throughDay}. */
    public void keep(String community, int day, AlertSnapshot snapshot, int throughDay) {
        if (day >= throughDay - horizonDays - 1) {
            store.put(key(community, day), snapshot);
        }
    }

    /** Drops the snapshots that left the horizon of {@code throughDay}: late events for those days re-judge nothing. */
    public void forgetBeyond(String community, int throughDay) {
        int day = throughDay - horizonDays - 1;
        if (day <= 0) {
            return;
        }
        List<String> old = new ArrayList<>();
        try (var it = store.range(key(community, 0), key(community, day - 1))) {
            it.forEachRemaining(kv -> old.add(kv.key));
        }
        old.forEach(store::delete);
    }

    /**
     * The state to judge {@code day} from: the snapshot of the day before, or the origin when that day lies before
     * it; null beyond the horizon (nothing to judge again from).
     */
    public AlertSnapshot before(String community, int day) {
        AlertSnapshot stored = store.get(key(community, day - 1));
        if (stored != null) {
            return stored;
        }
        try (var it = store.range(key(community, 0), key(community, Integer.MAX_VALUE / 2))) {
            if (it.hasNext()) {
                var first = it.next();
                int oldestDay = Integer.parseInt(first.key.substring(first.key.indexOf('\u0000') + 1));
                if (first.value.getOrigin() && day - 1 < oldestDay) {
                    return first.value;
                }
            }
        }
        return null;
    }
}
