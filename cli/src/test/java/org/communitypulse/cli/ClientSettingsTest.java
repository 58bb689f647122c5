package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.StreamsConfig;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The client settings every command takes for a secured cluster ({@code --command-config}, {@code -X}, registry
 * credentials from the environment): where each setting goes, and that no secret shows in their text.
 */
class ClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"pulse\" password=\"kafka-Pa55\";";

    @TempDir
    Path dir;

    private Path clientFile() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=" + JAAS
                + "\nssl.truststore.location=/run/secrets/truststore.pem\nssl.truststore.type=PEM\n"
                + "basic.auth.credentials.source=USER_INFO\nbasic.auth.user.info=reg:file-Pa55\n");
        return file;
    }

    private ConnectionOptions parse(String... args) {
        GenerateCommand generate = new GenerateCommand();
        new CommandLine(generate).parseArgs(args);
        return generate.connection;
    }

    @Test
    void shouldGiveKafkaTheFileAndOverridesAndTheRegistryItsCredentials() throws Exception {
        ConnectionOptions connection = parse("--command-config", clientFile().toString(),
                "-X", "sasl.mechanism=SCRAM-SHA-256", "-Xclient.id=pulse-test");

        ClientSettings settings = connection.clientSettings(Map.of());

        assertThat(settings.kafka()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256").containsEntry("client.id", "pulse-test")
                .containsEntry("sasl.jaas.config", JAAS)
                .doesNotContainKeys("basic.auth.user.info", "basic.auth.credentials.source");
        assertThat(settings.registryUserInfo()).isEqualTo("reg:file-Pa55");
        assertThat(settings.registryConfig("http://r:8081")).containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "reg:file-Pa55");
    }

    @Test
    void shouldPreferTheEnvironmentsRegistryCredentialsAndReadThemFromAFile() throws Exception {
        Path secret = dir.resolve("user-info");
        Files.writeString(secret, "reg:env-Pa55\n");
        ConnectionOptions connection = parse("--command-config", clientFile().toString());

        ClientSettings settings = connection.clientSettings(
                Map.of(ClientSettings.USER_INFO_VARIABLE + ClientSettings.FILE_SUFFIX, secret.toString()));

        assertThat(settings.registryUserInfo()).isEqualTo("reg:env-Pa55");
        assertThatThrownBy(() -> connection.clientSettings(Map.of(ClientSettings.USER_INFO_VARIABLE, "a:b",
                ClientSettings.USER_INFO_VARIABLE + ClientSettings.FILE_SUFFIX, secret.toString())))
                .hasMessageContaining("set only one");
        assertThat(connection.clientSettings(Map.of(ClientSettings.BEARER_TOKEN_VARIABLE, "tok-123"))
                .registryConfig("http://r").get("bearer.auth.token")).isEqualTo("tok-123");
    }

    @Test
    void shouldShowNoSecretInItsTextOrInTheStreamsConfiguration() throws Exception {
        ConnectionOptions connection = parse("--command-config", clientFile().toString(),
                "-X", "ssl.keystore.password=ks-Pa55", "--bootstrap-servers", "k:9093", "--registry-url", "http://r/x");
        ClientSettings settings = connection.clientSettings(Map.of());

        assertThat(settings.toString()).contains("SASL_SSL").contains("/run/secrets/truststore.pem")
                .doesNotContain("kafka-Pa55").doesNotContain("ks-Pa55").doesNotContain("file-Pa55")
                .contains(ClientSettings.MASK);

        PulseStreamsConfig config = StreamsCommand.config(connection, "app", dir, Map.of(), Map.of());
        assertThat(config.streamsProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", JAAS).containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9093");
        assertThat(config.adminClientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.type", "PEM");
        // What AbstractConfig logs at start-up: the registry's credentials are typed as passwords.
        assertThat(config.values().toString()).doesNotContain("file-Pa55");
        // And what Kafka Streams logs: its own config hides sasl.jaas.config and key store passwords.
        assertThat(new StreamsConfig(config.streamsProperties()).values().toString())
                .doesNotContain("kafka-Pa55").doesNotContain("ks-Pa55");
    }

    @Test
    void shouldGiveAlertDeliveryItsClientsTheSettingsUnderItsOwnConfig() throws Exception {
        ConnectionOptions connection = parse("--command-config", clientFile().toString(), "--bootstrap-servers", "k:1");

        AlertsCommand.Settings settings = AlertsCommand.settings(connection, List.of(), null, -1,
                Map.of("client.id", "alerts-own"), Map.of());

        assertThat(settings.clients()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", JAAS).containsEntry("client.id", "alerts-own")
                .containsEntry("bootstrap.servers", "k:1").doesNotContainKey("basic.auth.user.info");
    }

    @Test
    void shouldNameTheFileItCannotReadWithoutShowingAnything() {
        ConnectionOptions connection = parse("--command-config", dir.resolve("missing.properties").toString());

        assertThatThrownBy(() -> connection.clientSettings(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.properties")
                .hasMessageContaining("--command-config");
    }

    @Test
    void shouldSendTheRegistryCredentialsFromTheCommandsClientAndItsUrlProbe() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            seen.add(exchange.getRequestURI().getPath() + " " + authorization);
            boolean allowed = authorization.equals("Basic "
                    + Base64.getEncoder().encodeToString("reg:file-Pa55".getBytes(StandardCharsets.UTF_8)));
            // Apicurio-style: Confluent's API only under /apis/ccompat/v7, found by the probe only when allowed.
            boolean ccompat = exchange.getRequestURI().getPath().startsWith(RegistryUrl.APICURIO_CCOMPAT_PATH);
            byte[] body = (!allowed || !ccompat ? "{\"error_code\":401}"
                    : exchange.getRequestURI().getPath().endsWith("/subjects") ? "[]" : "{\"id\":3}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(allowed && ccompat ? 200 : allowed ? 404 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String root = "http://127.0.0.1:" + server.getAddress().getPort();
            ConnectionOptions connection = parse("--command-config", clientFile().toString(), "--registry-url", root);

            assertThat(connection.registryUrl()).isEqualTo(root + RegistryUrl.APICURIO_CCOMPAT_PATH);
            try (SchemaRegistryClient client = connection.registryClient()) {
                assertThat(client.register("s-value", org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING)))
                        .isEqualTo(3);
            }
            assertThat(seen).isNotEmpty().allMatch(line -> line.contains(" Basic "));
        } finally {
            server.stop(0);
        }
    }
}
