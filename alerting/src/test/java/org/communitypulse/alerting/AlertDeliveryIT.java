package org.communitypulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.alerting.internals.DeadLetters;
import org.communitypulse.alerting.internals.DeliveryMetrics;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.junit.jupiter.api.Test;

/**
 * The delivery service against the in-process broker and local HTTP receivers: every alert delivered once and in
 * order, outages ridden out, permanent refusals dead-lettered, and restarts (clean and crash) in the middle of a
 * batch. Figures are printed with the prefix {@code [alerts-it]}.
 */
class AlertDeliveryIT extends DeliveryServiceHarness {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AlertCondition[] CONDITIONS = {AlertCondition.NO_ACTIVITY, AlertCondition.BELOW_BASELINE,
            AlertCondition.SLOW_FIRST_RESPONSE, AlertCondition.BACKLOG_GROWING};

    @Test
    void shouldDeliverEveryAlertOnceInOrderToEachReceiverWhenReceiversAreUp() throws Exception {
        TestReceiver slack = receiver();
        TestReceiver json = receiver();
        List<Alert> alerts = lifecycles(120);
        produce(alerts, true);
        produce(List.of(alert("aborted", AlertCondition.NO_ACTIVITY, 0)), false);
        AlertDeliveryService service = start(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "chat=slack:" + slack.url() + ",audit=json:env:AUDIT_URL"), Map.of("AUDIT_URL", json.url().toString()));

        await().atMost(60, TimeUnit.SECONDS).until(() -> json.delivered().size() >= alerts.size()
                && slack.delivered().size() >= alerts.size());

