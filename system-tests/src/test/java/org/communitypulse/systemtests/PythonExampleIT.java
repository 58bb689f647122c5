package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-team example, {@code examples/python/daily_engagement.py}, run as a user runs it with
 * Debian's Python against the real broker and registry after the bicycles.meta dump went through
 * the pipeline: the table it prints must hold, for every day, the numbers Java reads from the topic.
 */
class PythonExampleIT extends PlatformTestBase {

    private static final String COMMUNITY = "bicycles.meta";
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("../examples/python/daily_engagement.py");
    private static final List<String> COLUMNS = List.of("threads", "replies", "answers", "comments", "reactions",
            "acceptedAnswers", "newMembers", "activeMembers", "events");

    @Test
    void shouldPrintTheDailyEngagementJavaReadsWhenRunAgainstTheRealDump(@TempDir Path tmp) throws Exception {
        Path dump = realDump(COMMUNITY);
        assumePythonModules();
        assertThat(SCRIPT).isRegularFile();

        String prefix = "py-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (PulseStreamsApp app = new PulseStreamsApp(
                SharedPlatform.streamsConfig(prefix, prefix + "app", tmp.resolve("state"), Map.of()))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(60));
            ImportSummary summary;
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), app.topics().activity(), Map.of())) {
                summary = new StackExchangeImporter().run(dump, COMMUNITY, sink, ProgressListener.NONE);
            }
            awaitProcessedAndEmitted(prefix + "app", app, Duration.ofMinutes(4));
            Map<LocalDate, DailyEngagement> javaRead = readLatest(app.topics().dailyEngagement());
            assertThat(javaRead.values().stream().mapToLong(DailyEngagement::getEvents).sum())
                    .as("the topic holds every imported event").isEqualTo(summary.totalEvents());

            long started = System.nanoTime();
            Run run = runScript(tmp, prefix, COMMUNITY);
            System.out.printf("Python example took %d ms; head:%n%s%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    String.join("\n", run.out().lines().limit(6).toList()));
            assertThat(run.code()).as("exit code; stderr:%n%s", run.err()).isZero();

            Map<LocalDate, Map<String, String>> printed = parseTable(run.out());
            assertThat(printed.keySet()).as("one row per day").isEqualTo(javaRead.keySet()).hasSizeGreaterThan(1000);
            printed.forEach((day, row) -> {
                DailyEngagement want = javaRead.get(day);
                assertThat(row.get("communityId")).isEqualTo(COMMUNITY);
                assertThat(COLUMNS.stream().map(row::get).toList()).as("%s on %s", COLUMNS, day)
                        .containsExactly(
                                String.valueOf(want.getThreads()), String.valueOf(want.getReplies()),
                                String.valueOf(want.getAnswers()), String.valueOf(want.getComments()),
                                String.valueOf(want.getReactions()), String.valueOf(want.getAcceptedAnswers()),
                                String.valueOf(want.getNewMembers()), String.valueOf(want.getActiveMembers()),
                                String.valueOf(want.getEvents()));
            });

            // The community filter: another id gets no rows, and the script still ends on its own.
            Run other = runScript(tmp, prefix, "no.such.community");
            assertThat(other.code()).as("exit code; stderr:%n%s", other.err()).isZero();
            assertThat(other.out()).contains("no daily engagement records for no.such.community");
        }
    }

    private static void assumePythonModules() throws Exception {
        boolean usable = Files.isExecutable(Path.of(PYTHON));
        if (usable) {
            Process check = new ProcessBuilder(PYTHON, "-c", "import confluent_kafka.avro, avro, pandas")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            usable = check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
        }
        Assumptions.assumeTrue(usable, PYTHON + " lacks confluent_kafka, avro or pandas "
                + "(apt-get install python3-confluent-kafka python3-avro python3-pandas)");
    }

    private static Run runScript(Path tmp, String prefix, String community) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process process = new ProcessBuilder(PYTHON, SCRIPT.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.ccompatUrl(),
                "--topic-prefix", prefix, "--community", community, "--timeout", "120")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // The script must stop by itself at the end offsets; its own timeout is 120 s.
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the Python example did not stop by itself; stderr:\n" + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** pandas' {@code to_string(index=False)}: a header line, then one whitespace-separated row per day. */
    private static Map<LocalDate, Map<String, String>> parseTable(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("printed table").isNotEmpty();
        List<String> header = Arrays.asList(lines.get(0).trim().split("\\s+"));
        assertThat(header).contains("communityId", "day").containsAll(COLUMNS);
        Map<LocalDate, Map<String, String>> rows = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            assertThat(cells).as("cells of %s", line).hasSize(header.size());
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < cells.length; i++) {
                row.put(header.get(i), cells[i]);
            }
            assertThat(rows.put(LocalDate.parse(row.get("day")), row)).as("one row for %s", row.get("day")).isNull();
        }
        return rows;
    }

    /** The latest value per day, read to the committed end of every partition. */
    private static Map<LocalDate, DailyEngagement> readLatest(Topic<CommunityDayKey, DailyEngagement> topic) {
        Map<String, Object> config = new HashMap<>(SharedPlatform.committedReader());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<LocalDate, DailyEngagement> latest = new TreeMap<>();
        try (KafkaConsumer<CommunityDayKey, DailyEngagement> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                assertThat(System.nanoTime()).as("read %s to its end in time", topic.name()).isLessThan(deadline);
                for (ConsumerRecord<CommunityDayKey, DailyEngagement> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        latest.remove(r.key().getDay());
                    } else {
                        latest.put(r.key().getDay(), r.value());
                    }
                }
            }
        }
        return latest;
    }

    private record Run(int code, String out, String err) {
    }
}
