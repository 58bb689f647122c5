package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.StreamsCatchUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under hard kills: {@code pulse streams} runs in its own JVM over a long seeded input
 * (with duplicates and poison records), is killed with SIGKILL at seeded random points and restarted
 * each time with the same application id, every third restart on a wiped state directory. Its final
 * outputs must equal those of a clean single run of the same input, record for record: the latest
 * value of every key of every metric topic, and the whole FIRING/RESOLVED sequence of every alert.
 * Intake is checked from the committed outputs: every distinct event counted once, every poison
 * record dead-lettered once.
 *
 * <p>Short by default ({@value #DEFAULT_KILLS} kills, about 24,000 events); the {@code reliability}
 * profile sets {@value #KILLS} and the input size ({@link ReliabilityInput}).
 */
class HardKillIT extends PlatformTestBase {

    static final String KILLS = "pulse.reliability.kills";
    static final String SEED = "pulse.reliability.seed";
    private static final int DEFAULT_KILLS = 3;
    private static final long DEFAULT_SEED = 20_261_123L;
    /** Restarts after kill number 2, 5, 8, ... start from an empty state directory. */
    private static final int WIPE_EVERY = 3;
    private static final Duration EMIT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);
    private static final int SHOWN = 20;


    @Test
    void shouldEqualACleanRunRecordForRecordWhenStreamsIsKilledHardAtRandomPoints(@TempDir Path tmp)
            throws Exception {
        int kills = Integer.getInteger(KILLS, DEFAULT_KILLS);
        long seed = Long.getLong(SEED, DEFAULT_SEED);
        ReliabilityInput input = ReliabilityInput.fromSystemProperties(seed);
        System.out.println("[hard-kill] input: " + input.describe());

        // The reference run goes on beside the killed one: most of either is waiting, not computing.
        long[] cleanMs = new long[1];
        CompletableFuture<OutputSnapshot> cleanRun = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            try {
                return cleanRun(input, tmp.resolve("clean-state"));
            } catch (Exception e) {
                throw new CompletionException(e);
            } finally {
                cleanMs[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            }
        });
        long faultyStarted = System.nanoTime();
        KilledRun killed = killedRun(input, kills, new Random(seed), tmp);
        long faultyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultyStarted);
        OutputSnapshot faulty = killed.snapshot();
        OutputSnapshot clean = result(cleanRun);

        System.out.printf("[hard-kill] clean run %d ms; killed run %d ms with %d kills (%d on wiped state) at %s;"
                        + " %d keys and %d alert records compared; accepted %d, dead-lettered %d, late %d, "
                        + "dedup ids %d; records read clean %d / faulty %d%n",
                cleanMs[0], faultyMs, kills, killed.wipes(), killed.killPoints(), clean.keys(), clean.alertRecords(),
                faulty.acceptedEvents(), faulty.deadLetters(), faulty.lateEvents(), faulty.dedupIds(),
                clean.recordsRead(), faulty.recordsRead());

        assertThat(clean.keys()).as("metric keys of the clean run").isGreaterThan(100);
        List<String> differences = clean.differences(faulty, SHOWN);
        if (!differences.isEmpty()) {
            fail("The killed run's outputs differ from the clean run's:%n%s",
                    String.join(System.lineSeparator(), differences));
        }
        assertIntake(faulty, input);
        assertIntake(clean, input);
    }

    /** Nothing lost, nothing double-counted, from what the run committed. */
    private static void assertIntake(OutputSnapshot out, ReliabilityInput input) {
        assertThat(out.acceptedEvents()).as("events counted in the daily metrics").isEqualTo(input.distinctEvents());
        assertThat(out.dedupIds()).as("distinct event ids in the dedup store").isEqualTo(input.distinctEvents());
        assertThat(out.deadLetters()).as("dead letters").isEqualTo(input.poison());
        assertThat(out.lateEvents()).as("late events").isZero();
        long duplicates = input.records() - out.acceptedEvents() - out.deadLetters() - out.lateEvents();
        assertThat(duplicates).as("input records neither accepted, late nor dead-lettered").isEqualTo(input.duplicates());
    }

    /** The reference: one in-process instance, never disturbed; its intake counters must add up too. */
    static OutputSnapshot cleanRun(ReliabilityInput input, Path state) throws Exception {
        String prefix = "clean-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        try (PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, appId, state,
                Map.of(PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, false,
                        PulseStreamsConfig.HTTP_PORT_CONFIG, PulseStreamsConfig.HTTP_PORT_DISABLED)))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            input.sendTo(SharedPlatform.kafka().bootstrapServers(), app.topics().activity());
            try (Admin admin = Admin.create(SharedPlatform.kafka().clientConfig())) {
                app.awaitCaughtUp(new StreamsCatchUp(admin, appId, app.topics().activity().name()), RUN_TIMEOUT, false);
            }
            long counted = metric(app, "accepted-total") + metric(app, "duplicates-total") + metric(app, "late-total")
                    + metric(app, "dead-lettered-total");
            // The counters live outside the transactions: a task closed before the end (an aborted transaction on
            // a loaded machine, the task migrated and its records processed again) counts those records twice
            // there, never in the outputs, which OutputSnapshot checks exactly. Undisturbed, they add up exactly.
            long tasksClosed = metric(app, "stream-thread-metrics", "task-closed-total");
            if (tasksClosed == 0) {
                assertThat(counted).as("accepted + duplicates + late + dead-lettered counters")
                        .isEqualTo(input.records());
                assertThat(metric(app, "duplicates-total")).as("duplicates counter").isEqualTo(input.duplicates());
            } else {
                System.out.printf("[clean run] %d task(s) closed and reopened: counters %d for %d records%n",
                        tasksClosed, counted, input.records());
                assertThat(counted).as("accepted + duplicates + late + dead-lettered counters, a task reprocessed")
                        .isGreaterThanOrEqualTo(input.records());
            }
            return OutputSnapshot.read(SharedPlatform.kafka().bootstrapServers(), app.topics(), appId, Duration.ofMinutes(2));
        }
    }

    record KilledRun(OutputSnapshot snapshot, List<String> killPoints, int wipes) {
    }

    private static KilledRun killedRun(ReliabilityInput input, int kills, Random random, Path tmp) throws Exception {
        String prefix = "killed-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        Path state = tmp.resolve("killed-state");
        Path log = tmp.resolve("streams-process.log");
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.ccompatUrl())) {
            AvroSerdes serdes = new AvroSerdes(client, true);
            Topics topics = new Topics(prefix, serdes);
            PulseStreamsApp.createTopics(kafka.bootstrapServers(), topics.names(), 3);
            // The whole input is there before the first start: a long replay, killed as it goes.
            input.sendTo(kafka.bootstrapServers(), topics.activity());
            Deserializer<CommunityState> communityState = serdes.forValue(CommunityState.class).deserializer();
            return killedRun(input, kills, random, prefix, topics,
                    () -> SettledOutputs.pendingInChangelog(kafka.bootstrapServers(), appId, communityState),
                    state, log);
        }
    }

    private static KilledRun killedRun(ReliabilityInput input, int kills, Random random, String prefix, Topics topics,
                                       Supplier<Long> pending, Path state, Path log) throws Exception {
        String appId = prefix + "app";
        Map<String, String> config = Map.of(
                PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, "false",
                PulseStreamsConfig.HTTP_PORT_CONFIG, Integer.toString(PulseStreamsConfig.HTTP_PORT_DISABLED),
                PulseStreamsConfig.METRICS_EMIT_INTERVAL_CONFIG, Long.toString(EMIT_INTERVAL.toMillis()),
                // A killed member never leaves its group: without this each restart waits 45 s for it to expire.
                PulseStreamsConfig.STREAMS_PREFIX + "session.timeout.ms", "6000",
                PulseStreamsConfig.STREAMS_PREFIX + "heartbeat.interval.ms", "1500");
        List<Double> points = new ArrayList<>();
        for (int i = 0; i < kills - 1; i++) {
            points.add(0.05 + 0.9 * random.nextDouble());
        }
        points.sort(Comparator.naturalOrder());
        // The last kill comes once every input record is committed, while metric records may still be pending.
        points.add(1.0);

        List<String> described = new ArrayList<>();
        int wipes = 0;
        long started = System.nanoTime();
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            StreamsCatchUp catchUp = new StreamsCatchUp(admin, appId, topics.activity().name());
            for (int k = 0; k < kills; k++) {
                long target = (long) Math.ceil(points.get(k) * input.records());
                StreamsProcess process = StreamsProcess.start(kafka.bootstrapServers(), registry.ccompatUrl(), prefix,
                        appId, state, config, log);
                try {
                    SettledOutputs.awaitProcessed(catchUp, target, RUN_TIMEOUT, process::isAlive,
                            () -> process.logTail(40));
                    // A random moment past the mark, so kills fall anywhere relative to commits and emissions.
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(1_000));
                    long at = catchUp.progress().processed();
                    process.kill();
                    boolean wipe = (k + 1) % WIPE_EVERY == 2;
                    described.add(String.format("%.0f%%%s", 100.0 * at / input.records(), wipe ? "+wipe" : ""));
                    System.out.printf("[hard-kill] kill %d of %d (pid %d) at %d of %d records committed, %d s into the run%s%n",
                            k + 1, kills, process.pid(), at, input.records(),
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), wipe ? "; state wiped" : "");
                    if (wipe) {
                        deleteRecursively(state);
                        wipes++;
                    }
                } finally {
                    process.kill();
                }
            }
            try (StreamsProcess process = StreamsProcess.start(kafka.bootstrapServers(), registry.ccompatUrl(), prefix,
                    appId, state, config, log)) {
                SettledOutputs.await(admin, catchUp, topics.metricTopics().stream().map(Topic::name).toList(),
                        EMIT_INTERVAL, pending, RUN_TIMEOUT, process::isAlive, () -> process.logTail(40));
                OutputSnapshot snapshot = OutputSnapshot.read(kafka.bootstrapServers(), topics, appId,
                        Duration.ofMinutes(2));
                return new KilledRun(snapshot, described, wipes);
            }
        }
    }

    /** The value of {@code future}, or what it failed with (an assertion error stays one). */
    static <T> T result(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            throw cause instanceof Exception exception ? exception : e;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
