package org.communitypulse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.generator.ActivityGenerator;
import org.communitypulse.ingest.http.WebhookServer;
import org.communitypulse.ingest.http.WebhookServerConfig;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.schemas.serde.AvroSerdeConfig;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.http.AccessControl;
import org.communitypulse.streams.http.Dashboard;
import org.communitypulse.streams.http.HttpTokenFiles;
import org.communitypulse.streams.http.PulseHttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pulse run}: the whole pipeline on this machine, no Docker. Starts an embedded KRaft broker
 * and Apicurio registry (unless pointed at existing ones), the Streams application with the
 * dashboard, the webhook receiver, and feeds it from the generator or a Stack Exchange dump; prints
 * the URLs and live engagement until Ctrl-C, then stops the generator, the webhook receiver, Streams,
 * the registry and the broker, in that order. State lives in {@code --data-dir}, so a second run
 * continues where the first stopped.
 *
 * <p>Connections come from the options or variables every command shares ({@link ConnectionOptions}):
 * given {@code PULSE_BOOTSTRAP_SERVERS} (or the option) it uses that cluster instead of starting one, and
 * likewise for the registry; then the embedded stack is not needed at all.
 *
 * <p>Stopping has one owner, this command's shutdown hook, and every step has a bound: shutdown hooks run
 * concurrently, so a broker or registry stopping itself on SIGTERM would leave Streams closing against
 * nothing and waiting out its close timeout (seen: 30 s in 2 of 6 stops).
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

    @Option(names = "--stackexchange", description = "Import this Stack Exchange dump folder instead of generating activity.")
    Path stackExchangeDump;

    @Option(names = "--community", defaultValue = "stackexchange", description = "Community id for --stackexchange. Default: ${DEFAULT-VALUE}.")
    String community;

    @Option(names = "--communities", defaultValue = "3", description = "Generated communities. Default: ${DEFAULT-VALUE}.")
    int communities;

    @Option(names = "--rate", defaultValue = "20",
            description = "Generated events per second; 0: no generator (webhooks only). Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(names = "--duration", description = "Stop after this many seconds (default: run until Ctrl-C).")
    Long durationSeconds;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    StreamsAppOptions streamsApp;

    @Option(names = "--http-port", defaultValue = "${env:PULSE_HTTP_PORT:-7070}",
            description = "Port of the dashboard, its API and the Streams /metrics (env PULSE_HTTP_PORT). "
                    + "Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--webhook-port", defaultValue = "8080",
            description = "Port of the webhook receiver (POST /webhooks/<platform>/<community>). Default: ${DEFAULT-VALUE}.")
    int webhookPort;

    @Option(names = "--webhook-host", defaultValue = "${env:PULSE_WEBHOOKS_HOST:-" + WebhookServerConfig.HOST_DEFAULT + "}",
            description = "Interface of the webhook receiver (env PULSE_WEBHOOKS_HOST); 0.0.0.0 to accept webhooks "
                    + "from other machines. Default: ${DEFAULT-VALUE} (this machine only).")
    String webhookHost;

    /** Bounds of the stop: together well under the 10 s a container stop (docker stop) allows. */
    static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration THREAD_STOP_WAIT = Duration.ofSeconds(2);
    /** The organisation the generated communities are declared to belong to. */
    static final String DEMO_ORGANISATION = "demo";
    private static final String USE_EXISTING = "point it at a running Kafka and registry with --bootstrap-servers and "
            + "--registry-url (or PULSE_BOOTSTRAP_SERVERS and PULSE_SCHEMA_REGISTRY_URL)";

    /** Closed first to last: each component is added at the front, so the last started stops first. */
    private final List<Step> toClose = new ArrayList<>();

    /** One component's stop, named for the closing line that says where the time went. */
    private record Step(String name, AutoCloseable action) {
    }

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
            String bootstrap = connection.givenBootstrapServers().orElseGet(this::startKafka);
            String registry = connection.givenRegistryUrl().isPresent() ? connection.registryUrl() : startRegistry();
            String topicPrefix = connection.topicPrefix();
            // An existing secured cluster or registry: the same client settings as every other command.
            ClientSettings client = connection.clientSettings();

            Map<String, Object> props = StreamsCommand.settings(bootstrap, registry, topicPrefix,
                    streamsApp.applicationId, streamsApp.stateDir(dataDir.resolve("streams")), Map.of(), System.getenv(),
                    client);
            props.putIfAbsent(PulseStreamsConfig.PARTITIONS_CONFIG, 3);
            props.put(PulseStreamsConfig.HTTP_PORT_CONFIG, httpPort);
            streamsApp.httpHost().ifPresent(host -> props.put(PulseStreamsConfig.HTTP_HOST_CONFIG, host));
            PulseStreamsApp app = new PulseStreamsApp(new PulseStreamsConfig(props));
            // Closed before the broker and registry it talks to: a Streams app closed after its broker
            // cannot leave its group or finish its transaction, and the next run waits for both to time out.
            closeFirst(new Step("streams", () -> app.close(STREAMS_CLOSE_TIMEOUT)));
            app.start();
            app.awaitRunning(Duration.ofSeconds(60));

            EngagementWatcher watcher = new EngagementWatcher(bootstrap, app.topics().dailyEngagement(), client.kafka());
            closeFirst(new Step("watcher", watcher));
            registerActivitySchema(client.registryConfig(registry), app);
            Path secrets = dataDir.resolve("webhooks").toAbsolutePath();
            WebhookServer webhooks = startWebhooks(bootstrap, app, secrets, client);
            String dashboard = "http://" + browserHost(new PulseStreamsConfig(props)) + ":" + app.httpPort().orElseThrow();
            String ingest = "http://localhost:" + webhooks.port();
            System.out.println();
            System.out.println("Community Pulse is running.");
            System.out.println("  Dashboard               : " + dashboard + "/");
            System.out.println("  Dashboard API           : " + dashboard + Dashboard.COMMUNITIES_PATH);
            // The console only, never a log: the link carries the generated admin token.
            System.out.println("  Dashboard access        : " + app.generatedTokenFile()
                    .map(file -> "log in with " + loginLink(dashboard, file) + "\n                            (admin "
                            + "token in " + file.toAbsolutePath() + "; PULSE_HTTP_ADMIN_TOKEN_FILE sets your own)")
                    .orElse("the token of PULSE_HTTP_ADMIN_TOKEN(_FILE) or PULSE_HTTP_READ_TOKEN(_FILE)"));
            System.out.println("  Metrics (Prometheus)    : " + dashboard + PulseHttpServer.METRICS_PATH + " (pipeline), "
                    + ingest + "/metrics (webhooks)");
            System.out.println("  Webhooks                : POST " + ingest + "/webhooks/{github,slack,discourse}/<community>");
            System.out.println("  Webhook secrets         : " + secretsDescription(secrets));
            System.out.println("  Kafka bootstrap servers : " + bootstrap);
            System.out.println("  Schema registry         : " + registry);
            System.out.println("  Streams application id  : " + props.get(PulseStreamsConfig.APPLICATION_ID_CONFIG));
            System.out.println("  Input topic             : " + app.topics().activity().name());
            System.out.println("  Daily engagement topic  : " + app.topics().dailyEngagement().name());
            System.out.println("  Dead letters            : " + app.topics().activityDeadLetters().name());
            System.out.println("  State                   : " + dataDir.toAbsolutePath() + " (Streams: "
                    + props.get(PulseStreamsConfig.STATE_DIR_CONFIG) + ")");
            System.out.println("Press Ctrl-C to stop.");
            System.out.println();

            if (stackExchangeDump != null) {
                int code = ImportCommand.importStackExchange(stackExchangeDump, community, bootstrap, registry, topicPrefix,
                        client);
                if (code == 2) {
                    return 2;
                }
            } else if (rate > 0) {
                startGenerator(bootstrap, app, stopping, client);
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
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // A signal arrived just now: the hook is running; closeAll below waits for it and finds nothing left.
                }
                closeAll();
            }
        }
    }

    /** Where a browser on this machine reaches the server: its bind address unless that is loopback or any. */
    private static String browserHost(PulseStreamsConfig config) {
        String host = config.getString(PulseStreamsConfig.HTTP_HOST_CONFIG);
        return Set.of("127.0.0.1", "0.0.0.0", "::", "localhost").contains(host) ? "localhost" : host;
    }

    private static String loginLink(String dashboard, Path tokenFile) {
        try {
            return dashboard + AccessControl.LOGIN_PATH + "?token=" + HttpTokenFiles.read(tokenFile);
        } catch (IOException e) {
            return dashboard + AccessControl.LOGIN_PATH + " (" + tokenFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    private String startKafka() {
        EmbeddedStack.require("pulse run without --bootstrap-servers (or PULSE_BOOTSTRAP_SERVERS)", USE_EXISTING);
        System.out.println("Starting embedded Kafka (KRaft) on localhost:" + kafkaPort + " ...");
        EmbeddedStack.Service kafka = EmbeddedStack.kafka(dataDir.resolve("kafka"), kafkaPort, false);
        closeFirst(new Step("kafka", kafka));
        return kafka.address();
    }

    private String startRegistry() {
        EmbeddedStack.require("pulse run without --registry-url (or PULSE_SCHEMA_REGISTRY_URL)", USE_EXISTING);
        System.out.println("Starting schema registry (Apicurio, Confluent-compatible API) on port " + registryPort + " ...");
        EmbeddedStack.Service registry = EmbeddedStack.registry(dataDir.resolve("registry"), dataDir.resolve("logs"),
                registryPort, false);
        closeFirst(new Step("registry", registry));
        return registry.address();
    }

    /**
     * Registers the activity value schema before the webhook receiver and the generator start: each would
     * register it on its first send, and Apicurio answers one of two simultaneous first registrations of a
     * subject with 409, which the receiver would report to the platform as 503.
     */
    private static void registerActivitySchema(Map<String, Object> registryConfig, PulseStreamsApp app) {
        try (SchemaRegistryClient client = new AvroSerdeConfig(registryConfig).newClient()) {
            // The serdes' subject (TopicNameStrategy): <topic>-value.
            client.register(app.topics().activity().name() + "-value", ActivityEvent.getClassSchema());
        }
    }

    /** The webhook receiver, publishing to the pipeline's activity topic; closed before Streams. */
    private WebhookServer startWebhooks(String bootstrap, PulseStreamsApp app, Path secrets, ClientSettings client)
            throws IOException {
        Map<String, String> extra = new HashMap<>();
        client.kafka().forEach((key, value) -> extra.put(key, String.valueOf(value)));
        LocalWebhookSecrets.settings(secrets, System.getenv()).forEach((key, value) -> extra.put(key, value.toString()));
        // A local single-user sandbox: one generated secret per platform signs for any community in the path.
        // `pulse webhooks` keeps the default, where a body only reaches the community it was signed for.
        extra.put(WebhookServerConfig.ANY_COMMUNITY_CONFIG, "true");
        WebhooksCommand.Settings settings = WebhooksCommand.settings(webhookPort, webhookHost, null, extra);
        WebhookServer server = WebhookServer.forKafka(settings.server(), System.getenv(), bootstrap,
                app.topics().activity(), app.topics().erasures(), app.topics().webhookDeliveries(),
                settings.producer()).start();
        closeFirst(new Step("webhooks", server));
        return server;
    }

    private static String secretsDescription(Path secrets) {
        if (!Files.isDirectory(secrets)) {
            return "from the environment (PULSE_<PLATFORM>_SECRET)";
        }
        return secrets + "/<platform>.secret (generated for local use, kept across runs; "
                + "PULSE_<PLATFORM>_SECRET overrides)";
    }

    private void startGenerator(String bootstrap, PulseStreamsApp app, AtomicBoolean stopping, ClientSettings client) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= communities; i++) {
            ids.add("community-" + i);
        }
        // A fresh seed per run: a restart continues with new activity instead of repeating ids.
        ActivityGenerator generator = new ActivityGenerator(ids, 500, System.currentTimeMillis());
        KafkaEventSink sink = new KafkaEventSink(bootstrap, app.topics().activity(), client.kafka());
        closeFirst(new Step("producer", sink));
        // The generated communities belong to one organisation, so the dashboard opens on an organisation view.
        Instant today = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        for (String id : ids) {
            sink.send(Declaration.of(id, today, Map.of(Declaration.KIND, "organisation", "organisation", DEMO_ORGANISATION,
                    "name", "Demo organisation (generated)", Declaration.EVIDENCE, "pulse run",
                    Declaration.DECLARED_BY, "pulse run")).toEvent(SourcePlatform.GENERATOR));
        }
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
        // Stopped and waited for before its producer closes under it.
        closeFirst(new Step("generator", () -> {
            thread.interrupt();
            thread.join(THREAD_STOP_WAIT.toMillis());
        }));
        System.out.println("Generating " + rate + " events/s for " + ids + " (organisation " + DEMO_ORGANISATION + ").");
    }

    // The shutdown hook may run closeAll while start-up still adds steps: both sides hold the same lock.
    private synchronized void closeFirst(Step step) {
        toClose.add(0, step);
    }

    private synchronized void closeAll() {
        if (toClose.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        List<String> times = new ArrayList<>();
        for (Step step : toClose) {
            long stepStarted = System.nanoTime();
            try {
                step.action().close();
            } catch (Exception e) {
                System.err.println("While stopping " + step.name() + ": " + e.getMessage());
            }
            times.add(step.name() + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stepStarted));
        }
        toClose.clear();
        System.out.println("Stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms ("
                + String.join(", ", times) + " ms).");
    }
}
