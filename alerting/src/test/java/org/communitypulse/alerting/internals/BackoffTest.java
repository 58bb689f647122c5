package org.communitypulse.alerting.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static Backoff backoff(double jitter, double random) {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, jitter, () -> random);
    }

    @Test
    void shouldGrowExponentiallyUpToTheCapWhenAttemptsFail() {
        Backoff backoff = backoff(0, 0.5);
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.ceiling(8)).isEqualTo(Duration.ofSeconds(10));
        // Far beyond the cap: no overflow, no negative waits.
        assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(3, null)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void shouldStayWithinTheJitterBandWhenRandomised() {
        assertThat(backoff(0.5, 0.0).delay(3, null)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff(0.5, 0.999_999).delay(3, null).toMillis()).isEqualTo(200);
        Random random = new Random(7);
        Backoff jittered = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, 0.5, random::nextDouble);
        for (int attempt = 1; attempt < 20; attempt++) {
            long ceiling = jittered.ceiling(attempt).toMillis();
            assertThat(jittered.delay(attempt, null).toMillis()).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void shouldHonourRetryAfterUpToTheCapWhenTheReceiverAsksForLonger() {
        Backoff backoff = backoff(0, 0);
        assertThat(backoff.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(1, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(4, Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(800));
        assertThat(WebhookSender.retryAfter(Optional.of(" 7 "))).isEqualTo(Duration.ofSeconds(7));
        assertThat(WebhookSender.retryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"))).isNull();
        assertThat(WebhookSender.retryAfter(Optional.empty())).isNull();
    }

    @Test
    void shouldRetryOnlyTransientStatusesWhenClassifyingAnswers() {
        assertThat(Attempt.classify(200)).isEqualTo(Attempt.Kind.DELIVERED);
        assertThat(Attempt.classify(204)).isEqualTo(Attempt.Kind.DELIVERED);
        assertThat(Attempt.classify(408)).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(Attempt.classify(429)).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(Attempt.classify(500)).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(Attempt.classify(503)).isEqualTo(Attempt.Kind.TRANSIENT);
        assertThat(Attempt.classify(400)).isEqualTo(Attempt.Kind.PERMANENT);
        assertThat(Attempt.classify(404)).isEqualTo(Attempt.Kind.PERMANENT);
        assertThat(Attempt.classify(410)).isEqualTo(Attempt.Kind.PERMANENT);
        assertThat(Attempt.classify(301)).isEqualTo(Attempt.Kind.PERMANENT);
    }

    @Test
    void shouldRejectNonsenseSettingsWhenBuilt() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0.5, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 0.5, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
