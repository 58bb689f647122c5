package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.cli.PulseCommand;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.schemas.IdentityAttributes;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erasure that finishes the job, on a real broker: a person present in two communities (on two different
 * partitions) is erased with one {@code pulse identity erase}; then every topic the pipeline has, its own
 * ({@link Topics#names()}) and Streams' internal ones (changelogs), and every state store are read, and nothing of
 * the person remains (ids, usernames, display names all carry the token {@value #TOKEN}) except the erasure's own
 * markers: tombstones, the requests on the erasures topic, and the erased markers of the identity and roles stores
 * (a key naming the identity, a value saying only "erased").
 *
 * <p>Time is scaled down, the mechanism is the production one: the application creates its topics with
 * {@code topic.max.compaction.lag.ms} = {@value #LAG_MS} and {@code topic.retention.ms} = {@value #RETENTION_MS},
 * and this broker runs its log cleaner and retention check every half second. Kafka rolls a segment (and so can
 * clean or delete it) only on a write; the test writes one record to each partition that still holds the person,
 * standing for the traffic of everybody else.
 */
class ErasureIT {

    private static final String TOKEN = "zq7";
    private static final long LAG_MS = 3_000;
    private static final long RETENTION_MS = 40_000;
    private static final Duration WAIT = Duration.ofMinutes(2);

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafkaCluster.builder()
                .brokerProperty("log.cleaner.backoff.ms", "250")
                .brokerProperty("log.retention.check.interval.ms", "500")
                .brokerProperty("log.segment.delete.delay.ms", "0")
                .brokerProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024))
                .stopOnJvmExit(false)
                .start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldLeaveNothingOfAnErasedPersonInAnyTopicOrStoreWhenTheyWereInTwoCommunities(@TempDir Path tmp)
            throws Exception {
        String prefix = "erasure-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        List<String> communities = onDifferentPartitions(2);
        String acme = communities.get(0);
        String beta = communities.get(1);
        PulseStreamsConfig config = config(prefix, appId, tmp.resolve("state"));
        try (PulseStreamsApp app = new PulseStreamsApp(config)) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            Topics topics = app.topics();
            assertBounds(topics);

            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), topics.activity(), Map.of())) {
                history(acme, beta).forEach(sink::send);
                sink.flush();
            }
            // Processed: her member level exists in both communities.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(latestKeys(topics.memberLevels().name()))
                            .anyMatch(k -> k.contains(acme) && k.contains("d-" + TOKEN))
                            .anyMatch(k -> k.contains(beta) && k.contains("d-" + TOKEN))
                            // One member of two identities in the first community: no level of its own for g-.
                            .noneMatch(k -> k.contains("g-" + TOKEN)));
            assertThat(findings(app, topics, appId)).as("before the erasure she is everywhere").isNotEmpty();
            // The topics that are never compacted, as they stand once the pipeline is quiet: what the erasure adds
            // to them must not name her (only retention would remove it).
            List<String> appendOnly = topics.names().stream().filter(n -> !topics.metricNames().contains(n)
                    && !n.equals(topics.activity().name()) && !n.equals(topics.erasures().name())).toList();
            java.util.concurrent.atomic.AtomicReference<Map<TopicPartition, Long>> quiet =
                    new java.util.concurrent.atomic.AtomicReference<>(Map.of());
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(endOffsets(appendOnly)).isEqualTo(quiet.getAndSet(endOffsets(appendOnly))));
            Map<TopicPartition, Long> beforeErasure = quiet.get();

            assertThat(PulseCommand.commandLine().execute("identity", "erase", "d-" + TOKEN,
                    "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url",
                    SharedPlatform.registry().ccompatUrl(), "--topic-prefix", prefix)).isZero();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(latestKeys(topics.memberLevels().name())).noneMatch(k -> k.contains(TOKEN)));

            assertThat(scanFrom(beforeErasure)).as("records the erasure added to append-only topics").isEmpty();

            // Everybody else goes on: their events keep the stores' changelogs and the metric topics written.
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), topics.activity(), Map.of())) {
                for (String c : communities) {
                    sink.send(event(c, "later-" + c, EventType.THREAD_CREATED, "bob", "2024-04-20T10:00:00Z",
                            SourcePlatform.DISCOURSE, Map.of()));
                }
                sink.flush();
            }

            try (KafkaProducer<byte[], byte[]> roller = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                    List<Finding> left = findings(app, topics, appId);
                    // A partition still holding her gets a write, which rolls its segment once segment.ms passed:
                    // the cleaner (compacted) or the retention check (the others) can then remove it.
                    for (Finding f : left) {
                        if (f.partition() != null) {
                            roller.send(new ProducerRecord<>(f.partition().topic(), f.partition().partition(),
                                    "roll".getBytes(StandardCharsets.UTF_8), new byte[] {0}));
                        }
                    }
                    roller.flush();
                    assertThat(left).isEmpty();
                });
            }
        }
    }

    @Test
    void shouldGiveTheErasuresTopicThePartitionsOfTheActivityTopicWhenItHasFewer(@TempDir Path tmp) throws Exception {
        String prefix = "erasure-parts-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        // Created earlier by hand: the activity topic with three partitions, the erasures topic with one.
        kafka.createTopics(3, prefix + "activity");
        kafka.createTopics(1, prefix + "erasures");
        try (PulseStreamsApp app = new PulseStreamsApp(config(prefix, prefix + "app", tmp.resolve("state")))) {
            app.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                assertThat(admin.describeTopics(List.of(prefix + "erasures")).allTopicNames().get()
                        .get(prefix + "erasures").partitions()).hasSize(3);
            }
        }
    }

    /** Where the person still is: a record of a topic or an entry of a state store, markers excepted. */
    record Finding(TopicPartition partition, String where) {
        @Override
        public String toString() {
            return where;
        }
    }

    private List<Finding> findings(PulseStreamsApp app, Topics topics, String appId) throws Exception {
        List<Finding> found = new ArrayList<>();
        Set<String> names = new TreeSet<>(topics.names());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.listTopics().names().get().stream().filter(n -> n.startsWith(appId + "-")).forEach(names::add);
        }
        for (String topic : names) {
            // The requests themselves are the erasure's record (kept for the topic's retention, like any request).
            if (!topic.equals(topics.erasures().name())) {
                found.addAll(scan(topic));
            }
        }
        for (String store : app.stateStoreNames()) {
            ReadOnlyKeyValueStore<Object, Object> kv = app.streams().store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            try (var it = kv.all()) {
                while (it.hasNext()) {
                    KeyValue<Object, Object> e = it.next();
                    String key = text(e.key);
                    String value = text(e.value);
                    if (names(key, value) && !marker(key, value)) {
                        found.add(new Finding(null, "store " + store + " " + printable(key) + " = " + printable(value)));
                    }
                }
            }
        }
        return found;
    }

    private static Map<TopicPartition, Long> endOffsets(List<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t,
                    p.partition()))));
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /** Records from {@code from} on (to the current end) that name her, in key or value (tombstones included). */
    private static List<String> scanFrom(Map<TopicPartition, Long> from) {
        List<String> found = new ArrayList<>();
        readToEnd(from, "read_uncommitted", r -> {
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.ISO_8859_1);
                String value = r.value() == null ? null : new String(r.value(), StandardCharsets.ISO_8859_1);
                if (names(key, value)) {
                    found.add(r.topic() + "/" + r.partition() + "@" + r.offset() + " " + printable(key) + " = "
                            + printable(value));
                }
        });
        return found;
    }

    /** Offset 0 of every partition of {@code topic}. */
    private static Map<TopicPartition, Long> fromBeginning(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .collect(java.util.stream.Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> 0L));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe " + topic, e);
        }
    }

    /** Hands every record from {@code from} up to the end offsets taken at the start (at most 20 s) to {@code action}. */
    private static void readToEnd(Map<TopicPartition, Long> from, String isolation,
                                  java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> action) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.copyOf(from.keySet());
            consumer.assign(partitions);
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(action);
            }
        }
    }

    /** Every record physically in the topic, aborted transactions' included (read_uncommitted). */
    private static List<Finding> scan(String topic) {
        List<Finding> found = new ArrayList<>();
        readToEnd(fromBeginning(topic), "read_uncommitted", r -> {
                String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.ISO_8859_1);
                String value = r.value() == null ? null : new String(r.value(), StandardCharsets.ISO_8859_1);
                StringBuilder headers = new StringBuilder();
                for (Header h : r.headers()) {
                    headers.append(h.key()).append('=').append(new String(h.value(), StandardCharsets.ISO_8859_1));
                }
                if ((names(key, value) || names(headers.toString(), null)) && !marker(key, decoded(r.value(), value))) {
                    found.add(new Finding(new TopicPartition(topic, r.partition()), "topic " + topic + "/"
                            + r.partition() + "@" + r.offset() + " " + printable(key) + " = " + printable(value)
                            + " " + printable(headers.toString())));
                }
        });
        return found;
    }

    private static boolean names(String key, String value) {
        return key.toLowerCase(Locale.ROOT).contains(TOKEN)
                || value != null && value.toLowerCase(Locale.ROOT).contains(TOKEN);
    }

    /**
     * The erasure's own traces: a tombstone, or an entry whose key names the identity and whose value says only that
     * it is erased (the identity store's erased entry, in Avro's JSON rendering; the roles store's erasure time under
     * an {@code e:} key).
     */
    private static boolean marker(String key, String value) {
        if (value == null) {
            return true;
        }
        if (value.toLowerCase(Locale.ROOT).contains(TOKEN)) {
            return false;
        }
        return value.contains("\"erased\": true") || key.contains("\u0000e:");
    }

    /**
     * A record value in the registry's Avro wire format as Avro renders it in JSON (the identity store's changelog
     * holds Avro), else {@code raw}: {@link #marker} reads what the value says, not its binary encoding.
     */
    private static String decoded(byte[] bytes, String raw) {
        if (bytes == null || bytes.length < 5 || bytes[0] != 0) {
            return raw;
        }
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(SharedPlatform.registry().ccompatUrl())) {
            return String.valueOf(new AvroSerdes(client, false).genericValue().deserializer().deserialize("scan", bytes));
        } catch (RuntimeException e) {
            return raw; // not Avro after all (a raw long, say): judged as it is
        }
    }

    private static String text(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : o.toString();
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replaceAll("[^\\x20-\\x7e]", ".");
    }

    /** The keys of the latest non-tombstone record per key, as text. */
    private static Set<String> latestKeys(String topic) {
        Map<String, Boolean> latest = new HashMap<>();
        readToEnd(fromBeginning(topic), "read_committed", r -> {
                latest.put(new String(r.key(), StandardCharsets.ISO_8859_1), r.value() != null);
        });
        Set<String> keys = new TreeSet<>();
        latest.forEach((k, present) -> {
            if (present) {
                keys.add(k);
            }
        });
        return keys;
    }

    /** The application creates every topic with the bounds that make the erasure physical. */
    private static void assertBounds(Topics topics) throws Exception {
        Set<String> compacted = Set.copyOf(topics.metricNames());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<ConfigResource> resources = topics.names().stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            configs.forEach((resource, config) -> {
                if (compacted.contains(resource.name())) {
                    assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(resource.name())
                            .isEqualTo("compact");
                    assertThat(config.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value()).as(resource.name())
                            .isEqualTo(Long.toString(LAG_MS));
                } else {
                    assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(resource.name())
                            .isEqualTo("delete");
                    assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).as(resource.name())
                            .isEqualTo(Long.toString(RETENTION_MS));
                }
            });
        }
    }

    private static PulseStreamsConfig config(String prefix, String appId, Path state) {
        Map<String, Object> props = new HashMap<>();
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, SharedPlatform.registry().ccompatUrl());
        props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseStreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(PulseStreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(PulseStreamsConfig.HTTP_PORT_CONFIG, -1);
        props.put(PulseStreamsConfig.PARTITIONS_CONFIG, 2);
        props.put(PulseStreamsConfig.LATENESS_HORIZON_CONFIG, Duration.ofDays(1).toMillis());
        props.put(PulseStreamsConfig.TOPIC_MAX_COMPACTION_LAG_CONFIG, LAG_MS);
        props.put(PulseStreamsConfig.TOPIC_RETENTION_CONFIG, RETENTION_MS);
        return new PulseStreamsConfig(props);
    }

    /** Community ids whose records land on different partitions of a {@code partitions}-partition topic. */
    private static List<String> onDifferentPartitions(int partitions) {
        Map<Integer, String> byPartition = new HashMap<>();
        for (int i = 0; byPartition.size() < partitions; i++) {
            String community = "community-" + i;
            byPartition.putIfAbsent(Utils.toPositive(Utils.murmur2(community.getBytes(StandardCharsets.UTF_8)))
                    % partitions, community);
        }
        return new ArrayList<>(byPartition.values());
    }

    /**
     * She (every id, name and display name holds {@value #TOKEN}) is one member of two identities in the first
     * community, with threads, replies, a role whose training she lacks (an open violation), a forged erasure (dead
     * letter) and a late event; in the second community one identity with a thread. Bob is in both.
     */
    private static List<ActivityEvent> history(String acme, String beta) {
        List<ActivityEvent> events = new ArrayList<>();
        String she = "d-" + TOKEN;
        String gh = "g-" + TOKEN;
        for (String c : List.of(acme, beta)) {
            events.add(event(c, "obs-she-" + c, EventType.IDENTITY_OBSERVED, she, "2024-04-01T08:00:00Z",
                    SourcePlatform.DISCOURSE, Map.of(IdentityAttributes.USERNAME, TOKEN + "-ann",
                            IdentityAttributes.DISPLAY_NAME, "Ann " + TOKEN.toUpperCase(Locale.ROOT),
                            IdentityAttributes.MAPPING_ID, "person-" + TOKEN)));
            if (c.equals(acme)) {
                events.add(event(acme, "obs-gh", EventType.IDENTITY_OBSERVED, gh, "2024-04-01T08:00:00Z",
                        SourcePlatform.GITHUB, Map.of(IdentityAttributes.USERNAME, TOKEN + "-gh",
                                IdentityAttributes.MAPPING_ID, "person-" + TOKEN)));
            }
            events.add(event(c, "obs-bob-" + c, EventType.IDENTITY_OBSERVED, "bob", "2024-04-01T08:00:00Z",
                    SourcePlatform.DISCOURSE, Map.of(IdentityAttributes.USERNAME, "bob")));
            events.add(thread(c, "t-she-" + c, she, "2024-04-02T09:00:00Z"));
            events.add(reply(c, "r-bob-" + c, "bob", "t-she-" + c, "2024-04-02T10:00:00Z"));
            events.add(thread(c, "t-bob-" + c, "bob", "2024-04-03T09:00:00Z"));
        }
        events.add(reply(acme, "r-gh", gh, "t-bob-" + acme, "2024-04-03T09:30:00Z"));
        events.add(event(acme, "grant-she", EventType.ROLE_GRANTED, she, "2024-04-04T09:00:00Z",
                SourcePlatform.DISCOURSE, Map.of("level", "corporate-user")));
        // Anyone writing the activity topic could try this: dead-lettered, nobody erased.
        events.add(event(acme, "forged", EventType.MEMBER_ERASED, she, "2024-04-04T10:00:00Z",
                SourcePlatform.OTHER, Map.of()));
        // Ten days behind the newest event of its partition, with a one-day horizon: late.
        events.add(thread(acme, "t-late", she, "2024-03-25T09:00:00Z"));
        return events;
    }

    private static ActivityEvent thread(String community, String id, String actor, String at) {
        return ActivityEvent.newBuilder(event(community, id, EventType.THREAD_CREATED, actor, at,
                SourcePlatform.DISCOURSE, Map.of())).setThreadId(id).build();
    }

    private static ActivityEvent reply(String community, String id, String actor, String thread, String at) {
        return ActivityEvent.newBuilder(event(community, id, EventType.REPLY_CREATED, actor, at,
                SourcePlatform.DISCOURSE, Map.of())).setThreadId(thread).setParentId(thread).build();
    }

    private static ActivityEvent event(String community, String id, EventType type, String actor, String at,
                                       SourcePlatform source, Map<String, String> attributes) {
        return ActivityEvent.newBuilder().setEventId(community + "-" + id).setCommunityId(community)
                .setSource(source).setType(type).setActorId(actor).setOccurredAt(Instant.parse(at))
                .setAttributes(attributes).build();
    }
}
