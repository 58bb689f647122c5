package org.communitypulse.schemas.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusMetersTest {

    private final PrometheusMeters meters = new PrometheusMeters();

    @AfterEach
    void close() {
        meters.close();
    }

    @Test
    void shouldCountPerSeriesAndOverAllSeries() {
        meters.increment("pulse.test.rejects", "Refused requests", "platform", "github", "reason", "signature");
        meters.increment("pulse.test.rejects", "Refused requests", "platform", "github", "reason", "signature");
        meters.increment("pulse.test.rejects", "Refused requests", "platform", "slack", "reason", "too_large");

        assertThat(meters.count("pulse.test.rejects")).isEqualTo(3);
        assertThat(meters.count("pulse.test.rejects", "platform", "github")).isEqualTo(2);
        assertThat(meters.count("pulse.test.rejects", "reason", "too_large")).isEqualTo(1);
        assertThat(meters.count("pulse.test.unknown")).isZero();
    }

    @Test
    void shouldScrapeADescribedLatencyHistogramFromOneMillisecondToTheLongest() {
        meters.latency("pulse.test.latency", "Request to answer", Duration.ofSeconds(30), "outcome", "accepted")
                .record(Duration.ofMillis(20));
        meters.latency("pulse.test.latency", "Request to answer", Duration.ofSeconds(30), "outcome", "accepted")
                .record(Duration.ofMillis(40));

        String scrape = meters.registry().scrape();

        assertThat(meters.timed("pulse.test.latency", "outcome", "accepted")).isEqualTo(2);
        assertThat(scrape).contains("# HELP pulse_test_latency_seconds Request to answer")
                .contains("pulse_test_latency_seconds_count{outcome=\"accepted\"} 2")
                .contains("pulse_test_latency_seconds_bucket{outcome=\"accepted\",le=\"0.001\"} 0")
                // The longest expected value is the last bucket before +Inf.
                .contains("pulse_test_latency_seconds_bucket{outcome=\"accepted\",le=\"30.0\"} 2\n"
                        + "pulse_test_latency_seconds_bucket{outcome=\"accepted\",le=\"+Inf\"} 2");
    }
}
