package org.communitypulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.communitypulse.ingest.ConsoleProgress;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.streams.AlertGate;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.StreamsCatchUp;

/**
 * Replays history through the whole pipeline inside this JVM and writes the final metrics: a
 * throw-away broker, registry and Streams application, one {@link ImportStep} feeding the activity
 * topic, a wait until Streams has committed every input record, then the latest value of every key
 * of every metric topic as JSON lines. Every source shares this runner; a source only supplies its
 * import step.
 *
 * <p>Public for the system tests, which replay through it as {@code pulse replay} does.
 */
public final class ReplayRunner {

    /**
     * Record fields left out of the output because they hold the wall-clock time of computation:
     * with them two replays of the same history would never give the same file.
     */
    public static final Set<String> WALL_CLOCK_FIELDS = Set.of("updatedAt");

    private static final Duration STREAMS_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final long POLL_MS = 100;
    private static final Duration SETTLE_CHECK = Duration.ofMillis(500);
    private static final long BATCH_COMMIT_INTERVAL_MS = 1_000;
    private static final int BATCH_STREAM_THREADS = 2;

    /** Feeds one source's history into the pipeline. */
    @FunctionalInterface
    public interface ImportStep {

        /**
         * Sends every event of the source to {@code sink} and flushes it; the runner closes the sink.
         *
         * @return the importer's summary (events, rejected rows)
         */
        ImportSummary importInto(EventSink sink, ProgressListener progress);
    }

    /**
     * What a replay did.
     *
     * @param summary        the import's summary
     * @param recordsWritten JSON lines written (keys over all metric topics)
     * @param elapsed        wall time of the whole replay, platform start included
     * @param alertNoise     FIRING records per community-month by condition
     * @param alerts         every record of the alerts topic in the order written per partition (so per AlertKey):
     *                       the whole FIRING/RESOLVED sequence, not only each key's latest record
     */
    public record Result(ImportSummary summary, long recordsWritten, Duration elapsed, AlertNoise alertNoise,
                         List<Alert> alerts) {
    }

    private final Duration timeout;
    private final PrintStream log;
    private final ObjectWriter json = new ObjectMapper().writer();
    private final AvroJson avroJson = new AvroJson(WALL_CLOCK_FIELDS);

    /**
     * @param timeout how long Streams may take to process the imported records, and the output to be read
     * @param log     where progress goes (stderr: stdout stays for the result line)
     */
    public ReplayRunner(Duration timeout, PrintStream log) {
        this.timeout = timeout;
        this.log = log;
    }

    /** Runs the replay and writes {@code out} (replaced atomically, so a failed replay leaves no half file). */
    public Result run(ImportStep step, Path out) throws Exception {
        EmbeddedStack.require("pulse replay", "");
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("pulse-replay-");
        String applicationId = "pulse-replay-" + UUID.randomUUID();
        log.println("Starting embedded Kafka, schema registry and Kafka Streams ...");
        // Alerts judge each day once: not before the whole (out-of-order) history is in.
        AlertGate alerts = AlertGate.closed();
        // Closed in reverse order: Streams before the broker, or its close waits for a broker that is gone.
        try (EmbeddedStack.Service kafka = EmbeddedStack.kafka(null, 0, true);
             EmbeddedStack.Service registry = EmbeddedStack.registry(null, work.resolve("registry-logs"), 0, true);
             PulseStreamsApp app = new PulseStreamsApp(streamsConfig(kafka.address(), registry.address(),
                     applicationId, work), alerts)) {
            app.start();
            app.awaitRunning(STREAMS_START_TIMEOUT);

            ImportSummary summary;
            try (KafkaEventSink sink = new KafkaEventSink(kafka.address(), app.topics().activity(), Map.of())) {
                summary = step.importInto(sink, ConsoleProgress.toStderr());
                sink.flush();
            }
            log.println(summary.render());

            try (Admin admin = Admin.create(clientConfig(kafka.address()))) {
                StreamsCatchUp catchUp = new StreamsCatchUp(admin, applicationId, app.topics().activity().name());
                awaitProcessed(catchUp, app);
                alerts.open();
                app.awaitCaughtUp(catchUp, timeout, true);
                log.println("metric records emitted and committed");
                AlertNoise noise = new AlertNoise();
                List<Alert> alertRecords = new java.util.ArrayList<>();
                Map<String, Map<String, JsonNode[]>> latest = readLatest(kafka.address(), admin,
                        app.topics().metricTopics(), (topic, value) -> {
                            if (value instanceof Alert alert) {
                                noise.alert(alert);
                                alertRecords.add(alert);
                            } else if (value instanceof DailyEngagement daily && daily.getEvents() > 0) {
                                noise.activeDay(daily.getCommunityId(), daily.getDay());
                            }
                        });
                long written = write(latest, out);
                return new Result(summary, written, Duration.ofNanos(System.nanoTime() - started), noise,
                        List.copyOf(alertRecords));
            }
        } finally {
            deleteQuietly(work);
        }
    }

