package org.communitypulse.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.communitypulse.alerting.internals.DeliveryMetrics;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.junit.jupiter.api.Test;

/**
 * Owner routing end to end: the in-process broker, role records on {@code members.roles}, alerts written in
 * transactions, and local HTTP receivers. Figures are printed with the prefix {@code [routing-it]}.
 */
class OwnerRoutingIT extends DeliveryServiceHarness {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    List<String> moreTopics(Topics topics) {
        return List.of(topics.memberRoles().name());
    }

    @Test
    void shouldSendAlertsToTheHolderChannelOrToTheDefaultReceiverFlaggedWhenTheRolesAreVacant() throws Exception {
        TestReceiver owner = receiver();
        TestReceiver fallback = receiver();
        // Community A: ann is Community & Communications Manager (channel: receiver 1); dora is Sponsor without a
        // channel. Community B: carl holds no role (only the basic level), so every owner role is vacant.
        roles("A", "ann", List.of("community-manager"), "basic");
        roles("A", "dora", List.of("sponsor"), "basic");
        roles("B", "carl", List.of(), "basic");
        List<Alert> alertsA = lifecycle("A", 6);
        List<Alert> alertsB = lifecycle("B", 4);
        produce(interleave(alertsA, alertsB));
        AlertDeliveryService service = start(Map.of(
                AlertDeliveryConfig.RECEIVERS_CONFIG, "ann-chat=json:env:ANN_URL,fallback=json:" + fallback.url(),
                AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, "ann=ann-chat",
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "fallback"), Map.of("ANN_URL", owner.url().toString()));

        await().atMost(60, TimeUnit.SECONDS).until(() -> owner.delivered().size() >= alertsA.size()
                && fallback.delivered().size() >= alertsB.size());
        // Nothing else trickles in afterwards: the routed topic holds each alert once.
        assertThat(countRecords(AlertDeliveryService.routedTopic(topics), alertsA.size() + alertsB.size()))
                .isEqualTo(alertsA.size() + alertsB.size());

        assertThat(owner.delivered()).containsExactlyInAnyOrderElementsOf(ids(alertsA)).doesNotHaveDuplicates();
        assertThat(fallback.delivered()).containsExactlyInAnyOrderElementsOf(ids(alertsB)).doesNotHaveDuplicates();
        for (TestReceiver.Request request : owner.requests()) {
            JsonNode routing = JSON.readTree(request.body()).get("routing");
            assertThat(routing.get("unowned").asBoolean()).isFalse();
            assertThat(routing.get("role").asText()).isEqualTo("community-manager");
            assertThat(routing.get("owners").toString()).isEqualTo("[\"ann\"]");
        }
        for (TestReceiver.Request request : fallback.requests()) {
            JsonNode routing = JSON.readTree(request.body()).get("routing");
            assertThat(routing.get("unowned").asBoolean()).isTrue();
            assertThat(routing.get("reason").asText()).isEqualTo("vacant");
            assertThat(routing.get("vacantRoles").toString())
                    .isEqualTo("[\"community-manager\",\"account-manager\",\"sponsor\"]");
            assertThat(routing.get("note").asText()).startsWith("UNOWNED (vacant)");
        }
        assertThat(service.metrics().count(DeliveryMetrics.UNOWNED, "community", "B", "reason", "vacant"))
                .isEqualTo(alertsB.size());
        assertThat(service.metrics().count(DeliveryMetrics.UNOWNED, "community", "A")).isZero();
        System.out.printf("[routing-it] owner receiver: %d requests, %d distinct; default receiver: %d requests, "
                        + "%d distinct; unowned_total{B}=%.0f%n", owner.requests().size(),
                owner.delivered().stream().distinct().count(), fallback.requests().size(),
                fallback.delivered().stream().distinct().count(),
                service.metrics().count(DeliveryMetrics.UNOWNED, "community", "B"));
    }

