package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Streams application on the real broker and registry serves its intake counters at /metrics,
 * through Micrometer's Kafka Streams binder, with the values the records produced imply.
 */
class MetricsEndpointIT {

    /** The process-wide intake counter (MicrometerPipelineObserver), labels application, outcome and reason. */
    static final String INTAKE = "pulse_intake_events_total";
    /** What the binder would name the intake's per-thread Streams sensors, kept out of /metrics (StreamsMeters). */
    static final Set<String> INTAKE_SENSORS = Set.of("kafka_stream_pulse_accepted_total",
            "kafka_stream_pulse_duplicates_total", "kafka_stream_pulse_late_total", "kafka_stream_pulse_accepted_rate");

    @RegisterExtension
    static final RealPlatform PLATFORM = new RealPlatform();

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void shouldExposeIntakeCountersWithTheirValuesWhenGoodAndBadRecordsArrive(@TempDir Path state) throws Exception {
        String prefix = "http-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        try (PulseStreamsApp app = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, state, 1)) {
            int port = app.httpPort().orElseThrow();
            assertThat(get(port, PulseHttpServer.HEALTH_PATH).statusCode()).isEqualTo(200);
            app.awaitRunning(Duration.ofSeconds(90));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(get(port, PulseHttpServer.READY_PATH).statusCode()).isEqualTo(200));

            String topic = app.topics().activity().name();
            Instant at = Instant.parse("2026-01-05T10:00:00Z");
            ActivityEvent first = TestEvents.event("e1", "c1", EventType.THREAD_CREATED, "a1", at);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PLATFORM.kafka().bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                send(producer, topic, "c1", serialize(app, first));
                send(producer, topic, "c1", serialize(app,
                        TestEvents.event("e2", "c1", EventType.REPLY_CREATED, "a2", at.plusSeconds(60))));
                send(producer, topic, "c1", serialize(app,
                        TestEvents.event("e3", "c1", EventType.REPLY_CREATED, "a3", at.plusSeconds(120))));
                send(producer, topic, "c1", serialize(app, first));
                send(producer, topic, "c1", null);
                send(producer, topic, "c1", new byte[] {7, 0, 0, 0, 1, 2});
                send(producer, topic, "c1", new byte[] {0, 0});
                send(producer, topic, "c2", serialize(app,
                        TestEvents.event("e4", "c1", EventType.REPLY_CREATED, "a4", at.plusSeconds(180))));
            }

            // The binder looks for new Kafka metrics every few seconds; the values are read at scrape time.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                PrometheusScrape scrape = scrape(port);
                assertThat(scrape.sum(INTAKE, intake(appId, "accepted", "none"))).as("accepted").isEqualTo(3.0);
                assertThat(scrape.sum(INTAKE, intake(appId, "duplicate", "none"))).as("duplicate").isEqualTo(1.0);
                assertThat(scrape.sum(INTAKE, intake(appId, "dead_lettered", "NULL_VALUE"))).isEqualTo(1.0);
                assertThat(scrape.sum(INTAKE, intake(appId, "dead_lettered", "DESERIALIZATION_FAILED"))).isEqualTo(2.0);
                assertThat(scrape.sum(INTAKE, intake(appId, "dead_lettered", "KEY_MISMATCH"))).isEqualTo(1.0);
                // Every reason's series exists from the start, at zero until it happens.
                assertThat(scrape.sum(INTAKE, intake(appId, "dead_lettered", "MISSING_FIELD"))).isEqualTo(0.0);
                assertThat(scrape.sum(INTAKE, Map.of("outcome", "dead_lettered"))).as("all dead letters").isEqualTo(4.0);
                assertThat(scrape.sum(INTAKE, intake(appId, "late", "none"))).isEqualTo(0.0);
                assertThat(scrape.sum(INTAKE)).as("every record once").isEqualTo(8.0);
                // The pipeline's own meters: accepted events by type and source (TestEvents: GENERATOR) ...
                assertThat(scrape.sum("pulse_events_total", Map.of("type", "THREAD_CREATED", "source", "GENERATOR")))
                        .isEqualTo(1.0);
                assertThat(scrape.sum("pulse_events_total", Map.of("type", "REPLY_CREATED"))).isEqualTo(2.0);
                // ... and every counted event measured once from its time to the emission of its metrics.
                assertThat(scrape.sum("pulse_event_to_metric_seconds_count")).isEqualTo(3.0);
                assertThat(scrape.sum("pulse_event_to_metric_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(3.0);
            });
            String body = get(port, PulseHttpServer.METRICS_PATH).body();
            // Kept as a test artifact: the metric names the Grafana dashboard and alert rules use.
            Files.writeString(Path.of("target", "MetricsEndpointIT-scrape.prom"), body);
            PrometheusScrape scrape = PrometheusScrape.parse(body);
            // One intake counter family: the per-thread Streams sensors of the same counts are not exported ...
            assertThat(scrape.samples()).extracting(PrometheusScrape.Sample::name)
                    .doesNotContainAnyElementsOf(INTAKE_SENSORS);
            assertThat(scrape.samples()).filteredOn(s -> s.name().startsWith("kafka_stream_pulse_dead_lettered"))
                    .allSatisfy(s -> assertThat(s.labels().get("pulse_id")).doesNotStartWith("intake"));
            // ... while the other families' custom sensors (roles, identities) still are, once the binder's next
            // look for new Kafka metrics (every KAFKA_METRICS_REFRESH) has seen their processors' sensors.
            await().atMost(StreamsMeters.KAFKA_METRICS_REFRESH.multipliedBy(6)).untilAsserted(() -> {
                PrometheusScrape again = PrometheusScrape.parse(get(port, PulseHttpServer.METRICS_PATH).body());
                assertThat(again.sum("kafka_stream_pulse_applied_total")).isGreaterThanOrEqualTo(0.0);
                assertThat(again.sum("kafka_stream_pulse_links_total")).isGreaterThanOrEqualTo(0.0);
            });
            // Streams' own metrics and the JVM's come through the same endpoint.
            assertThat(scrape.sum("kafka_stream_thread_process_total")).isGreaterThanOrEqualTo(8.0);
            assertThat(scrape.sum("jvm_memory_used_bytes")).isPositive();
            // Every dashboard query, labels included, is checked against every service by cli's DashboardQueriesIT.
        }
    }

    private static Map<String, String> intake(String application, String outcome, String reason) {
        return Map.of("application", application, "outcome", outcome, "reason", reason);
    }

    private static byte[] serialize(PulseStreamsApp app, ActivityEvent event) {
        return app.topics().activity().valueSerde().serializer().serialize(app.topics().activity().name(), event);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(20, TimeUnit.SECONDS);
    }

    private PrometheusScrape scrape(int port) throws Exception {
        HttpResponse<String> response = get(port, PulseHttpServer.METRICS_PATH);
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusScrape.parse(response.body());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
