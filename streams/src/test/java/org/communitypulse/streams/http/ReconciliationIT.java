package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation on the real broker and registry: platform counts produced as a poller would (no poller needed)
 * against activity events, through the platform counts' repartition topic, two partitions. A gap is found
 * (GAP_OPEN), the next poll still finds it (GAP_NOT_CLOSED, DATA_GAP FIRING), the missing events arrive
 * (COMPLETE, RESOLVED); the dashboard's API answers the same.
 */
class ReconciliationIT {

    @RegisterExtension
    static final RealPlatform PLATFORM = new RealPlatform();

    private static final String GAPPY = "gh-org";
    private static final String WHOLE = "slack-ws";
    private static final LocalDate DAY = LocalDate.of(2026, 1, 5);
    private static final Instant POLL_1 = Instant.parse("2026-01-06T08:00:00Z");
    private static final Instant POLL_2 = Instant.parse("2026-01-06T08:05:00Z");

    private int ids;

    @Test
    void shouldReportTheGapWhileOpenAlertWhenTheNextPollStillSeesItAndClearBothWhenTheEventsArrive(
            @TempDir Path state) throws Exception {
        String prefix = "recon-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (PulseStreamsApp app = DashboardPipeline.start(PLATFORM.kafka(), PLATFORM.registry(), prefix, state, 2);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PLATFORM.kafka().bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer());
             Outputs outputs = new Outputs(app.topics())) {
            app.awaitRunning(Duration.ofSeconds(90));
            int port = app.httpPort().orElseThrow();
            Topics topics = app.topics();

            // The pipeline has 3 of GAPPY's 5 items of DAY (the receiver was down for 2) and both of WHOLE's.
            List<ActivityEvent> seen = new ArrayList<>(posts(GAPPY, SourcePlatform.GITHUB, 3));
            seen.addAll(posts(WHOLE, SourcePlatform.SLACK, 2));
            DashboardPipeline.produce(PLATFORM.kafka(), app, seen);
            // Counted before the platform's counts arrive (what it would be, had the events come long ago).
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                JsonNode daily = DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH + "/" + GAPPY
                        + "/daily?from=" + DAY + "&to=" + DAY);
                assertThat(daily.at("/days/0/threads").asLong() + daily.at("/days/0/replies").asLong()).isEqualTo(3);
            });

            observe(producer, topics, GAPPY, SourcePlatform.GITHUB, 5, POLL_1);
            observe(producer, topics, WHOLE, SourcePlatform.SLACK, 2, POLL_1);
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().untilAsserted(() -> {
                outputs.poll();
                assertThat(outputs.latest(GAPPY)).extracting(Reconciliation::getStatus)
                        .isEqualTo(ReconciliationStatus.GAP_OPEN);
                assertThat(outputs.latest(WHOLE)).extracting(Reconciliation::getStatus)
                        .isEqualTo(ReconciliationStatus.COMPLETE);
            });
            Reconciliation open = outputs.latest(GAPPY);
            assertThat(open.getMissing()).isEqualTo(2);
            assertThat(open.getPlatformItems()).isEqualTo(5);
            assertThat(open.getPipelineItems()).isEqualTo(3);
            assertThat(open.getGapSince()).isEqualTo(POLL_1);
            JsonNode whileOpen = DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH + "/" + GAPPY + "/reconciliation");
            assertThat(whileOpen.path("completeUpTo").isNull()).isTrue();
            assertThat(whileOpen.at("/gaps/0/day").asText()).isEqualTo(DAY.toString());
            assertThat(whileOpen.at("/gaps/0/missing").asLong()).isEqualTo(2);
            assertThat(outputs.dataGaps()).as("one poll is not a confirmed gap").isEmpty();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(missingItems(port, GAPPY)).isEqualTo(2.0);
                assertThat(missingItems(port, WHOLE)).isEqualTo(0.0);
            });

            // The next poll still sees 5.
            observe(producer, topics, GAPPY, SourcePlatform.GITHUB, 5, POLL_2);
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().untilAsserted(() -> {
                outputs.poll();
                assertThat(outputs.latest(GAPPY).getStatus()).isEqualTo(ReconciliationStatus.GAP_NOT_CLOSED);
                assertThat(outputs.dataGaps()).extracting(Alert::getState).containsExactly(AlertState.FIRING);
            });
            Alert firing = outputs.dataGaps().get(0);
            assertThat(firing.getCommunityId()).isEqualTo(GAPPY);
            assertThat(firing.getEvidence()).containsEntry("missing." + DAY, "2");
            assertThat(DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH + "/" + GAPPY + "/alerts")
                    .path("alerts").findValuesAsText("condition")).contains(AlertCondition.DATA_GAP.name());

            // The poller's catch-up publishes the 2 missing events: closed without another poll.
            DashboardPipeline.produce(PLATFORM.kafka(), app, posts(GAPPY, SourcePlatform.GITHUB, 2));
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().untilAsserted(() -> {
                outputs.poll();
                assertThat(outputs.latest(GAPPY).getStatus()).isEqualTo(ReconciliationStatus.COMPLETE);
                assertThat(outputs.dataGaps()).extracting(Alert::getState)
                        .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            });
            assertThat(outputs.statuses(GAPPY)).containsExactly(ReconciliationStatus.GAP_OPEN,
                    ReconciliationStatus.GAP_NOT_CLOSED, ReconciliationStatus.COMPLETE);
            assertThat(outputs.dataGaps().get(1).getAlertId()).isEqualTo(firing.getAlertId());
            assertThat(outputs.latest(GAPPY).getCompleteUpTo()).isEqualTo(DAY);
            JsonNode closed = DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH + "/" + GAPPY + "/reconciliation");
            assertThat(closed.path("completeUpTo").asText()).isEqualTo(DAY.toString());
            assertThat(closed.path("gaps")).isEmpty();
            JsonNode summary = DashboardPipeline.summary(DashboardPipeline.json(port, Dashboard.COMMUNITIES_PATH),
                    GAPPY);
            assertThat(summary.at("/reconciliation/missing").asLong()).isZero();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(missingItems(port, GAPPY)).isEqualTo(0.0));
        }
    }

    /** {@code pulse_reconciliation_missing_items{community}} as scraped; NaN when the series is absent. */
    private static double missingItems(int port, String community) throws Exception {
        PrometheusScrape scrape = PrometheusScrape.parse(DashboardPipeline.get(port, PulseHttpServer.METRICS_PATH).body());
        boolean present = scrape.samples().stream().anyMatch(s -> s.name().equals("pulse_reconciliation_missing_items")
                && community.equals(s.labels().get("community")));
        return present ? scrape.sum("pulse_reconciliation_missing_items", Map.of("community", community)) : Double.NaN;
    }

    private List<ActivityEvent> posts(String community, SourcePlatform source, int n) {
        List<ActivityEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = ids++;
            events.add(ActivityEvent.newBuilder().setEventId("e" + id).setCommunityId(community).setSource(source)
                    .setType(i == 0 ? EventType.THREAD_CREATED : EventType.REPLY_CREATED).setActorId("m" + id)
                    .setThreadId(community + "-t").setOccurredAt(DAY.atTime(9, 0).toInstant(ZoneOffset.UTC)
                            .plusSeconds(60L * id)).build());
        }
        return events;
    }

    private static void observe(KafkaProducer<byte[], byte[]> producer, Topics topics, String community,
                                SourcePlatform source, long items, Instant at) throws Exception {
        String topic = topics.platformCounts().name();
        byte[] key = topics.platformCounts().keySerde().serializer().serialize(topic, new CommunityDayKey(community, DAY));
        byte[] value = topics.platformCounts().valueSerde().serializer().serialize(topic, PlatformDayCount.newBuilder()
                .setCommunityId(community).setDay(DAY).setSource(source).setItems(items).setObservedAt(at)
                .setCompleteThrough(at).build());
        producer.send(new ProducerRecord<>(topic, key, value)).get(20, TimeUnit.SECONDS);
    }

    /** What the application wrote to the reconciliation and alerts topics, committed records only. */
    private static final class Outputs implements AutoCloseable {
        private final Topics topics;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<Reconciliation> reconciliations = new ArrayList<>();
        private final List<Alert> alerts = new ArrayList<>();

        Outputs(Topics topics) {
            this.topics = topics;
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PLATFORM.kafka().bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "reconciliation-it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topics.reconciliation().name(), topics.alerts().name()));
        }

        void poll() {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.topic().equals(topics.reconciliation().name())) {
                    reconciliations.add(topics.reconciliation().valueSerde().deserializer()
                            .deserialize(record.topic(), record.value()));
                } else {
                    alerts.add(topics.alerts().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                }
            }
        }

        List<ReconciliationStatus> statuses(String community) {
            return reconciliations.stream().filter(r -> r.getCommunityId().equals(community))
                    .map(Reconciliation::getStatus).toList();
        }

        Reconciliation latest(String community) {
            List<Reconciliation> of = reconciliations.stream().filter(r -> r.getCommunityId().equals(community)).toList();
            return of.isEmpty() ? null : of.get(of.size() - 1);
        }

        List<Alert> dataGaps() {
            return alerts.stream().filter(a -> a.getCondition() == AlertCondition.DATA_GAP).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
