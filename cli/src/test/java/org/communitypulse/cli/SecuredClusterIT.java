package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse generate} against a cluster that only speaks SASL (an in-process KRaft broker whose client listener
 * is SASL_PLAINTEXT with PLAIN users) and a registry that requires HTTP basic authentication (a small loopback
 * server answering Confluent's register call): with {@code --command-config} it publishes every event; without
 * it the command fails within the reachability timeout with a message about security settings, and without the
 * registry's credentials it fails naming the missing credentials.
 */
class SecuredClusterIT {

    private static final String TOPIC = "secured.activity";
    private static final String REGISTRY_USER_INFO = "pulse:registry-Pa55";

    private static KafkaClusterTestKit kafka;
    private static HttpServer registry;
    private static final List<String> registryAuthorizations = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, f -> f.defaultLevel(version)));
        TestKitNodes nodes = new TestKitNodes.Builder(BootstrapMetadata.fromVersions(version, features, "secured-it"))
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        Map.of("offsets.topic.replication.factor", "1", "transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1", "group.initial.rebalance.delay.ms", "0",
                        "auto.create.topics.enable", "false", "unstable.api.versions.enable", "false",
                        "unstable.feature.versions.enable", "false")
                .forEach(builder::setConfigProp);
        kafka = builder.build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config", adminJaas()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        String expected = "Basic " + Base64.getEncoder().encodeToString(REGISTRY_USER_INFO.getBytes(StandardCharsets.UTF_8));
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            registryAuthorizations.add(String.valueOf(authorization));
            boolean allowed = expected.equals(authorization);
            String path = exchange.getRequestURI().getPath();
            String body = !allowed ? "{\"error_code\":401,\"message\":\"Unauthorized\"}"
                    : path.equals("/subjects") ? "[]" : "{\"id\":1}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(allowed ? 200 : 401, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        registry.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.stop(0);
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String adminJaas() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD + "\";";
    }

    private static String registryUrl() {
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    /** A client properties file as an operator would write it, registry credentials included. */
    private static Path commandConfig(boolean withRegistryCredentials) throws Exception {
        String text = "security.protocol=SASL_PLAINTEXT\n"
                + "sasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=" + adminJaas() + "\n"
                + (withRegistryCredentials ? "basic.auth.credentials.source=USER_INFO\nbasic.auth.user.info="
                + REGISTRY_USER_INFO + "\n" : "");
        Path file = Files.createTempFile(dir, "client", ".properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shouldPublishToTheSaslClusterAndTheAuthenticatedRegistryWithTheCommandConfig() throws Exception {
        registryAuthorizations.clear();
        Result result = generate("--command-config", commandConfig(true).toString());

        assertThat(result.code).as(result.err).isZero();
        assertThat(result.out).contains("Published to topic " + TOPIC);
        assertThat(result.out + result.err).doesNotContain("registry-Pa55")
                .doesNotContain(JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
        assertThat(registryAuthorizations).isNotEmpty().allMatch(a -> a.startsWith("Basic "));
        assertThat(recordsOnTopic()).isPositive();
    }

    @Test
    void shouldFailWithinTheReachabilityTimeoutAndNameSecuritySettingsWithoutTheCommandConfig() {
        long started = System.nanoTime();
        Result result = generate("-X", "pulse.reachability.timeout.ms=4000");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("Cannot reach Kafka at " + kafka.bootstrapServers() + " within 4 s")
                .contains("security.protocol");
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void shouldFailNamingTheMissingRegistryCredentialsWhenOnlyKafkasAreGiven() throws Exception {
        Result result = generate("--command-config", commandConfig(false).toString());

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("401").contains("the registry wants credentials and none were given");
    }

    @Test
    void shouldCreateTheStreamsTopicsOnTheSaslClusterWithTheSettingsPulseStreamsGets() throws Exception {
        GenerateCommand command = new GenerateCommand();
        new picocli.CommandLine(command).parseArgs("--command-config", commandConfig(true).toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registryUrl() + "/x");
        org.communitypulse.streams.PulseStreamsConfig config = StreamsCommand.config(command.connection, "secured-app",
                dir.resolve("state"), Map.of(), Map.of());

        org.communitypulse.streams.PulseStreamsApp.createTopics(config.adminClientProperties(),
                config.bootstrapServers(), List.of("secured.streams-a", "secured.streams-b"), 2, java.util.Set.of());

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config", adminJaas()))) {
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .contains("secured.streams-a", "secured.streams-b");
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result generate(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--communities", "1", "--members", "30",
                "--days", "3", "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registryUrl(),
                "--topic-prefix", "secured."));
        args.addAll(List.of(options));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = PulseCommand.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        Result result = new Result(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        out.print(result.out);
        err.print(result.err);
        return result;
    }

    private static long recordsOnTopic() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", adminJaas()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            return Optional.ofNullable(consumer.endOffsets(List.of(partition), Duration.ofSeconds(20)).get(partition))
                    .orElse(0L);
        }
    }
}
