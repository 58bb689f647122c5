package org.communitypulse.streams.reconciliation;

import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.streams.common.View;

/** What the reconciliation publishes read-only: the latest record per {@code communityId NUL day}. */
public final class ReconciliationViews {

    public static final View<Reconciliation> RECONCILIATION = new View<>(ReconciliationTopology.VIEW_STORE);

    private ReconciliationViews() {
    }
}