    @Test
    void shouldSendLaterAlertsToTheNewHolderAfterAHandoverAndDeliverNothingTwiceAcrossARestart() throws Exception {
        TestReceiver annChat = receiver();
        TestReceiver bobChat = receiver();
        TestReceiver fallback = receiver();
        TestReceiver audit = receiver();
        Map<String, Object> settings = Map.of(
                AlertDeliveryConfig.RECEIVERS_CONFIG, "ann-chat=json:" + annChat.url() + ",bob-chat=slack:"
                        + bobChat.url() + ",fallback=json:" + fallback.url() + ",audit=json:" + audit.url(),
                AlertDeliveryConfig.ROUTING_OWNERS_CONFIG, "A/ann=ann-chat,bob=bob-chat",
                AlertDeliveryConfig.ROUTING_DEFAULT_RECEIVER_CONFIG, "fallback");
        roles("A", "ann", List.of("community-manager"), "basic");
        List<Alert> all = lifecycle("A", 30);
        produce(all.subList(0, 10));
        AlertDeliveryService first = start(settings, Map.of());
        await().atMost(60, TimeUnit.SECONDS).until(() -> annChat.delivered().size() >= 10);

        // Handover: ann leaves the role, bob (an Account Manager by level) takes it.
        roles("A", "ann", List.of(), "basic");
        roles("A", "bob", List.of("community-manager"), "account-manager");
        produce(all.subList(10, 20));
        await().atMost(60, TimeUnit.SECONDS).until(() -> bobChat.delivered().size() >= 10);
        first.close();

        AlertDeliveryService second = start(settings, Map.of());
        produce(all.subList(20, 30));
        await().atMost(60, TimeUnit.SECONDS).until(() -> bobChat.delivered().size() >= 20
                && audit.delivered().size() >= 30);
        assertThat(countRecords(AlertDeliveryService.routedTopic(topics), 30)).isEqualTo(30);

        // Two conditions, so two keys and possibly two partitions: order holds per key only.
        assertThat(annChat.delivered()).containsExactlyInAnyOrderElementsOf(ids(all.subList(0, 10)))
                .doesNotHaveDuplicates();
        assertThat(bobChat.delivered()).containsExactlyInAnyOrderElementsOf(ids(all.subList(10, 30)))
                .doesNotHaveDuplicates();
        assertThat(fallback.requests()).isEmpty();
        // A receiver outside the routing still gets every alert, once.
        assertThat(audit.delivered()).containsExactlyInAnyOrderElementsOf(ids(all)).doesNotHaveDuplicates();
        assertThat(JSON.readTree(audit.requests().get(0).body()).has("routing")).isFalse();
        assertThat(JSON.readTree(bobChat.requests().get(0).body()).toString()).contains("Owner: community-manager bob");
        assertThat(second.metrics().count(DeliveryMetrics.UNOWNED)).isZero();
        System.out.printf("[routing-it] handover + restart: ann %d, bob %d (distinct %d), default %d, audit %d%n",
                annChat.requests().size(), bobChat.requests().size(),
                bobChat.delivered().stream().distinct().count(), fallback.requests().size(), audit.requests().size());
    }

    /** What the roles family writes for a member: their team roles and level now. */
    private void roles(String community, String member, List<String> held, String level) throws Exception {
        MemberRoles value = MemberRoles.newBuilder().setCommunityId(community).setMemberId(member).setRoles(held)
                .setLevel(level).setAccounts(List.of()).setValidTrainings(List.of()).setAcknowledgedPolicies(List.of())
                .setStaff(!held.isEmpty()).setAsOf(Instant.parse("2026-01-05T00:00:00Z")).build();
        try (KafkaProducer<MemberKey, MemberRoles> producer = new KafkaProducer<>(kafka.clientConfig(),
                topics.memberRoles().keySerde().serializer(), topics.memberRoles().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topics.memberRoles().name(), new MemberKey(community, member), value))
                    .get();
        }
    }

    /** {@code n} lifecycle steps of one community, over two conditions (FIRING, RESOLVED, FIRING, ...). */
    private static List<Alert> lifecycle(String community, int n) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AlertCondition condition = i % 2 == 0 ? AlertCondition.NO_ACTIVITY : AlertCondition.BACKLOG_GROWING;
            int step = i / 2;
            LocalDate since = LocalDate.of(2026, 1, 5).plusDays(7L * (step / 2));
            AlertState state = step % 2 == 0 ? AlertState.FIRING : AlertState.RESOLVED;
            alerts.add(Alert.newBuilder().setAlertId(community + "/" + condition + "/" + since)
                    .setCommunityId(community).setCondition(condition).setState(state)
                    .setSeverity(AlertSeverity.WARNING).setSince(since).setDay(since.plusDays(step % 2 * 3))
                    .setSummary(community + " " + condition + " " + state).setEvidence(Map.of()).build());
        }
        return alerts;
    }

    private static List<Alert> interleave(List<Alert> a, List<Alert> b) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                out.add(a.get(i));
            }
            if (i < b.size()) {
                out.add(b.get(i));
            }
        }
        return out;
    }

    private void produce(List<Alert> alerts) {
        produce(alerts, true);
    }

    /** Committed records in {@code topic}, read until {@code expected} arrived and then 2 s more of silence. */
    private int countRecords(String topic, int expected) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int[] count = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                count[0] += consumer.poll(Duration.ofMillis(200)).count();
                return count[0] >= expected;
            });
            long quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < quietUntil) {
                count[0] += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count[0];
    }
}
