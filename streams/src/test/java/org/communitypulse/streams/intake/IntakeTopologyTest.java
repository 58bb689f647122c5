package org.communitypulse.streams.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.TestEvents.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Predicate;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.RuntimeHooks;
import org.junit.jupiter.api.Test;

/** {@link IntakeTopology#accepts}: the public face of the intake's validation (its rules: EventValidatorTest). */
class IntakeTopologyTest {

    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    private final Predicate<ActivityEvent> accepts = IntakeTopology.accepts(
            new IntakeSettings(Optional.empty(), Duration.ofHours(6)),
            RuntimeHooks.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));

    @Test
    void shouldAcceptAnEventTheIntakeCounts() {
        assertThat(accepts.test(event("e1", "bikes", EventType.REPLY_CREATED, "alice", NOW.minusSeconds(60)))).isTrue();
    }

    @Test
    void shouldRefuseAnEventTheIntakeDeadLetters() {
        assertThat(accepts.test(event(" ", "bikes", EventType.REPLY_CREATED, "alice", NOW))).isFalse();
        assertThat(accepts.test(event("e2", "bikes", EventType.MEMBER_JOINED, null, NOW))).isFalse();
    }

    @Test
    void shouldJudgeTheFutureSkewAgainstTheHooksClock() {
        assertThat(accepts.test(event("e3", "bikes", EventType.REPLY_CREATED, "alice", NOW.plus(Duration.ofHours(5)))))
                .isTrue();
        assertThat(accepts.test(event("e4", "bikes", EventType.REPLY_CREATED, "alice", NOW.plus(Duration.ofHours(7)))))
                .isFalse();
    }
}
