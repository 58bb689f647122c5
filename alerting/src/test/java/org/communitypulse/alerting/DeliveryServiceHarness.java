package org.communitypulse.alerting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What the alert delivery ITs share: one in-process broker per class, topics and a schema-registry scope per
 * test, local receivers and services closed after each test, alerts written in Kafka transactions.
 */
abstract class DeliveryServiceHarness {

    static final int PARTITIONS = 3;

    static EmbeddedKafkaCluster kafka;

    final List<TestReceiver> receivers = new ArrayList<>();
    final List<AlertDeliveryService> services = new ArrayList<>();
    String scope;
    Topics topics;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Topics the test reads besides the alerts topic. */
    List<String> moreTopics(Topics topics) {
        return List.of();
    }

    @BeforeEach
    void topics(TestInfo info) {
        scope = info.getTestMethod().orElseThrow().getName() + "-" + UUID.randomUUID();
        topics = new Topics("it-" + scope + ".", new AvroSerdes(InMemorySchemaRegistryClient.forScope(scope), true));
        List<String> names = new ArrayList<>(List.of(topics.alerts().name()));
        names.addAll(moreTopics(topics));
        kafka.createTopics(PARTITIONS, names.toArray(String[]::new));
    }

    @AfterEach
    void stopAll() {
        services.forEach(AlertDeliveryService::close);
        receivers.forEach(TestReceiver::close);
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    TestReceiver receiver() throws Exception {
        TestReceiver receiver = new TestReceiver();
        receivers.add(receiver);
        return receiver;
    }

    /** A service of this test's topics and consumer groups, with short back-off; {@code settings} win. */
    AlertDeliveryService start(Map<String, Object> settings, Map<String, String> environment) {
        Map<String, Object> props = new HashMap<>();
        props.put(AlertDeliveryConfig.HTTP_PORT_CONFIG, -1);
        props.put(AlertDeliveryConfig.GROUP_ID_PREFIX_CONFIG, "it-" + scope + "-");
        props.put(AlertDeliveryConfig.BACKOFF_INITIAL_MS_CONFIG, 50);
        props.put(AlertDeliveryConfig.BACKOFF_MAX_MS_CONFIG, 400);
        props.putAll(settings);
        AlertDeliveryService service = new AlertDeliveryService(new AlertDeliveryConfig(props), environment, topics,
                kafka.clientConfig()).start();
        services.add(service);
        return service;
    }

    /** Writes {@code alerts} in one transaction, committed or aborted. */
    void produce(List<Alert> alerts, boolean commit) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID());
        try (KafkaProducer<AlertKey, Alert> producer = new KafkaProducer<>(props,
                topics.alerts().keySerde().serializer(), topics.alerts().valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (Alert alert : alerts) {
                producer.send(new ProducerRecord<>(topics.alerts().name(),
                        new AlertKey(alert.getCommunityId(), alert.getCondition()), alert));
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getAlertId() + "/" + a.getState()).toList();
    }
}