    private static Map<String, Object> clientConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    private static PulseStreamsConfig streamsConfig(String bootstrapServers, String registryUrl,
                                                    String applicationId, Path work) {
        Map<String, Object> props = new HashMap<>();
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, Topics.DEFAULT_PREFIX);
        props.put(PulseStreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(PulseStreamsConfig.STATE_DIR_CONFIG, work.resolve("streams").toAbsolutePath().toString());
        // History has its own clock: alerts follow the events' time, not today's date.
        props.put(PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, false);
        // Throughput over latency: each exactly-once commit is a transaction round trip (bench: docs/benchmarks.md).
        props.put(PulseStreamsConfig.COMMIT_INTERVAL_CONFIG, BATCH_COMMIT_INTERVAL_MS);
        props.put(PulseStreamsConfig.STREAMS_PREFIX + StreamsConfig.NUM_STREAM_THREADS_CONFIG, BATCH_STREAM_THREADS);
        // A batch run serves no dashboard or scrape; a fixed port could clash with a running pipeline.
        props.put(PulseStreamsConfig.HTTP_PORT_CONFIG, PulseStreamsConfig.HTTP_PORT_DISABLED);
        return new PulseStreamsConfig(props);
    }

    /** Blocks until Streams has committed every input record, printing progress about once a second. */
    private void awaitProcessed(StreamsCatchUp catchUp, PulseStreamsApp app) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextPrint = 0;
        while (true) {
            KafkaStreams.State state = app.streams().state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                    || state == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped (" + state + ") before processing every record");
            }
            StreamsCatchUp.Progress progress = catchUp.progress();
            long now = System.nanoTime();
            if (progress.done() || now >= nextPrint) {
                log.printf("waiting for streams: %d/%d records processed%n", progress.processed(), progress.total());
                nextPrint = now + PROGRESS_EVERY.toNanos();
            }
            if (progress.done()) {
                return;
            }
            if (now > deadline) {
                throw new TimeoutException("Kafka Streams processed only " + progress.processed() + " of "
                        + progress.total() + " records within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }

    /**
     * Reads {@code topics} from the beginning to their committed end; per topic, the latest
     * {@code [key, value]} JSON per key, keyed and sorted by the key's JSON text. A null value
     * (tombstone) removes its key, as in a table.
     */
    private Map<String, Map<String, JsonNode[]>> readLatest(String bootstrapServers, Admin admin,
                                                           List<Topic<?, ?>> topics,
                                                           java.util.function.BiConsumer<String, Object> every)
            throws Exception {
        Map<String, Deserializer<?>> keys = new HashMap<>();
        Map<String, Deserializer<?>> values = new HashMap<>();
        Map<String, Map<String, JsonNode[]>> latest = new TreeMap<>();
        for (Topic<?, ?> t : topics) {
            keys.put(t.name(), t.keySerde().deserializer());
            values.put(t.name(), t.valueSerde().deserializer());
            latest.put(t.name(), new TreeMap<>());
        }
        Map<String, Object> config = clientConfig(bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Exactly-once output is only final once committed; aborted attempts must not be read.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = StreamsCatchUp.partitions(admin, List.copyOf(keys.keySet()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!atEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("Could not read the metric topics to their end within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode key = avroJson.toJson(keys.get(r.topic()).deserialize(r.topic(), r.key()));
                    String keyText = json.writeValueAsString(key);
                    Object value = r.value() == null ? null : values.get(r.topic()).deserialize(r.topic(), r.value());
                    every.accept(r.topic(), value);
                    if (value == null) {
                        latest.get(r.topic()).remove(keyText);
                    } else {
                        latest.get(r.topic()).put(keyText, new JsonNode[] {key, avroJson.toJson(value)});
                    }
                }
            }
        }
        return latest;
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** One JSON object per line, sorted by topic then key; returns the number of lines. */
    private long write(Map<String, Map<String, JsonNode[]>> latest, Path out) throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        long lines = 0;
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Map<String, JsonNode[]>> topic : latest.entrySet()) {
                for (JsonNode[] kv : topic.getValue().values()) {
                    ObjectNode line = JsonNodeFactory.instance.objectNode();
                    line.put("topic", topic.getKey());
                    line.set("key", kv[0]);
                    line.set("value", kv[1]);
                    w.write(json.writeValueAsString(line));
                    w.write('\n');
                    lines++;
                }
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return lines;
    }

    private void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.println("Could not delete temporary directory " + dir + ": " + e.getMessage());
        }
    }
}
