package org.communitypulse.streams.alerts;

import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertActionLog;
import org.communitypulse.streams.common.View;

/** What the alerts family publishes read-only: acknowledgements and snoozes per {@link AlertActionsTopology#key}. */
public final class AlertViews {

    public static final View<AlertActionLog> ACTIONS = new View<>(AlertActionsTopology.STORE);
    /** Every family's latest alert per {@link AlertActionsTopology#key}. */
    public static final View<Alert> ALERTS = new View<>(AlertActionsTopology.ALERTS_VIEW_STORE);

    private AlertViews() {
    }
}
