package org.communitypulse.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.cli.AvroJson;
import org.communitypulse.cli.ReplayRunner;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;

/**
 * What a run of the pipeline left on the broker, read {@code read_committed} to the end of each topic:
 * the latest value per key of every metric topic (without the wall-clock {@code updatedAt}), the whole
 * sequence of records per alert key (FIRING and RESOLVED must each appear once, in order), and the
 * counts that prove intake: accepted events (the sum of the daily {@code events}), dead letters, late
 * events and the distinct event ids in the deduplication store's changelog.
 *
 * <p>Two runs of the same input are equal when {@link #differences} is empty.
 */
record OutputSnapshot(Map<String, Map<String, String>> latest, Map<String, List<String>> alertSequences,
                      long acceptedEvents, long deadLetters, long lateEvents, long dedupIds, long recordsRead) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AvroJson AVRO_JSON = new AvroJson(ReplayRunner.WALL_CLOCK_FIELDS);
    /** The dedup store's reserved lateness-clock entry (IntakeProcessor), not an event id. */
    private static final String MAX_OCCURRED_AT_KEY = "\u0000max-occurred-at";
    private static final String DEDUP_CHANGELOG_SUFFIX = "-activity-dedup-store-changelog";

    /** Reads every output of the application {@code applicationId} on topics {@code topics}. */
    static OutputSnapshot read(String bootstrapServers, Topics topics, String applicationId, Duration timeout)
            throws Exception {
        Map<String, Map<String, String>> latest = new TreeMap<>();
        Map<String, List<String>> alerts = new TreeMap<>();
        long[] read = new long[1];
        for (Topic<?, ?> topic : topics.metricTopics()) {
            Map<String, String> perKey = new TreeMap<>();
            // Without the prefix, so runs on different topic prefixes compare.
            latest.put(topic.name().substring(topics.prefix().length()), perKey);
            boolean isAlerts = topic.name().equals(topics.alerts().name());
            readAll(bootstrapServers, topic.name(), timeout, r -> {
                read[0]++;
                String key = text(topic.keySerde().deserializer(), topic.name(), r.key());
                String value = r.value() == null ? null : text(topic.valueSerde().deserializer(), topic.name(), r.value());
                if (value == null) {
                    perKey.remove(key);
                } else {
                    perKey.put(key, value);
                }
                if (isAlerts) {
                    alerts.computeIfAbsent(key, k -> new ArrayList<>()).add(Objects.toString(value));
                }
            });
        }
        long accepted = 0;
        for (String daily : latest.get(topics.dailyEngagement().name().substring(topics.prefix().length())).values()) {
            accepted += JSON.readTree(daily).path("events").asLong();
        }
        long[] dead = new long[1];
        readAll(bootstrapServers, topics.activityDeadLetters().name(), timeout, r -> dead[0]++);
        long[] late = new long[1];
        readAll(bootstrapServers, topics.activityLate().name(), timeout, r -> late[0]++);
        Set<String> ids = new HashSet<>();
        readAll(bootstrapServers, applicationId + DEDUP_CHANGELOG_SUFFIX, timeout, r -> {
            String id = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
            if (r.value() == null) {
                ids.remove(id);
            } else if (!id.equals(MAX_OCCURRED_AT_KEY)) {
                ids.add(id);
            }
        });
        return new OutputSnapshot(latest, alerts, accepted, dead[0], late[0], ids.size(), read[0]);
    }

    /** Keys over all metric topics. */
    long keys() {
        return latest.values().stream().mapToLong(Map::size).sum();
    }

    /** Alert records (FIRING and RESOLVED) over all keys. */
    long alertRecords() {
        return alertSequences.values().stream().mapToLong(List::size).sum();
    }

    /**
     * Every way {@code actual} differs from this (the reference): a missing, extra or different
     * latest value, or a different alert sequence; at most {@code limit} entries, then a count.
     */
    List<String> differences(OutputSnapshot actual, int limit) {
        List<String> out = new ArrayList<>();
        int[] total = new int[1];
        java.util.function.Consumer<String> add = d -> {
            if (total[0]++ < limit) {
                out.add(d);
            }
        };
        for (String topic : latest.keySet()) {
            Map<String, String> want = latest.get(topic);
            Map<String, String> got = actual.latest.getOrDefault(topic, Map.of());
            Set<String> keys = new HashSet<>(want.keySet());
            keys.addAll(got.keySet());
            keys.stream().sorted().forEach(k -> {
                if (!Objects.equals(want.get(k), got.get(k))) {
                    add.accept(topic + " " + k + ": expected " + want.get(k) + " but was " + got.get(k));
                }
            });
        }
        Set<String> alertKeys = new HashSet<>(alertSequences.keySet());
        alertKeys.addAll(actual.alertSequences.keySet());
        alertKeys.stream().sorted().forEach(k -> {
            if (!Objects.equals(alertSequences.get(k), actual.alertSequences.get(k))) {
                add.accept("alert sequence " + k + ": expected " + alertSequences.get(k) + " but was "
                        + actual.alertSequences.get(k));
            }
        });
        if (total[0] > limit) {
            out.add("... and " + (total[0] - limit) + " more");
        }
        return out;
    }

    private static String text(Deserializer<?> deserializer, String topic, byte[] bytes) {
        try {
            JsonNode node = AVRO_JSON.toJson(deserializer.deserialize(topic, bytes));
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code topic} read_committed from the beginning to its end, in partition order. */
    static void readAll(String bootstrapServers, String topic, Duration timeout,
                        java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Exactly-once output is final only once committed: aborted attempts of killed instances must not count.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}
