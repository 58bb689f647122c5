package org.communitypulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Test;

/** The reachability check, without a broker: a port where nothing listens. */
class KafkaEventSinkTest {

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Topic<String, ActivityEvent> topic() {
        // The value serde is never reached here: the check fails before any send.
        Serde<ActivityEvent> unused = Serdes.serdeFrom((t, e) -> new byte[0], (t, b) -> null);
        return new Topic<>("pulse.activity", Serdes.String(), unused);
    }

    @Test
    void shouldFailClearlyAndQuicklyWhenNothingListens() throws IOException {
        String bootstrap = "localhost:" + freePort();
        long start = System.nanoTime();
        assertThatThrownBy(() -> new KafkaEventSink(bootstrap, topic(),
                Map.of(PulseProducerConfig.REACHABILITY_TIMEOUT_MS_CONFIG, 2000)))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("Cannot reach Kafka at " + bootstrap + " within 2 s: ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldFailClearlyWhenAddressCannotBeResolved() {
        assertThatThrownBy(() -> new KafkaEventSink("no-such-host.invalid:9092", topic(),
                Map.of(PulseProducerConfig.REACHABILITY_TIMEOUT_MS_CONFIG, 2000)))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("Cannot reach Kafka at no-such-host.invalid:9092 within 2 s: ");
    }
}
