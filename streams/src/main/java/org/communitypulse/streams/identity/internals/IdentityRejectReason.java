package org.communitypulse.streams.identity.internals;

/** Why the identity processor refused an (otherwise valid) identity event; travels in {@code pulse.dlq.reason}. */
enum IdentityRejectReason {
    /** An identity event with no actorId. */
    MISSING_IDENTITY,
    /** A merge or split without attributes.otherIdentity, or naming the actor itself. */
    MISSING_OTHER_IDENTITY,
    /** A merge or split naming an erased identity. */
    ERASED_IDENTITY,
    /** A split of two identities that belong to different members. */
    NOT_LINKED,
    /** A split of two identities of one member with no direct link between them: split the links on the path. */
    NO_DIRECT_LINK,
    /** A record on the erasures topic that is not a readable MEMBER_ERASED. */
    NOT_AN_ERASURE
}
