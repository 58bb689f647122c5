package org.communitypulse.streams.roles;

import java.util.EnumSet;
import java.util.Set;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/**
 * Which events the roles family keeps in its history (roles, trainings, policies) and which ones are a member's
 * activity in the community (what makes a role holder active, and what the maturity family counts as activity).
 */
public final class RoleEvents {

    /**
     * Member activity: what a person does in the community. Administrative records (grants, revokes, trainings,
     * acknowledgements, declarations), identity events and unknown types are not: a register import alone must not
     * make anyone active.
     */
    private static final Set<EventType> ACTIVITY = EnumSet.of(EventType.THREAD_CREATED, EventType.REPLY_CREATED,
            EventType.REACTION_ADDED, EventType.ANSWER_ACCEPTED, EventType.MODERATION_ACTION,
            EventType.BADGE_AWARDED, EventType.MEMBER_JOINED);

    private RoleEvents() {
    }

    public static boolean isRoleFamily(EventType type) {
        return type == EventType.ROLE_GRANTED || type == EventType.ROLE_REVOKED
                || type == EventType.TRAINING_COMPLETED || type == EventType.POLICY_ACKNOWLEDGED;
    }

    /** Whether the event is member activity in its community (docs/roles.md, "Active holders"). */
    public static boolean isActivity(ActivityEvent event) {
        return event != null && event.getType() != null && ACTIVITY.contains(event.getType());
    }
}
