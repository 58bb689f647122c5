package org.communitypulse.streams.roles;

import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.RolesHistory;
import org.communitypulse.schemas.avro.TrainingMetrics;
import org.communitypulse.streams.common.View;
import org.communitypulse.streams.roles.internals.RolesProcessor;

/** What the roles family publishes read-only (see {@link RolesTopology}). */
public final class RolesViews {

    /** Coverage per {@code communityId NUL roleId}. */
    public static final View<RoleCoverage> COVERAGE = new View<>(RolesTopology.COVERAGE_VIEW_STORE);
    /** Open violations per {@code communityId NUL rule NUL subject}. */
    public static final View<PolicyViolation> OPEN_VIOLATIONS = new View<>(RolesTopology.OPEN_VIOLATIONS_VIEW_STORE);
    /** Training metrics per {@code communityId NUL} {@link #TRAINING_SUFFIX}. */
    public static final View<TrainingMetrics> TRAINING = new View<>(RolesTopology.TRAINING_VIEW_STORE);
    public static final String TRAINING_SUFFIX = RolesProcessor.TRAINING_VIEW_SUFFIX;
    /**
     * Each community's role history, which the maturity family scores with {@link RolesEvaluator} through a
     * {@link RolesState} of its own ({@link RolesState#of}).
     */
    public static final View<RolesHistory> STATE = new View<>(RolesTopology.ROLES_STORE);

    private RolesViews() {
    }
}
