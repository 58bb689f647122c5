package org.communitypulse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.StreamsCatchUp;
import org.communitypulse.streams.engagement.EngagementTopology;

/**
 * The end-to-end measurements: throughput of the whole pipeline against a plain consumer and a
 * minimal exactly-once Streams application (the Streams floor) on the same broker and topic, live latency from produce to the metric record that counts the event, and
 * the state it keeps. Waits with the pipeline's public catch-up API ({@link StreamsCatchUp},
 * {@link PulseStreamsApp#awaitCaughtUp}).
 */
public final class PipelineBenchmark {

    private static final int PARTITIONS = 3;
    private static final int COMMUNITIES = 20;
    private static final Duration TIMEOUT = Duration.ofMinutes(60);
    private static final long QUIET_POLL_MS = 50;

    private final EmbeddedKafkaCluster kafka;
    private final ApicurioRegistry registry;
    private final Path work;
    private final long commitIntervalMs;
    private final int threads;

    /**
     * @param commitIntervalMs the Streams commit interval: under exactly-once each commit is a
     *                         transaction (flush, offsets, end marker), the main cost at small intervals
     */
    public PipelineBenchmark(EmbeddedKafkaCluster kafka, ApicurioRegistry registry, Path work, long commitIntervalMs,
                             int threads) {
        this.kafka = kafka;
        this.registry = registry;
        this.work = work;
        this.commitIntervalMs = commitIntervalMs;
        this.threads = threads;
    }

    /**
     * One throughput run: its figures, and the pipeline's latest records of every {@link PeerRecordKind} (as
     * compared fields, by {@link PeerComparison#key}) after the preloaded events and after the increment (null
     * without one).
     */
    public record Run(Map<String, Object> figures, Map<PeerRecordKind, Map<String, Map<String, Object>>> records,
                      Map<PeerRecordKind, Map<String, Map<String, Object>>> recordsAfterIncrement) {
    }

    /**
     * The generated input of every throughput run: 20 communities, seed 42; its first n events are a
     * run's input. The window ends in 2021: at about 7,400 events a day, 20M events span some 2,700
     * days, and a window starting in 2020 would run past today, where the intake rejects events from
     * the future. 2012-01-04 is a Wednesday like 2020-01-01, the start of earlier runs, so the events
     * are the same, shifted by whole weeks.
     */
    public static SimulationPlan plan(int membersPerCommunity) {
        return new SimulationPlan(SimulationPlan.numberedCommunities(COMMUNITIES), membersPerCommunity,
                LocalDate.parse("2012-01-04"), 3650, 42, Map.of());
    }

    /**
     * Preloads {@code events} generated events, reads them with a plain consumer, then runs the pipeline
     * over them; then, with the application still running, produces the next {@code increment} events of
     * the same plan and measures the time until their metrics are emitted (the incremental cost).
     */
    public Run throughput(long events, int membersPerCommunity, long increment) throws Exception {
        return throughput(events, membersPerCommunity, increment, true);
    }

