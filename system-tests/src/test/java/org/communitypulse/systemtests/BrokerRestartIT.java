package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.StreamsCatchUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away in the middle of a run and comes back on the same port and data directory
 * while the importer's producer ({@link KafkaEventSink}, default settings) is still sending and Streams
 * is still processing. Both must carry on by themselves, and the final outputs must equal a clean run's
 * of the same input, record for record, with every distinct event counted once.
 */
class BrokerRestartIT {

    /** Short default: about 8,000 events; the reliability profile sizes it like the hard-kill run. */
    private static final int COMMUNITIES = 4;
    private static final int MEMBERS = 600;
    private static final int DAYS = 40;
    private static final long SEED = 20_261_124L;
    /** How long the broker stays down: long enough for every client to notice, short of the producer's 25 s. */
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    /** Events are sent in slices with a pause between them, so the outage falls in the middle of sending. */
    private static final int SLICE = 100;
    private static final long SLICE_PAUSE_MS = 100;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final int SHOWN = 20;

    @Test
    void shouldEqualACleanRunWhenTheBrokerRestartsWhileProducerAndStreamsAreBusy(@TempDir Path tmp) throws Exception {
        ApicurioRegistry registry = SharedPlatform.registry();
        ReliabilityInput input = ReliabilityInput.fromSystemProperties(SEED, COMMUNITIES, MEMBERS, DAYS);
        System.out.println("[broker-restart] input: " + input.describe());
        int port = freePort();
        Path data = tmp.resolve("kafka");
        // The reference run, on the shared broker, goes on beside the disturbed one.
        CompletableFuture<OutputSnapshot> cleanRun = CompletableFuture.supplyAsync(() -> {
            try {
                return cleanRun(SharedPlatform.kafka(), registry, input, tmp.resolve("clean-state"));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().dataDir(data).port(port).start();
        try {
            String prefix = "restart-" + UUID.randomUUID().toString().substring(0, 8) + ".";
            String appId = prefix + "app";
            OutputSnapshot faulty;
            long restartMs;
            long[] counters;
            try (PulseStreamsApp app = new PulseStreamsApp(config(kafka, registry, prefix, appId, tmp.resolve("state")))) {
                app.start();
                app.awaitRunning(Duration.ofSeconds(90));
                AtomicLong sent = new AtomicLong();
                // The same address before and after the restart: the fixed port.
                String bootstrap = kafka.bootstrapServers();
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try (KafkaEventSink sink = new KafkaEventSink(bootstrap, app.topics().activity(), Map.of())) {
                        input.sendTo(bootstrap, app.topics().activity(), paced(sink, sent));
                    }
                });
                try (Admin admin = Admin.create(kafka.clientConfig())) {
                    StreamsCatchUp catchUp = new StreamsCatchUp(admin, appId, app.topics().activity().name());
                    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
                    // Mid-run for both: a third of the input sent, and Streams has committed some of it.
                    while (sent.get() < input.records() / 3 || catchUp.progress().processed() == 0) {
                        assertThat(System.nanoTime()).as("a third of the input sent and some processed")
                                .isLessThan(deadline);
                        assertThat(sending).as("sending").isNotCompletedExceptionally();
                        TimeUnit.MILLISECONDS.sleep(50);
                    }
                }
                long stopped = System.nanoTime();
                kafka.close();
                // The outage itself.
                TimeUnit.MILLISECONDS.sleep(OUTAGE.toMillis());
                kafka = EmbeddedKafkaCluster.builder().dataDir(data).port(port).start();
                restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
                System.out.printf("[broker-restart] broker stopped after %d of %d records sent, back after %d ms%n",
                        sent.get(), input.records(), restartMs);

                sending.get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                try (Admin admin = Admin.create(kafka.clientConfig())) {
                    app.awaitCaughtUp(new StreamsCatchUp(admin, appId, app.topics().activity().name()),
                            RUN_TIMEOUT, false);
                }
                faulty = OutputSnapshot.read(kafka.bootstrapServers(), app.topics(), appId, Duration.ofMinutes(2));
                counters = new long[] {PlatformTestBase.metric(app, "accepted-total"), PlatformTestBase.metric(app, "duplicates-total"),
                        PlatformTestBase.metric(app, "late-total"), PlatformTestBase.metric(app, "dead-lettered-total")};
            }

            OutputSnapshot clean = HardKillIT.result(cleanRun);
            System.out.printf("[broker-restart] %d keys and %d alert records compared; accepted %d, dead-lettered %d,"
                            + " late %d, dedup ids %d; counters accepted %d duplicates %d late %d dead-lettered %d%n",
                    clean.keys(), clean.alertRecords(), faulty.acceptedEvents(), faulty.deadLetters(),
                    faulty.lateEvents(), faulty.dedupIds(), counters[0], counters[1], counters[2], counters[3]);

            List<String> differences = clean.differences(faulty, SHOWN);
            if (!differences.isEmpty()) {
                fail("Outputs after the broker restart differ from the clean run's:%n%s",
                        String.join(System.lineSeparator(), differences));
            }
            assertThat(faulty.acceptedEvents()).as("events counted").isEqualTo(input.distinctEvents());
            assertThat(faulty.dedupIds()).as("distinct event ids stored").isEqualTo(input.distinctEvents());
            assertThat(faulty.deadLetters()).as("dead letters").isEqualTo(input.poison());
            assertThat(faulty.lateEvents()).as("late events").isZero();
            // The counters live in memory, outside the transactions: a batch aborted by the outage and processed
            // again counts twice there (never in the outputs). So: every record went down one of the four paths.
            assertThat(counters[0] + counters[1] + counters[2] + counters[3])
                    .as("accepted + duplicates + late + dead-lettered counters").isGreaterThanOrEqualTo(input.records());
            // The producer is idempotent: the restart made it resend, but the topic holds each record once.
            assertThat(inputRecords(kafka, prefix)).as("records in the activity topic").isEqualTo(input.records());
        } finally {
            kafka.close();
        }
    }

    private static OutputSnapshot cleanRun(KafkaCluster kafka, ApicurioRegistry registry,
                                           ReliabilityInput input, Path state) throws Exception {
        String prefix = "restart-clean-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        try (PulseStreamsApp app = new PulseStreamsApp(config(kafka, registry, prefix, appId, state))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            input.sendTo(kafka.bootstrapServers(), app.topics().activity());
            try (Admin admin = Admin.create(kafka.clientConfig())) {
                app.awaitCaughtUp(new StreamsCatchUp(admin, appId, app.topics().activity().name()), RUN_TIMEOUT, false);
            }
            return OutputSnapshot.read(kafka.bootstrapServers(), app.topics(), appId, Duration.ofMinutes(2));
        }
    }

    private static long inputRecords(EmbeddedKafkaCluster kafka, String prefix) throws Exception {
        long[] n = new long[1];
        OutputSnapshot.readAll(kafka.bootstrapServers(), prefix + "activity", Duration.ofMinutes(1), r -> n[0]++);
        return n[0];
    }

    private static PulseStreamsConfig config(KafkaCluster kafka, ApicurioRegistry registry, String prefix,
                                             String appId, Path state) {
        Map<String, Object> props = new HashMap<>();
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseStreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(PulseStreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, false);
        props.put(PulseStreamsConfig.HTTP_PORT_CONFIG, PulseStreamsConfig.HTTP_PORT_DISABLED);
        return new PulseStreamsConfig(props);
    }

    /** {@code sink}, pausing after every {@value #SLICE} events and counting what it was handed. */
    private static EventSink paced(KafkaEventSink sink, AtomicLong sent) {
        return new EventSink() {
            @Override
            public void send(ActivityEvent event) {
                sink.send(event);
                if (sent.incrementAndGet() % SLICE == 0) {
                    try {
                        TimeUnit.MILLISECONDS.sleep(SLICE_PAUSE_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }

            @Override
            public void flush() {
                sink.flush();
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
