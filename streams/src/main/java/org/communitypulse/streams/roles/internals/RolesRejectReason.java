package org.communitypulse.streams.roles.internals;

/** Why the roles family refused an (otherwise valid) activity event; travels in {@code pulse.dlq.reason}. */
enum RolesRejectReason {
    /** A role event with no actorId: nobody to grant the role to. */
    MISSING_MEMBER,
    /** A role event with neither attributes.role nor attributes.level. */
    MISSING_ROLE,
    /** attributes.role is neither a configured role, a level, nor an ignored platform role. */
    UNKNOWN_ROLE,
    /** attributes.level is not a configured level. */
    UNKNOWN_LEVEL,
    /** A revoke for a role or level the member did not hold at that time. */
    REVOKE_WITHOUT_GRANT,
    /** A grant dated beyond the tolerance after the community's latest event. */
    FUTURE_GRANT,
    /** TRAINING_COMPLETED without attributes.course, or POLICY_ACKNOWLEDGED without attributes.policy. */
    MISSING_ATTRIBUTE,
    /** TRAINING_COMPLETED whose attributes.score is not a number. */
    INVALID_SCORE
}