        for (TestReceiver receiver : List.of(slack, json)) {
            assertThat(receiver.delivered()).hasSize(alerts.size()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(ids(alerts)).noneMatch(id -> id.startsWith("aborted/"));
            assertInOrderPerKey(receiver.delivered(), alerts);
        }
        JsonNode generic = JSON.readTree(json.requests().get(0).body());
        assertThat(generic.get("deliveryId").asText()).isEqualTo(json.requests().get(0).deliveryId());
        assertThat(generic.has("evidence")).isTrue();
        JsonNode chat = JSON.readTree(slack.requests().get(0).body());
        assertThat(chat.get("text").asText()).isNotBlank();
        assertThat(chat.get("attachments").get(0).get("color").asText()).startsWith("#");

        // Each key's last record decides its gauge: FIRING for odd-length lifecycles, RESOLVED otherwise.
        Map<String, Alert> last = new LinkedHashMap<>();
        alerts.forEach(a -> last.put(a.getCommunityId() + "/" + a.getCondition(), a));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> last.values().forEach(a ->
                assertThat(service.metrics().firingValue(a.getCommunityId(), a.getCondition().name()))
                        .isEqualTo(a.getState() == AlertState.FIRING ? 1 : 0)));
        assertThat(service.metrics().firingValue("aborted", "NO_ACTIVITY")).isEqualTo(-1);
        assertThat(service.metrics().delivered("receiver", "chat")).isEqualTo(alerts.size());
        String scrape = scrape(service);
        assertThat(scrape).contains("pulse_alerts_firing{community=\"c0\",condition=\"NO_ACTIVITY\"}")
                .contains("pulse_alerts_delivery_latency_seconds_count{receiver=\"audit\",state=\"FIRING\"}")
                .doesNotContain("pulse_alerts_delivered_total")
                .doesNotContain("s3cr3t-token");
        report("in order", service, "chat", slack);
    }

    @Test
    void shouldDeliverEverythingWithoutBlockingOthersWhenAReceiverAnswers503ForAWhile() throws Exception {
        TestReceiver flaky = receiver();
        TestReceiver steady = receiver();
        AtomicBoolean down = new AtomicBoolean(true);
        flaky.answer((n, id) -> down.get() ? 503 : 200);
        List<Alert> alerts = lifecycles(40);
        produce(alerts, true);
        AlertDeliveryService service = start(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "flaky=json:" + flaky.url() + ",steady=slack:" + steady.url()), Map.of());

        // The steady receiver gets everything while the flaky one is still down: queues are independent.
        await().atMost(60, TimeUnit.SECONDS).until(() -> steady.delivered().size() == alerts.size());
        await().atMost(30, TimeUnit.SECONDS).until(() -> flaky.requests().size() >= 6);
        assertThat(flaky.delivered()).isEmpty();
        assertThat(service.metrics().registry().get(DeliveryMetrics.RETRYING).tag("receiver", "flaky").gauge().value())
                .isEqualTo(1.0);
        // Every failed attempt was for the same alert (the first one polled): it is retried, never skipped.
        assertThat(flaky.requests()).extracting(TestReceiver.Request::deliveryId).containsOnly(
                flaky.requests().get(0).deliveryId());
        down.set(false);

        await().atMost(60, TimeUnit.SECONDS).until(() -> flaky.delivered().size() >= alerts.size());
        assertThat(flaky.delivered()).hasSize(alerts.size()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids(alerts));
        assertInOrderPerKey(flaky.delivered(), alerts);
        long failedAttempts = flaky.requests().stream().filter(r -> r.status() == 503).count();
        assertThat(service.metrics().count(DeliveryMetrics.RETRIED, "receiver", "flaky", "reason", "http_503"))
                .isEqualTo(failedAttempts);
        assertThat(service.metrics().count(DeliveryMetrics.RETRIED, "receiver", "steady")).isZero();
        report("503 outage (" + failedAttempts + " failed attempts)", service, "flaky", flaky);
    }

    @Test
    void shouldDeadLetterAndMoveOnWhenAReceiverRefusesForGoodOrARecordIsUnreadable() throws Exception {
        TestReceiver picky = receiver();
        List<Alert> alerts = lifecycles(12);
        String refused = ids(alerts).get(3);
        picky.answer((n, id) -> id.equals(refused) ? 400 : 200);
        produce(alerts.subList(0, 6), true);
        produceRaw("not avro at all".getBytes());
        produce(alerts.subList(6, 12), true);
        AlertDeliveryService service = start(Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG,
                "picky=json:" + picky.url()), Map.of());

        await().atMost(60, TimeUnit.SECONDS).until(() -> picky.delivered().size() >= alerts.size() - 1);
        List<ConsumerRecord<byte[], byte[]>> dead = readAll(AlertDeliveryService.deadLetterTopic(topics), 2);
        assertThat(dead).extracting(r -> DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON))
                .containsExactlyInAnyOrder("HTTP_400", "DESERIALIZATION_FAILED");
        assertThat(dead).allSatisfy(r -> {
            assertThat(DeadLetterHeaders.get(r.headers(), DeadLetters.RECEIVER)).isEqualTo("picky");
            assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topics.alerts().name());
        });
        assertThat(picky.delivered()).hasSize(alerts.size() - 1).doesNotContain(refused).doesNotHaveDuplicates();
        // Refused once, never retried.
        assertThat(picky.requests()).filteredOn(r -> r.deliveryId().equals(refused)).hasSize(1);
        assertThat(service.metrics().count(DeliveryMetrics.FAILED, "receiver", "picky", "reason", "http_400")).isEqualTo(1);
        assertThat(service.metrics().count(DeliveryMetrics.FAILED, "receiver", "picky", "reason", "deserialization_failed"))
                .isEqualTo(1);
        assertThat(service.metrics().count(DeliveryMetrics.UNREADABLE)).isEqualTo(1);
    }

    @Test
    void shouldDeliverEachAlertExactlyOnceWhenStoppedCleanlyMidBatchAndRestarted() throws Exception {
        TestReceiver receiver = receiver();
        List<Alert> alerts = lifecycles(200);
        produce(alerts, true);
        Map<String, Object> settings = Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, "ops=json:" + receiver.url());
        AlertDeliveryService first = start(settings, Map.of());
        // Stop while request 70 is in flight, in the middle of a poll batch: it is answered, committed, and the last.
        AtomicReference<Thread> closer = new AtomicReference<>();
        receiver.answer((n, id) -> {
            if (n == 70) {
                Thread thread = new Thread(first::close, "it-closer");
                thread.start();
                closer.set(thread);
            }
            return 200;
        });
        await().atMost(60, TimeUnit.SECONDS).until(() -> closer.get() != null);
        closer.get().join(TimeUnit.SECONDS.toMillis(30));
        int beforeRestart = receiver.delivered().size();
        assertThat(beforeRestart).isEqualTo(70);
        receiver.answer((n, id) -> 200);

        AlertDeliveryService second = start(settings, Map.of());
        await().atMost(60, TimeUnit.SECONDS).until(() -> receiver.delivered().size() >= alerts.size());

        assertThat(receiver.duplicates()).isEmpty();
        assertThat(receiver.delivered()).hasSize(alerts.size()).containsExactlyInAnyOrderElementsOf(ids(alerts));
        assertInOrderPerKey(receiver.delivered(), alerts);
        report("clean stop after " + beforeRestart + " of " + alerts.size() + ", restart", second, "ops", receiver);
    }

    @Test
    void shouldResendOnlyTheAlertInFlightWhenCrashedBetweenAcknowledgementAndCommit() throws Exception {
        TestReceiver receiver = receiver();
        List<Alert> alerts = lifecycles(200);
        produce(alerts, true);
        Map<String, Object> settings = Map.of(AlertDeliveryConfig.RECEIVERS_CONFIG, "ops=slack:" + receiver.url());
        AlertDeliveryService first = start(settings, Map.of());
        AtomicReference<String> inFlight = new AtomicReference<>();
        receiver.answer((n, id) -> {
            if (n == 90) {
                // The worst moment: the receiver has the alert and says so, the commit never happens.
                inFlight.set(id);
                first.beginCrash();
            }
            return 200;
        });
        await().atMost(60, TimeUnit.SECONDS).until(() -> receiver.requests().size() >= 90);
        first.crash();
        assertThat(receiver.delivered()).hasSize(90);

        receiver.answer((n, id) -> 200);
        AlertDeliveryService second = start(settings, Map.of());
        await().atMost(60, TimeUnit.SECONDS).until(() -> receiver.delivered().size() >= alerts.size() + 1);

        // Exactly one re-send, of the alert in the window, with the same delivery id (receivers deduplicate by it).
        assertThat(receiver.duplicates()).containsExactly(Map.entry(inFlight.get(), 2));
        assertThat(receiver.delivered()).hasSize(alerts.size() + 1);
        assertThat(receiver.delivered().stream().distinct().toList())
                .containsExactlyInAnyOrderElementsOf(ids(alerts));
        assertInOrderPerKey(receiver.delivered().stream().distinct().toList(), alerts);
        report("crash between 2xx and commit at request 90, restart", second, "ops", receiver);
    }

    // --- helpers ---

    @Override
    AlertDeliveryService start(Map<String, Object> settings, Map<String, String> environment) {
        Map<String, Object> props = new HashMap<>();
        props.put(AlertDeliveryConfig.HTTP_PORT_CONFIG, 0);
        props.put(AlertDeliveryConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.putAll(settings);
        return super.start(props, environment);
    }

    /** {@code n} records over 40 keys (10 communities x 4 conditions), each key alternating FIRING, RESOLVED. */
    private static List<Alert> lifecycles(int n) {
        List<Alert> alerts = new ArrayList<>();
        Map<String, Integer> steps = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String community = "c" + (i % 10);
            AlertCondition condition = CONDITIONS[(i / 10) % CONDITIONS.length];
            int step = steps.merge(community + condition, 1, Integer::sum) - 1;
            alerts.add(alert(community, condition, step));
        }
        return alerts;
    }

    private static Alert alert(String community, AlertCondition condition, int step) {
        LocalDate since = LocalDate.of(2026, 1, 5).plusDays(7L * (step / 2));
        AlertState state = step % 2 == 0 ? AlertState.FIRING : AlertState.RESOLVED;
        return Alert.newBuilder().setAlertId(community + "/" + condition + "/" + since).setCommunityId(community)
                .setCondition(condition).setState(state)
                .setSeverity(condition == AlertCondition.NO_ACTIVITY ? AlertSeverity.CRITICAL : AlertSeverity.WARNING)
                .setSince(since).setDay(since.plusDays(step % 2 == 0 ? 0 : 3))
                .setSummary(community + " " + condition + " " + state).setEvidence(Map.of("step", Integer.toString(step)))
                .build();
    }

    /** Alerts of one community and condition share a partition: their deliveries keep the produced order. */
    private static void assertInOrderPerKey(List<String> delivered, List<Alert> alerts) {
        Map<String, List<String>> expected = new HashMap<>();
        alerts.forEach(a -> expected.computeIfAbsent(a.getCommunityId() + "/" + a.getCondition(), k -> new ArrayList<>())
                .add(a.getAlertId() + "/" + a.getState()));
        Map<String, List<String>> actual = new HashMap<>();
        for (String id : delivered) {
            String[] parts = id.split("/");
            actual.computeIfAbsent(parts[0] + "/" + parts[1], k -> new ArrayList<>()).add(id);
        }
        assertThat(actual).isEqualTo(expected);
    }


    private void produceRaw(byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.alerts().name(), 0, null, value)).get();
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }

    private static String scrape(AlertDeliveryService service) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + service.port() + "/metrics"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void report(String scenario, AlertDeliveryService service, String name, TestReceiver receiver) {
        List<Timer> latency = List.copyOf(service.metrics().registry().find(DeliveryMetrics.LATENCY)
                .tag("receiver", name).timers());
        long delivered = service.metrics().delivered("receiver", name);
        System.out.printf("[alerts-it] %s: receiver saw %d requests, %d acknowledged, %d distinct, %d duplicate(s) %s;"
                        + " this instance: delivered=%d retried=%.0f failed=%.0f latency mean=%.1f ms max=%.1f ms%n",
                scenario, receiver.requests().size(), receiver.delivered().size(),
                receiver.delivered().stream().distinct().count(), receiver.duplicates().values().stream()
                        .mapToInt(c -> c - 1).sum(), receiver.duplicates().keySet(),
                delivered,
                service.metrics().count(DeliveryMetrics.RETRIED, "receiver", name),
                service.metrics().count(DeliveryMetrics.FAILED, "receiver", name),
                delivered == 0 ? 0 : latency.stream().mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum() / delivered,
                latency.stream().mapToDouble(t -> t.max(TimeUnit.MILLISECONDS)).max().orElse(0));
    }
}
