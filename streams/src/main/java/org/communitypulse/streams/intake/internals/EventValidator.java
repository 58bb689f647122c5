package org.communitypulse.streams.intake.internals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.schemas.declarations.InvalidDeclarationException;
import org.communitypulse.streams.intake.RejectReason;

/** Checks that an activity event can be counted; pure, so every rule is unit-tested directly. */
public final class EventValidator {

    /** No online community predates this; older stamps are unit errors (seconds read as millis, etc.). */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    /** Events about a person are meaningless without the person. */
    private static final Set<EventType> NEED_ACTOR = EnumSet.of(EventType.MEMBER_JOINED, EventType.MEMBER_LEFT,
            EventType.ROLE_GRANTED, EventType.ROLE_REVOKED, EventType.TRAINING_COMPLETED,
            EventType.POLICY_ACKNOWLEDGED, EventType.BADGE_AWARDED, EventType.IDENTITY_OBSERVED,
            EventType.IDENTITY_MERGED, EventType.IDENTITY_SPLIT, EventType.MEMBER_ERASED);

    private final Clock clock;
    private final Duration maxFutureSkew;

    public EventValidator(Clock clock, Duration maxFutureSkew) {
        this.clock = clock;
        this.maxFutureSkew = maxFutureSkew;
    }

    /** Returns why {@code event}, read under record key {@code key}, cannot be counted; empty when it can. */
    public Optional<Rejection> validate(String key, ActivityEvent event) {
        if (isBlank(event.getEventId())) {
            return reject(RejectReason.MISSING_FIELD, "eventId is blank");
        }
        if (isBlank(event.getCommunityId())) {
            return reject(RejectReason.MISSING_FIELD, "communityId is blank (event " + event.getEventId() + ")");
        }
        if (event.getType() == null || event.getType() == EventType.UNKNOWN) {
            return reject(RejectReason.UNKNOWN_EVENT_TYPE,
                    "event type is not known to this version (event " + event.getEventId() + ")");
        }
        if (event.getType() == EventType.MEMBER_ERASED) {
            return reject(RejectReason.ERASURE_NOT_AUTHORISED, "MEMBER_ERASED is accepted only on the erasures topic, "
                    + "from `pulse identity erase` or the signed Discourse webhook (event " + event.getEventId() + ")");
        }
        if (NEED_ACTOR.contains(event.getType()) && isBlank(event.getActorId())) {
            return reject(RejectReason.MISSING_FIELD,
                    event.getType() + " needs an actorId (event " + event.getEventId() + ")");
        }
        Instant at = event.getOccurredAt();
        if (at == null || at.isBefore(EARLIEST)) {
            return reject(RejectReason.INVALID_TIMESTAMP, "occurredAt " + at + " is before " + EARLIEST
                    + " (event " + event.getEventId() + ")");
        }
        Instant latest = clock.instant().plus(maxFutureSkew);
        if (at.isAfter(latest)) {
            return reject(RejectReason.INVALID_TIMESTAMP, "occurredAt " + at + " is more than " + maxFutureSkew
                    + " in the future (event " + event.getEventId() + ")");
        }
        if (!event.getCommunityId().equals(key)) {
            return reject(RejectReason.KEY_MISMATCH, "record key '" + key + "' is not the communityId '"
                    + event.getCommunityId() + "' (event " + event.getEventId() + ")");
        }
        if (event.getType() == EventType.EVIDENCE_DECLARED) {
            // Checked here so that every family downstream can read a declaration without guarding against it.
            try {
                Declaration.parse(event);
            } catch (InvalidDeclarationException e) {
                return reject(RejectReason.INVALID_DECLARATION, e.getMessage() + " (event " + event.getEventId() + ")");
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
