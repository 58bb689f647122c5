package org.communitypulse.streams.intake.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.communitypulse.streams.TestEvents.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.schemas.declarations.InvalidDeclarationException;
import org.communitypulse.streams.intake.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final Duration SKEW = Duration.ofHours(6);
    private static final Instant YESTERDAY = NOW.minus(Duration.ofDays(1));

    private final EventValidator validator = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC), SKEW);

    private static ActivityEvent valid() {
        return event("e1", "bikes", EventType.REPLY_CREATED, "alice", YESTERDAY);
    }

    private static ActivityEvent with(Consumer<ActivityEvent> edit) {
        ActivityEvent event = valid();
        edit.accept(event);
        return event;
    }

    @Test
    void shouldAcceptWhenEveryRuleHolds() {
        assertThat(validator.validate("bikes", valid())).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void shouldRejectAsMissingFieldWhenEventIdIsBlank(String eventId) {
        assertRejected(validator.validate("bikes", with(e -> e.setEventId(eventId))), RejectReason.MISSING_FIELD,
                "eventId");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void shouldRejectAsMissingFieldWhenCommunityIdIsBlank(String communityId) {
        assertRejected(validator.validate("bikes", with(e -> e.setCommunityId(communityId))),
                RejectReason.MISSING_FIELD, "communityId");
    }

    @Test
    void shouldRejectAsUnknownTypeWhenTypeIsUnknownOrMissing() {
        assertRejected(validator.validate("bikes", with(e -> e.setType(EventType.UNKNOWN))),
                RejectReason.UNKNOWN_EVENT_TYPE, "e1");
        assertRejected(validator.validate("bikes", with(e -> e.setType(null))), RejectReason.UNKNOWN_EVENT_TYPE, "e1");
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"MEMBER_JOINED", "MEMBER_LEFT", "ROLE_GRANTED", "ROLE_REVOKED",
            "TRAINING_COMPLETED", "POLICY_ACKNOWLEDGED", "BADGE_AWARDED"})
    void shouldRejectAsMissingFieldWhenPersonEventHasNoActor(EventType type) {
        assertRejected(validator.validate("bikes", with(e -> {
            e.setType(type);
            e.setActorId(" ");
        })), RejectReason.MISSING_FIELD, type.name());
        assertThat(validator.validate("bikes", with(e -> e.setType(type)))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"THREAD_CREATED", "REPLY_CREATED", "REACTION_ADDED",
            "ANSWER_ACCEPTED", "MODERATION_ACTION"})
    void shouldAcceptWhenContentEventHasNoActor(EventType type) {
        // Anonymous votes and deleted authors are normal in real dumps.
        assertThat(validator.validate("bikes", with(e -> {
            e.setType(type);
            e.setActorId(null);
        }))).isEmpty();
    }

    @Test
    void shouldRejectAsInvalidTimestampWhenBefore2000() {
        assertRejected(validator.validate("bikes", with(e -> e.setOccurredAt(Instant.EPOCH))),
                RejectReason.INVALID_TIMESTAMP, "1970");
        assertRejected(validator.validate("bikes",
                        with(e -> e.setOccurredAt(EventValidator.EARLIEST.minusMillis(1)))),
                RejectReason.INVALID_TIMESTAMP, "before");
        assertThat(validator.validate("bikes", with(e -> e.setOccurredAt(EventValidator.EARLIEST)))).isEmpty();
    }

    @Test
    void shouldRejectAsInvalidTimestampWhenFurtherInFutureThanSkew() {
        Instant limit = NOW.plus(SKEW);
        assertThat(validator.validate("bikes", with(e -> e.setOccurredAt(limit)))).isEmpty();
        assertRejected(validator.validate("bikes", with(e -> e.setOccurredAt(limit.plusMillis(1)))),
                RejectReason.INVALID_TIMESTAMP, "future");
    }

    @Test
    void shouldRejectAsKeyMismatchWhenKeyIsNotCommunityId() {
        assertRejected(validator.validate("cooking", valid()), RejectReason.KEY_MISMATCH, "cooking");
        assertRejected(validator.validate(null, valid()), RejectReason.KEY_MISMATCH, "bikes");
        assertRejected(validator.validate("Bikes", valid()), RejectReason.KEY_MISMATCH, "Bikes");
    }

    @Test
    void shouldReportFirstBrokenRuleWhenSeveralAreBroken() {
        ActivityEvent broken = with(e -> {
            e.setType(EventType.UNKNOWN);
            e.setOccurredAt(Instant.EPOCH);
        });
        assertRejected(validator.validate("other", broken), RejectReason.UNKNOWN_EVENT_TYPE, "e1");
    }

    @Test
    void shouldAcceptAValidDeclarationWithoutAnActor() {
        assertThat(validator.validate("bikes", declaration(Map.of("declaration", "policy", "policy",
                "community-guidelines", "evidence", "https://bikes.example/guidelines", "declared_by", "ops"))))
                .isEmpty();
    }

    @Test
    void shouldRejectADeclarationItsParserRefusesWithTheParsersMessage() {
        Map<String, String> noEvidence = Map.of("declaration", "goal", "signal", "wau", "target", "40",
                "declared_by", "ops");
        String message = assertThrows(InvalidDeclarationException.class,
                () -> Declaration.of("bikes", YESTERDAY, noEvidence)).getMessage();
        assertRejected(validator.validate("bikes", declaration(noEvidence)), RejectReason.INVALID_DECLARATION,
                message);
        assertRejected(validator.validate("bikes", declaration(Map.of("declaration", "vision", "evidence", "x",
                "declared_by", "ops"))), RejectReason.INVALID_DECLARATION, "unknown declaration 'vision'");
        assertRejected(validator.validate("bikes", declaration(Map.of("declaration", "budget", "amount", "lots",
                "evidence", "x", "declared_by", "ops"))), RejectReason.INVALID_DECLARATION, "'amount' is not a number");
    }

    private static ActivityEvent declaration(Map<String, String> attributes) {
        ActivityEvent event = event("d1", "bikes", EventType.EVIDENCE_DECLARED, null, YESTERDAY);
        event.setAttributes(attributes);
        return event;
    }

    private static void assertRejected(Optional<Rejection> rejection, RejectReason reason, String detailMentions) {
        assertThat(rejection).isPresent();
        assertThat(rejection.get().reason()).isEqualTo(reason);
        assertThat(rejection.get().detail()).contains(detailMentions);
    }
}
