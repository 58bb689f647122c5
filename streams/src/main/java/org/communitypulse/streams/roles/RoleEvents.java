package org.communitypulse.streams.roles;

import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/** The event types the roles family keeps in its history (roles, trainings, policies). */
public final class RoleEvents {

    private RoleEvents() {
    }

    public static boolean isRoleFamily(EventType type) {
        return type == EventType.ROLE_GRANTED || type == EventType.ROLE_REVOKED
                || type == EventType.TRAINING_COMPLETED || type == EventType.POLICY_ACKNOWLEDGED;
    }

    /**
     * Whether the event is a member's activity in the community (threads, replies, reactions, accepted answers,
     * moderation actions, badges, joins): what makes a role holder active. Administrative events (role grants and
     * revocations, trainings, policy acknowledgements, declarations, identity events) are not: a register import
     * alone makes nobody active.
     */
    public static boolean isActivity(ActivityEvent event) {
        return switch (event.getType()) {
            case THREAD_CREATED, REPLY_CREATED, REACTION_ADDED, ANSWER_ACCEPTED, MODERATION_ACTION, BADGE_AWARDED,
                    MEMBER_JOINED -> true;
            default -> false;
        };
    }
}
