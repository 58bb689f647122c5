package org.communitypulse.streams;

import java.util.List;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.streams.maturity.MaturityRules;

/** The scripted stage communities of {@link MaturityTopologyTest}, for tests in other packages. */
public final class MaturityTopologyTestAccess {

    private MaturityTopologyTestAccess() {
    }

    public static List<ActivityEvent> events(int stage) {
        return MaturityTopologyTest.ScriptedCommunity.events(stage);
    }

    public static MaturityRules withGoals() {
        return MaturityTopologyTest.withGoals();
    }
}
