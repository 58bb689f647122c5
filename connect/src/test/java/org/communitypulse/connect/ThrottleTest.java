package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.communitypulse.connect.internals.Throttle;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    @Test
    void shouldGrantEventsAtConfiguredRateWhenLimited() {
        AtomicLong now = new AtomicLong();
        Throttle throttle = new Throttle(100, now::get);
        assertThat(throttle.allowance(500)).isEqualTo(1);
        throttle.used(1);
        assertThat(throttle.allowance(500)).isZero();
        now.set(500_000_000L);
        assertThat(throttle.allowance(500)).isEqualTo(50);
        throttle.used(50);
        now.set(10_000_000_000L);
        assertThat(throttle.allowance(500)).isEqualTo(500);
    }

    @Test
    void shouldGrantEverythingWhenUnlimited() {
        assertThat(new Throttle(0, () -> 0).allowance(500)).isEqualTo(500);
    }
}
