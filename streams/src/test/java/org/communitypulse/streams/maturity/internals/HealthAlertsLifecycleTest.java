package org.communitypulse.streams.maturity.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.HealthStatus;
import org.junit.jupiter.api.Test;

/** The HEALTH_AT_RISK lifecycle on scripted sequences of completed weeks' health states. */
class HealthAlertsLifecycleTest {

    private static final LocalDate W0 = LocalDate.parse("2029-11-05");

    private static List<String> run(int resolveAfterWeeks, HealthStatus... weeks) {
        HealthAlerts alerts = new HealthAlerts(resolveAfterWeeks);
        HealthAlerts.Lifecycle life = new HealthAlerts.Lifecycle();
        List<String> out = new ArrayList<>();
        for (int w = 0; w < weeks.length; w++) {
            CommunityHealth health = CommunityHealth.newBuilder().setCommunityId("c")
                    .setPeriodStart(W0.plusWeeks(w)).setPeriodEnd(W0.plusWeeks(w).plusDays(6)).setComplete(true)
                    .setScore(40).setState(weeks[w]).setComponents(List.of()).setContributions7d(1).setWau(1)
                    .setUpdatedAt(Instant.EPOCH).build();
            int week = w;
            alerts.judge(health, life, (key, value) -> out.add(
                    week + " " + value.getState() + " " + value.getSeverity() + " " + value.getSince()));
        }
        return out;
    }

    @Test
    void shouldFireAWarningWhenTheStateDropsToAtRisk() {
        assertThat(run(1, HealthStatus.HEALTHY, HealthStatus.AT_RISK, HealthStatus.THRIVING))
                .containsExactly("1 FIRING WARNING " + W0.plusWeeks(1), "2 RESOLVED WARNING " + W0.plusWeeks(1));
    }

    @Test
    void shouldKeepOneAlertWhenAtRiskWorsensToStalled() {
        assertThat(run(2, HealthStatus.AT_RISK, HealthStatus.STALLED, HealthStatus.HEALTHY, HealthStatus.HEALTHY))
                .containsExactly("0 FIRING WARNING " + W0, "3 RESOLVED WARNING " + W0);
    }

    @Test
    void shouldNotCountAnUnknownWeekAsRecoveryWhenResolving() {
        assertThat(run(2, HealthStatus.STALLED, HealthStatus.HEALTHY, HealthStatus.UNKNOWN_STATUS,
                HealthStatus.HEALTHY, HealthStatus.HEALTHY))
                .containsExactly("0 FIRING CRITICAL " + W0, "4 RESOLVED CRITICAL " + W0);
    }

    @Test
    void shouldRejectAZeroWeekHysteresisWhenConstructed() {
        assertThatThrownBy(() -> new HealthAlerts(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
