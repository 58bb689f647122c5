package org.communitypulse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.EmbeddedKafkaCluster;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.generator.ActivityGenerator;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pulse run}: the whole pipeline on this machine, no Docker. Starts an embedded KRaft broker
 * and Apicurio registry (unless pointed at existing ones), the Streams application, and feeds it
 * from the generator or a Stack Exchange dump; prints live engagement until Ctrl-C. State lives in
 * {@code --data-dir}, so a second run continues where the first stopped.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline locally (embedded Kafka and schema registry, no Docker).")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = ".pulse", description = "Where broker, registry and Streams keep state. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Port of the embedded registry. Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of starting one.")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "Use this Confluent-compatible registry instead of starting one.")
    String registryUrl;

    @Option(names = "--stackexchange", description = "Import this Stack Exchange dump folder instead of generating activity.")
    Path stackExchangeDump;

    @Option(names = "--community", defaultValue = "stackexchange", description = "Community id for --stackexchange. Default: ${DEFAULT-VALUE}.")
    String community;

    @Option(names = "--communities", defaultValue = "3", description = "Generated communities. Default: ${DEFAULT-VALUE}.")
    int communities;

    @Option(names = "--rate", defaultValue = "20", description = "Generated events per second. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--duration", description = "Stop after this many seconds (default: run until Ctrl-C).")
    Long durationSeconds;

    @Option(names = "--topic-prefix", defaultValue = "pulse.", description = "Prefix of the pipeline's topics. Default: ${DEFAULT-VALUE}.")
    String topicPrefix;

    /** Closed first to last: each component is added at the front, so the last started stops first. */
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            stop.countDown();
            closeAll();
        }, "pulse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String bootstrap = bootstrapServers != null ? bootstrapServers : startKafka();
            String registry = registryUrl != null ? registryUrl : startRegistry();

            Map<String, Object> props = new HashMap<>();
            props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, registry);
            props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, topicPrefix);
            props.put(PulseStreamsConfig.STATE_DIR_CONFIG, dataDir.resolve("streams").toAbsolutePath().toString());
            props.put(PulseStreamsConfig.PARTITIONS_CONFIG, 3);
            PulseStreamsApp app = new PulseStreamsApp(new PulseStreamsConfig(props));
            // Closed before the broker and registry it talks to: a Streams app closed after its broker
            // cannot leave its group or finish its transaction, and the next run waits for both to time out.
            toClose.add(0, app);
            app.start();
            app.awaitRunning(Duration.ofSeconds(60));

            EngagementWatcher watcher = new EngagementWatcher(bootstrap, app.topics().dailyEngagement());
            toClose.add(0, watcher);
            System.out.println();
            System.out.println("Community Pulse is running.");
            System.out.println("  Kafka bootstrap servers : " + bootstrap);
            System.out.println("  Schema registry         : " + registry);
            System.out.println("  Input topic             : " + app.topics().activity().name());
            System.out.println("  Daily engagement topic  : " + app.topics().dailyEngagement().name());
            System.out.println("  Dead letters            : " + app.topics().activityDeadLetters().name());
            System.out.println("  State                   : " + dataDir.toAbsolutePath());
            System.out.println("Press Ctrl-C to stop.");
            System.out.println();

            if (stackExchangeDump != null) {
                int code = ImportCommand.importStackExchange(stackExchangeDump, community, bootstrap, registry, topicPrefix);
                if (code == 2) {
                    return 2;
                }
            } else {
                startGenerator(bootstrap, app, stopping);
            }
            watcher.start();
            if (durationSeconds != null) {
                stop.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
            return 0;
        } finally {
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeAll();
            }
        }
    }

    private String startKafka() {
        System.out.println("Starting embedded Kafka (KRaft) on localhost:" + kafkaPort + " ...");
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder()
                .dataDir(dataDir.resolve("kafka")).port(kafkaPort).start();
        toClose.add(0, kafka);
        return kafka.bootstrapServers();
    }

    private String startRegistry() {
        System.out.println("Starting schema registry (Apicurio, Confluent-compatible API) on port " + registryPort + " ...");
        ApicurioRegistry registry = ApicurioRegistry.builder()
                .dataDir(dataDir.resolve("registry")).logDir(dataDir.resolve("logs")).port(registryPort).start();
        toClose.add(0, registry);
        return registry.ccompatUrl();
    }

    private void startGenerator(String bootstrap, PulseStreamsApp app, AtomicBoolean stopping) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= communities; i++) {
            ids.add("community-" + i);
        }
        // A fresh seed per run: a restart continues with new activity instead of repeating ids.
        ActivityGenerator generator = new ActivityGenerator(ids, 500, System.currentTimeMillis());
        KafkaEventSink sink = new KafkaEventSink(bootstrap, app.topics().activity(), Map.of());
        toClose.add(0, sink);
        Thread thread = new Thread(() -> {
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
            long next = System.nanoTime();
            while (!stopping.get() && !Thread.currentThread().isInterrupted()) {
                sink.send(generator.next(Instant.now()));
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "pulse-generator");
        thread.setDaemon(true);
        thread.start();
        toClose.add(0, thread::interrupt);
        System.out.println("Generating " + rate + " events/s for " + ids + ".");
    }

    private synchronized void closeAll() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("While stopping: " + e.getMessage());
            }
        }
        toClose.clear();
    }
}
