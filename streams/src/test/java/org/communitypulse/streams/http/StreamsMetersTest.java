package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Which meters of the Kafka Streams binder StreamsMeters keeps out of /metrics. */
class StreamsMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A meter as the binder names one Streams metric: group stream-pulse-metrics, tag pulse-id. */
    private Meter.Id binderId(String name, String entity) {
        return Counter.builder(name).tag("pulse.id", entity).tag("thread.id", "t-1").register(registry).getId();
    }

    @Test
    void shouldDropTheIntakeSensorsWhenTheProcessWideCounterCarriesTheirCounts() {
        assertThat(StreamsMeters.isIntakeSensor(binderId("kafka.stream.pulse.accepted.total", "intake"))).isTrue();
        assertThat(StreamsMeters.isIntakeSensor(binderId("kafka.stream.pulse.late.rate", "intake"))).isTrue();
        assertThat(StreamsMeters.isIntakeSensor(binderId("kafka.stream.pulse.dead.lettered.total",
                "intake.NULL_VALUE"))).isTrue();
    }

    @Test
    void shouldKeepOtherFamiliesSensorsAndStreamsOwnMetricsWhenTheyShareNames() {
        assertThat(StreamsMeters.isIntakeSensor(binderId("kafka.stream.pulse.dead.lettered.total",
                "roles.UNKNOWN_MEMBER"))).isFalse();
        assertThat(StreamsMeters.isIntakeSensor(binderId("kafka.stream.pulse.links.total", "identities"))).isFalse();
        assertThat(StreamsMeters.isIntakeSensor(binderId("kafka.stream.pulse.applied.total", "intakes"))).isFalse();
        assertThat(StreamsMeters.isIntakeSensor(
                Counter.builder("kafka.stream.thread.process.total").register(registry).getId())).isFalse();
        assertThat(StreamsMeters.isIntakeSensor(
                Counter.builder("pulse.intake.events").tag("outcome", "accepted").register(registry).getId())).isFalse();
    }
}
