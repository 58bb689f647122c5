package org.communitypulse.streams.maturity;

import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.streams.common.View;

/** What the maturity family publishes read-only: the latest records per {@code communityId NUL Monday}. */
public final class MaturityViews {

    public static final View<MaturityScorecard> SCORECARDS = new View<>(MaturityTopology.SCORECARD_VIEW_STORE);
    public static final View<CommunityHealth> HEALTH = new View<>(MaturityTopology.HEALTH_VIEW_STORE);

    private MaturityViews() {
    }
}
