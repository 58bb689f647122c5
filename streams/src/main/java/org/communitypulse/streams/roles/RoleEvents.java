package org.communitypulse.streams.roles;

import org.communitypulse.schemas.avro.EventType;

/** The event types the roles family keeps in its history (roles, trainings, policies). */
public final class RoleEvents {

    private RoleEvents() {
    }

    public static boolean isRoleFamily(EventType type) {
        return type == EventType.ROLE_GRANTED || type == EventType.ROLE_REVOKED
                || type == EventType.TRAINING_COMPLETED || type == EventType.POLICY_ACKNOWLEDGED;
    }
}