    /**
     * As {@link #throughput(long, int, long)}; without {@code withFloor} the Streams floor is not run
     * (the memory series needs the pipeline's state only).
     */
    public Run throughput(long events, int membersPerCommunity, long increment, boolean withFloor) throws Exception {
        String prefix = "bench-" + events + "-" + UUID.randomUUID().toString().substring(0, 6) + ".";
        AvroSerdes serdes = new AvroSerdes(new RestSchemaRegistryClient(registry.ccompatUrl()), true);
        Topics topics = new Topics(prefix, serdes);
        PulseStreamsApp.createTopics(kafka.bootstrapServers(), topics.names(), PARTITIONS);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", events);
        result.put("commitIntervalMs", commitIntervalMs);
        result.put("streamThreads", threads);

        result.put("membersPerCommunity", membersPerCommunity);
        Set<String> members = new HashSet<>();
        // One iterator for the preload and the increment: the increment continues the same history.
        Iterator<ActivityEvent> generated = new SimulatedActivity(plan(membersPerCommunity)).iterator();
        Instant lastOccurredAt = null;
        long t0 = System.nanoTime();
        try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), topics.activity(), Map.of())) {
            for (long i = 0; i < events && generated.hasNext(); i++) {
                ActivityEvent e = generated.next();
                if (e.getActorId() != null) {
                    members.add(e.getCommunityId() + "/" + e.getActorId());
                }
                lastOccurredAt = e.getOccurredAt();
                sink.send(e);
            }
            sink.flush();
        }
        double ingestSeconds = seconds(t0);
        result.put("lastOccurredAt", String.valueOf(lastOccurredAt));
        result.put("members", members.size());
        result.put("ingestSeconds", ingestSeconds);
        log("preloaded %,d events (%,d members) in %.1f s", events, members.size(), ingestSeconds);

        long t1 = System.nanoTime();
        long read = plainConsumer(topics);
        double consumerSeconds = seconds(t1);
        result.put("consumerSeconds", consumerSeconds);
        result.put("consumerEventsPerSecond", read / consumerSeconds);
        log("plain consumer read and deserialised %,d records in %.1f s", read, consumerSeconds);
        if (withFloor) {
            streamsFloor(topics, prefix, events, read / consumerSeconds, result);
        }

        // One directory per run: runs of the same size (other settings, the memory series) must not add up.
        Path stateDir = work.resolve("state-" + prefix.substring(0, prefix.length() - 1));
        String appId = prefix + "app";
        Map<PeerRecordKind, Map<String, Map<String, Object>>> latest;
        Map<PeerRecordKind, Map<String, Map<String, Object>>> latestAfterIncrement = null;
        long heapBaseline = heapAfterGc();
        result.put("heapUsedBytesBeforeStart", heapBaseline);
        try (PulseStreamsApp app = new PulseStreamsApp(config(prefix, appId, stateDir, 1000));
             Admin admin = Admin.create(kafka.clientConfig())) {
            long t2 = System.nanoTime();
            app.start();
            app.awaitRunning(Duration.ofMinutes(2));
            StreamsCatchUp catchUp = new StreamsCatchUp(admin, appId, topics.activity().name());
            while (!catchUp.progress().done()) {
                Thread.sleep(200);
            }
            double processedSeconds = seconds(t2);
            app.awaitCaughtUp(catchUp, TIMEOUT, false);
            double pipelineSeconds = seconds(t2);
            result.put("pipelineInputCommittedSeconds", processedSeconds);
            result.put("pipelineSeconds", pipelineSeconds);
            result.put("pipelineEventsPerSecond", events / pipelineSeconds);
            result.put("pipelineToConsumerRatio", (events / pipelineSeconds) / (read / consumerSeconds));
            if (result.get("streamsFloorEventsPerSecond") instanceof Double floorRate) {
                result.put("pipelineVsStreamsFloor", (events / pipelineSeconds) / floorRate);
            }
            long heap = heapAfterGc();
            result.put("heapUsedBytesAfterGc", heap);
            // The harness JVM also holds the broker and the registry client: the growth over the
            // baseline taken just before the start is the application's share.
            result.put("heapGrowthBytes", heap - heapBaseline);
            // RocksDB keeps recent writes in memtables, so the state directory understates the state;
            // the changelog topics hold all of it (before compaction) and are what a restore reads.
            long localBytes = sizeOf(stateDir);
            Map<String, Long> perStore = changelogBytes(admin, appId);
            long stateBytes = perStore.values().stream().mapToLong(Long::longValue).sum();
            result.put("localStateDirBytes", localBytes);
            result.put("changelogBytesPerEventByStore", perEvent(perStore, events));
            result.put("stateBytes", stateBytes);
            result.put("stateBytesPerMillionEvents", stateBytes * 1_000_000.0 / events);
            result.put("stateBytesPerHundredThousandMembers", stateBytes * 100_000.0 / Math.max(1, members.size()));
            log("pipeline: input committed after %.1f s, all metrics emitted after %.1f s (%.0f events/s, %.2f of the "
                    + "plain consumer); state %,d bytes", processedSeconds, pipelineSeconds, events / pipelineSeconds,
                    result.get("pipelineToConsumerRatio"), stateBytes);
            log("changelog bytes per event by store: %s", perEvent(perStore, events).entrySet().stream()
                    .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", ")));
            if (result.containsKey("pipelineVsStreamsFloor")) {
                log("pipeline at %.2f of the Streams floor's rate", result.get("pipelineVsStreamsFloor"));
            }
            latest = readLatest(topics);
            if (increment > 0) {
                latestAfterIncrement = increment(generated, increment, topics, catchUp, app, result);
            }
        }
        // Closing flushes RocksDB's memtables: the directory now holds all of the local state, of the
        // preloaded events and the increment.
        long closedBytes = sizeOf(stateDir);
        // The SST files are the data; the rest is RocksDB's logs, options and Streams' checkpoints.
        result.put("localStateSstBytesAfterClose", sizeOf(stateDir, ".sst"));
        long stateEvents = events + ((Number) result.getOrDefault("incrementEvents", 0L)).longValue();
        result.put("localStateDirBytesAfterClose", closedBytes);
        result.put("localStateBytesPerMillionEvents", closedBytes * 1_000_000.0 / stateEvents);
        result.put("localStateBytesPerHundredThousandMembers", closedBytes * 100_000.0 / Math.max(1, members.size()));
        result.put("heapGrowthBytesPerHundredThousandMembers",
                ((Number) result.get("heapGrowthBytes")).longValue() * 100_000.0 / Math.max(1, members.size()));
        return new Run(result, latest, latestAfterIncrement);
    }

    /**
     * Times the Streams floor ({@link StreamsFloorTopology}) over the preloaded topic with the pipeline's
     * Streams settings (exactly-once v2, commit interval, threads), from start until its committed
     * offsets cover every input record, as the pipeline's "input committed" is detected.
     */
    private void streamsFloor(Topics topics, String prefix, long events, double consumerRate,
                              Map<String, Object> result) throws Exception {
        String appId = prefix + "floor";
        Path stateDir = work.resolve("floor-state-" + prefix.substring(0, prefix.length() - 1));
        Properties props = config(prefix, appId, stateDir, 1000).streamsProperties();
        long counted;
        long t = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(StreamsFloorTopology.build(topics.activity()), props);
             Admin admin = Admin.create(kafka.clientConfig())) {
            streams.start();
            StreamsCatchUp catchUp = new StreamsCatchUp(admin, appId, topics.activity().name());
            long deadline = t + TIMEOUT.toNanos();
            while (!catchUp.progress().done()) {
                if (streams.state() == KafkaStreams.State.ERROR || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Streams floor did not commit its input: " + streams.state());
                }
                Thread.sleep(QUIET_POLL_MS);
            }
            double seconds = seconds(t);
            result.put("streamsFloorSeconds", seconds);
            result.put("streamsFloorEventsPerSecond", events / seconds);
            result.put("streamsFloorVsConsumer", (events / seconds) / consumerRate);
            counted = floorCount(streams);
        }
        result.put("streamsFloorCounted", counted);
        log("Streams floor (exactly-once, count per community in a logged store): input committed after %.1f s "
                + "(%.0f events/s, %.2f of the plain consumer); counted %,d", result.get("streamsFloorSeconds"),
                result.get("streamsFloorEventsPerSecond"), result.get("streamsFloorVsConsumer"), counted);
        if (counted != events) {
            log("WARNING: the Streams floor counted %,d events, not %,d", counted, events);
        }
    }

    /** The floor's counts summed over its store; -1 when the store cannot be queried. */
    private static long floorCount(KafkaStreams streams) {
        try {
            ReadOnlyKeyValueStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                    StreamsFloorTopology.STORE, QueryableStoreTypes.keyValueStore()));
            long sum = 0;
            try (KeyValueIterator<String, Long> all = store.all()) {
                while (all.hasNext()) {
                    sum += all.next().value;
                }
            }
            return sum;
        } catch (InvalidStateStoreException e) {
            return -1;
        }
    }

    /** Produces the next {@code increment} events into the running pipeline and times them to their metrics. */
    private Map<PeerRecordKind, Map<String, Map<String, Object>>> increment(Iterator<ActivityEvent> generated, long increment,
                                                        Topics topics, StreamsCatchUp catchUp, PulseStreamsApp app,
                                                        Map<String, Object> result) throws Exception {
        long sent = 0;
        long t = System.nanoTime();
        try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), topics.activity(), Map.of())) {
            for (; sent < increment && generated.hasNext(); sent++) {
                sink.send(generated.next());
            }
            sink.flush();
        }
        double seconds = awaitFirstQuiet(catchUp, app, t);
        // The replay's wait confirms with settle checks (about a second more); the figure is the first quiet moment.
        app.awaitCaughtUp(catchUp, TIMEOUT, false);
        result.put("incrementEvents", sent);
        result.put("incrementSeconds", seconds);
        result.put("incrementSettledSeconds", seconds(t));
        result.put("incrementMicrosPerEvent", seconds * 1e6 / Math.max(1, sent));
        log("increment: %,d more events produced and their metrics emitted in %.2f s (%.0f µs per event)", sent,
                seconds, seconds * 1e6 / Math.max(1, sent));
        return readLatest(topics);
    }

    /**
     * Seconds from {@code since} to the first moment the input is committed to its end, no community has
     * periods left to emit and no output transaction is open: the increment's metrics are out.
     */
    private static double awaitFirstQuiet(StreamsCatchUp catchUp, PulseStreamsApp app, long since)
            throws Exception {
        List<String> outputs = app.topics().metricTopics().stream().map(t -> t.name()).toList();
        long deadline = since + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long pending;
            try {
                pending = EngagementTopology.pendingCommunities(app.streams());
            } catch (InvalidStateStoreException e) {
                pending = -1;
            }
            if (pending == 0 && catchUp.progress().done() && catchUp.noOpenTransactions(outputs)) {
                return seconds(since);
            }
            Thread.sleep(QUIET_POLL_MS);
        }
        throw new TimeoutException("the increment's metrics were not emitted within " + TIMEOUT);
    }

    /** The latest committed record per key of every kind, as the fields the batch peer is compared on. */
    private Map<PeerRecordKind, Map<String, Map<String, Object>>> readLatest(Topics topics) {
        Map<PeerRecordKind, Map<String, Map<String, Object>>> all = new EnumMap<>(PeerRecordKind.class);
        for (PeerRecordKind kind : PeerRecordKind.values()) {
            all.put(kind, readLatest(kind, kind.topic(topics)));
        }
        return all;
    }

    /** The latest committed record per key of one kind; a tombstone (a cohort that became empty) removes its key. */
    private <V extends SpecificRecord> Map<String, Map<String, Object>> readLatest(
            PeerRecordKind kind, Topic<CommunityDayKey, V> topic) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<String, Map<String, Object>> latest = new TreeMap<>();
        try (KafkaConsumer<CommunityDayKey, V> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = assignFromStart(consumer, topic.name());
            // Under read_committed the end offsets are the last stable offsets: everything committed.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<CommunityDayKey, V> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = PeerComparison.key(r.key().getCommunityId(), r.key().getDay().toEpochDay());
                    if (r.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, PeerComparison.fields(kind, (GenericRecord) r.value()));
                    }
                }
            }
        }
        return latest;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Assigns the consumer every partition of {@code topic}, read from the beginning; returns them. */
    private static List<TopicPartition> assignFromStart(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private long plainConsumer(Topics topics) {
        Deserializer<ActivityEvent> values = topics.activity().valueSerde().deserializer();
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = assignFromStart(consumer, topics.activity().name());
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long checksum = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    // Deserialise fully, as the pipeline must: the limit is reading plus decoding.
                    checksum += values.deserialize(r.topic(), r.headers(), r.value()).getEventId().length();
                    read++;
                }
            }
            if (checksum == 0) {
                throw new IllegalStateException("read nothing");
            }
        }
        return read;
    }

    /**
     * Produces at {@code rate} events/s for {@code seconds} and measures, for each event, the time from
     * its send to the first committed daily record whose {@code events} count includes it.
     */
    public Map<String, Object> latency(int rate, int seconds, long emitIntervalMs) throws Exception {
        String prefix = "lat-" + rate + "-" + emitIntervalMs + "-" + UUID.randomUUID().toString().substring(0, 6) + ".";
        AvroSerdes serdes = new AvroSerdes(new RestSchemaRegistryClient(registry.ccompatUrl()), true);
        Topics topics = new Topics(prefix, serdes);
        PulseStreamsApp.createTopics(kafka.bootstrapServers(), topics.names(), PARTITIONS);
        String appId = prefix + "app";
        Map<String, List<Long>> sentNanos = new ConcurrentHashMap<>();
        Map<String, Integer> matched = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        long warmupUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try (PulseStreamsApp app = new PulseStreamsApp(config(prefix, appId, work.resolve("lat-" + prefix), emitIntervalMs))) {
            app.start();
            app.awaitRunning(Duration.ofMinutes(2));
            Thread reader = new Thread(() -> readDaily(topics, sentNanos, matched, latencies, stop, warmupUntil));
            reader.start();
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), topics.activity(), Map.of())) {
                long start = System.nanoTime();
                long total = (long) rate * seconds;
                java.util.Random random = new java.util.Random(7);
                for (long i = 0; i < total; i++) {
                    long due = start + i * 1_000_000_000L / rate;
                    // Parked, not spun: a spinning producer took one of the machine's two cores from the
                    // pipeline it measures. An event sent a little late is timed from its real send.
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    String community = "c" + (i % COMMUNITIES);
                    ActivityEvent e = ActivityEvent.newBuilder().setEventId(prefix + i).setCommunityId(community)
                            .setSource(SourcePlatform.GENERATOR)
                            .setType(random.nextInt(4) == 0 ? EventType.THREAD_CREATED : EventType.REPLY_CREATED)
                            .setActorId("m" + random.nextInt(2000)).setThreadId("t" + (i / 4))
                            .setOccurredAt(Instant.now()).setAttributes(Map.of()).build();
                    // The community's events are counted in send order: its partition keeps that order.
                    sentNanos.computeIfAbsent(community, c -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(System.nanoTime());
                    sink.send(e);
                }
                sink.flush();
            }
            Thread.sleep(Math.max(3_000, 4 * emitIntervalMs));
            stop.set(true);
            reader.join();
        }
        long[] sorted;
        synchronized (latencies) {
            sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rate", rate);
        result.put("seconds", seconds);
        result.put("emitIntervalMs", emitIntervalMs);
        result.put("commitIntervalMs", commitIntervalMs);
        result.put("streamThreads", threads);
        result.put("measuredEvents", sorted.length);
        result.put("p50Ms", LatencyHistogram.percentileMs(sorted, 500));
        result.put("p90Ms", LatencyHistogram.percentileMs(sorted, 900));
        result.put("p99Ms", LatencyHistogram.percentileMs(sorted, 990));
        result.put("p999Ms", LatencyHistogram.percentileMs(sorted, 999));
        result.put("maxMs", sorted.length == 0 ? null : sorted[sorted.length - 1] / 1e6);
        // The whole distribution, on edges shared by every run, so runs can be laid over each other.
        result.put("histogram", LatencyHistogram.buckets(sorted));
        log("latency at %,d events/s, emit every %d ms: p50 %.0f ms, p99 %.0f ms, max %.0f ms over %,d events", rate,
                emitIntervalMs, result.get("p50Ms"), result.get("p99Ms"), result.get("maxMs"), sorted.length);
        return result;
    }

    private void readDaily(Topics topics, Map<String, List<Long>> sentNanos, Map<String, Integer> matched,
                           List<Long> latencies, AtomicBoolean stop, long warmupUntil) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<CommunityDayKey, DailyEngagement> consumer = new KafkaConsumer<>(config,
                topics.dailyEngagement().keySerde().deserializer(),
                topics.dailyEngagement().valueSerde().deserializer())) {
            List<TopicPartition> partitions = assignFromStart(consumer, topics.dailyEngagement().name());
            while (!stop.get()) {
                for (ConsumerRecord<CommunityDayKey, DailyEngagement> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    String community = r.key().getCommunityId();
                    List<Long> sent = sentNanos.get(community);
                    if (sent == null) {
                        continue;
                    }
                    int from = matched.getOrDefault(community, 0);
                    int upTo = (int) Math.min(r.value().getEvents(), sent.size());
                    for (int i = from; i < upTo; i++) {
                        long sentAt = sent.get(i);
                        if (sentAt >= warmupUntil) {
                            synchronized (latencies) {
                                latencies.add(now - sentAt);
                            }
                        }
                    }
                    matched.put(community, Math.max(from, upTo));
                }
            }
        }
    }

    private PulseStreamsConfig config(String prefix, String appId, Path stateDir, long emitIntervalMs) {
        Map<String, Object> props = new HashMap<>();
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseStreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(PulseStreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(PulseStreamsConfig.HTTP_PORT_CONFIG, PulseStreamsConfig.HTTP_PORT_DISABLED);
        props.put(PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, false);
        props.put(PulseStreamsConfig.METRICS_EMIT_INTERVAL_CONFIG, emitIntervalMs);
        props.put(PulseStreamsConfig.COMMIT_INTERVAL_CONFIG, commitIntervalMs);
        props.put(PulseStreamsConfig.STREAMS_PREFIX + org.apache.kafka.streams.StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                threads);
        return new PulseStreamsConfig(props);
    }

    /** Bytes on the broker of every changelog topic of the application, by store name. */
    private static Map<String, Long> changelogBytes(Admin admin, String appId) throws Exception {
        String prefix = appId + "-";
        String suffix = "-changelog";
        Map<String, Long> bytes = new TreeMap<>();
        for (var dirs : admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id())
                .toList()).allDescriptions().get().values()) {
            for (var dir : dirs.values()) {
                for (var replica : dir.replicaInfos().entrySet()) {
                    String topic = replica.getKey().topic();
                    if (topic.startsWith(prefix) && topic.endsWith(suffix)) {
                        String store = topic.substring(prefix.length(), topic.length() - suffix.length());
                        bytes.merge(store, replica.getValue().size(), Long::sum);
                    }
                }
            }
        }
        return bytes;
    }

    /** Each store's changelog bytes per input event, largest first: where the state written per event goes. */
    private static Map<String, Double> perEvent(Map<String, Long> bytes, long events) {
        Map<String, Double> perEvent = new LinkedHashMap<>();
        bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> perEvent.put(e.getKey(), e.getValue() / (double) events));
        return perEvent;
    }

    private static long sizeOf(Path dir) throws IOException {
        return sizeOf(dir, "");
    }

    private static long sizeOf(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(suffix))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
