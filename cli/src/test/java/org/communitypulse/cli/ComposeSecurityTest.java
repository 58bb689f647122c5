package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, its secured override and the Connect worker file are checked statically (no Docker here):
 * no secret with a public default, nothing but the webhook receiver published beyond the host's loopback, no
 * Prometheus lifecycle API, no anonymous Grafana, a Connect file config provider limited to /run/secrets, and a
 * secured Kafka that offers no plaintext listener outside the container.
 */
class ComposeSecurityTest {

    private static final Path ROOT = Path.of("..");
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Path SECURE = ROOT.resolve("docker-compose.secure.yml");
    /** The one port meant for the internet: platforms post their webhooks to it. */
    private static final String WEBHOOK_SERVICE = "ingest";
    private static final Pattern SECRET_NAME = Pattern.compile(".*(SECRET|PASSWORD|TOKEN|KEY)(_FILE)?$");
    /** {@code ${VAR:?message}} (required) or {@code ${VAR:-}} / {@code ${VAR}} (empty when unset). */
    private static final Pattern NO_PUBLIC_DEFAULT =
            Pattern.compile("\\$\\{\\w+(:\\?[^}]*|:-)?}");

    @Test
    void shouldHoldNoDevelopmentSecretsOrPublicDefaultsForSecrets() throws IOException {
        for (Path file : List.of(COMPOSE, SECURE, ROOT.resolve(".env.example"))) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContainIgnoringCase("dev-only");
        }
        services(COMPOSE).forEach((name, service) -> environment(service).forEach((key, value) -> {
            if (SECRET_NAME.matcher(key).matches() && !key.endsWith("_FILE")) {
                assertThat(value).as(name + " " + key).matches(NO_PUBLIC_DEFAULT);
            }
        }));
    }

    @Test
    void shouldRequireTheWebhookSecretsAndGrafanasPasswordSoComposeFailsFastWithoutThem() throws IOException {
        Map<String, Object> ingest = services(COMPOSE).get(WEBHOOK_SERVICE);
        for (String secret : List.of("PULSE_GITHUB_SECRET", "PULSE_DISCOURSE_SECRET", "PULSE_SLACK_SECRET")) {
            assertThat(environment(ingest).get(secret)).as(secret).startsWith("${" + secret + ":?");
        }
        assertThat(environment(services(COMPOSE).get("grafana")).get("GF_SECURITY_ADMIN_PASSWORD"))
                .startsWith("${GRAFANA_ADMIN_PASSWORD:?");
        // The example names every variable and gives none a value.
        Properties example = properties(ROOT.resolve(".env.example"));
        assertThat(example).containsKeys("PULSE_GITHUB_SECRET", "PULSE_DISCOURSE_SECRET", "PULSE_SLACK_SECRET",
                "GRAFANA_ADMIN_PASSWORD");
        example.forEach((key, value) -> assertThat((String) value).as(".env.example " + key).isEmpty());
    }

    @Test
    void shouldPublishOnlyTheWebhookPortBeyondTheHostsLoopback() throws IOException {
        List<String> published = new ArrayList<>();
        for (Path file : List.of(COMPOSE, SECURE)) {
            services(file).forEach((name, service) -> {
                for (Object port : list(service.get("ports"))) {
                    String mapping = String.valueOf(port);
                    published.add(name + " " + mapping);
                    if (!name.equals(WEBHOOK_SERVICE)) {
                        assertThat(mapping).as(file + ": " + name + " publishes " + mapping).startsWith("127.0.0.1:");
                    }
                }
            });
        }
        assertThat(published).contains(WEBHOOK_SERVICE + " 8080:8080");
    }

    @Test
    void shouldRunPrometheusWithoutTheLifecycleApiAndGrafanaWithoutAnonymousAccess() throws IOException {
        Map<String, Map<String, Object>> services = services(COMPOSE);
        assertThat(list(services.get("prometheus").get("command"))).map(String::valueOf)
                .noneMatch(arg -> arg.contains("enable-lifecycle"))
                .noneMatch(arg -> arg.contains("enable-admin-api"));
        Map<String, String> grafana = environment(services.get("grafana"));
        assertThat(grafana.getOrDefault("GF_AUTH_ANONYMOUS_ENABLED", "false")).isEqualTo("false");
        assertThat(grafana).doesNotContainKey("GF_AUTH_ANONYMOUS_ORG_ROLE");
    }

    @Test
    void shouldLimitConnectsFileConfigProviderAndClientOverrides() throws IOException {
        Properties worker = properties(ROOT.resolve("connect/docker/worker.properties"));
        assertThat(worker.getProperty("config.providers")).isEqualTo("file");
        assertThat(worker.getProperty("config.providers.file.param.allowed.paths")).isEqualTo("/run/secrets");
        assertThat(worker.getProperty("connector.client.config.override.policy")).isEqualTo("None");
    }

    @Test
    void shouldOfferNoPlaintextKafkaListenerOutsideTheContainerInTheSecuredOverride() throws IOException {
        Map<String, String> kafka = environment(services(SECURE).get("kafka"));
        Map<String, String> protocols = new LinkedHashMap<>();
        for (String entry : kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
            String[] parts = entry.split(":");
            protocols.put(parts[0], parts[1]);
        }
        List<String> listeners = Arrays.asList(kafka.get("KAFKA_LISTENERS").split(","));
        assertThat(listeners).hasSizeGreaterThan(1);
        for (String listener : listeners) {
            String name = listener.substring(0, listener.indexOf("://"));
            String host = listener.substring(listener.indexOf("://") + 3, listener.lastIndexOf(':'));
            if (!host.equals("127.0.0.1")) {
                assertThat(protocols.get(name)).as(listener).isEqualTo("SASL_SSL");
            }
        }
        assertThat(environment(services(SECURE).get("ingest"))).containsKeys("PULSE_COMMAND_CONFIG",
                "PULSE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE");
        assertThat(environment(services(SECURE).get("schema-registry")))
                .containsEntry("SCHEMA_REGISTRY_AUTHENTICATION_METHOD", "BASIC");
        // Connect's file provider may read /run/secrets: its container gets only its worker file and the CA.
        assertThat(list(services(SECURE).get("connect").get("volumes"))).map(String::valueOf)
                .noneMatch(volume -> volume.contains(":/run/secrets"))
                .anyMatch(volume -> volume.endsWith("connect-worker.properties:/etc/pulse-connect/worker.properties:ro"));
    }

    @Test
    void shouldMakeTheSecuredProfilesCertificatesAndPasswords(@TempDir Path dir) throws Exception {
        assumeThat(onPath("openssl")).as("openssl on the PATH").isTrue();
        Path out = dir.resolve("generated");
        Process script = new ProcessBuilder("bash", ROOT.resolve("deploy/secure/make-secrets.sh").toString(),
                out.toString()).redirectErrorStream(true).start();
        assertThat(script.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(new String(script.getInputStream().readAllBytes())).isZero();

        Properties client = properties(out.resolve("pulse-client-host.properties"));
        assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(client.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(Path.of(client.getProperty("ssl.truststore.location"))).isRegularFile();
        String password = Files.readString(out.resolve("scram-pulse.password"));
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThat(client.getProperty("sasl.jaas.config")).contains("password=\"" + password + "\"");
        assertThat(Files.readString(out.resolve("registry-user-info"))).startsWith("pulse:");
        assertThat(Files.readString(out.resolve("kafka-keystore.pem"))).contains("BEGIN PRIVATE KEY")
                .contains("BEGIN CERTIFICATE");
        Properties worker = properties(out.resolve("connect-worker.properties"));
        for (String prefix : List.of("", "producer.", "consumer.", "admin.")) {
            assertThat(worker.getProperty(prefix + "security.protocol")).as(prefix).isEqualTo("SASL_SSL");
        }
        assertThat(worker.getProperty("config.providers.file.param.allowed.paths")).isEqualTo("/run/secrets");
        // Run again into the same folder: it refuses rather than overwrite secrets in use.
        Process again = new ProcessBuilder("bash", ROOT.resolve("deploy/secure/make-secrets.sh").toString(),
                out.toString()).redirectErrorStream(true).start();
        assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isNotZero();
        assertThat(Files.readString(out.resolve("scram-pulse.password"))).isEqualTo(password);
    }

    /**
     * The broker's PEM key and certificate load in Kafka's own SSL engine factory without a password, and a client
     * trusting only the generated CA completes a TLS handshake with it for the names kafka and localhost, but not
     * for another name.
     */
    @Test
    void shouldMakeABrokerCertificateThatKafkaLoadsAndItsClientsTrustForTheBrokersNames(@TempDir Path dir)
            throws Exception {
        assumeThat(onPath("openssl")).as("openssl on the PATH").isTrue();
        Path out = dir.resolve("generated");
        Process script = new ProcessBuilder("bash", ROOT.resolve("deploy/secure/make-secrets.sh").toString(),
                out.toString()).redirectErrorStream(true).start();
        assertThat(script.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isZero();
        Properties client = properties(out.resolve("pulse-client-host.properties"));
        DefaultSslEngineFactory server = sslFactory(Map.of("ssl.keystore.type", "PEM",
                "ssl.keystore.location", out.resolve("kafka-keystore.pem").toString()));
        DefaultSslEngineFactory trusting = sslFactory(Map.of(
                "ssl.truststore.type", client.getProperty("ssl.truststore.type"),
                "ssl.truststore.location", client.getProperty("ssl.truststore.location")));

        assertThat(handshake(trusting.createClientSslEngine("kafka", 9092, "https"),
                server.createServerSslEngine("kafka", 9092))).isEqualTo("hello");
        assertThat(handshake(trusting.createClientSslEngine("localhost", 29092, "https"),
                server.createServerSslEngine("localhost", 29092))).isEqualTo("hello");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handshake(
                        trusting.createClientSslEngine("attacker.example", 9092, "https"),
                        server.createServerSslEngine("attacker.example", 9092)))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static DefaultSslEngineFactory sslFactory(Map<String, String> settings) {
        Map<String, Object> values = new java.util.HashMap<>(
                new AbstractConfig(new ConfigDef().withClientSslSupport(), settings).values());
        values.put("ssl.client.auth", "none");
        DefaultSslEngineFactory factory = new DefaultSslEngineFactory();
        factory.configure(values);
        return factory;
    }

    /** Runs a TLS handshake between two engines in memory and returns what the server read from the client. */
    private static String handshake(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer clientOut = ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8));
        ByteBuffer serverOut = ByteBuffer.allocate(0);
        ByteBuffer toServer = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        ByteBuffer toClient = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        ByteBuffer clientIn = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() + 64);
        ByteBuffer serverIn = ByteBuffer.allocate(server.getSession().getApplicationBufferSize() + 64);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 200 && serverIn.position() < 5; round++) {
            client.wrap(clientOut, toServer);
            runTasks(client);
            server.wrap(serverOut, toClient);
            runTasks(server);
            toServer.flip();
            toClient.flip();
            client.unwrap(toClient, clientIn);
            runTasks(client);
            server.unwrap(toServer, serverIn);
            runTasks(server);
            toServer.compact();
            toClient.compact();
        }
        serverIn.flip();
        return StandardCharsets.UTF_8.decode(serverIn).toString();
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> map) {
            map.forEach((key, value) -> env.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
        }
        return env;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
