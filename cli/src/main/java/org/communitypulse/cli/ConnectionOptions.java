package org.communitypulse.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdeConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where Kafka and the schema registry are, shared by every subcommand that talks to them (and by
 * {@code pulse run}, which starts its own broker or registry when it is given none). The variables are
 * those of {@code PulseStreamsConfig#environmentVariable}, so one environment configures every command.
 * A secured cluster: Kafka client properties from {@code --command-config} and {@code -X}, registry credentials
 * from the environment ({@link ClientSettings}); secrets never come from the command line's own options.
 */
final class ConnectionOptions {

    static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    /** The root URL: {@link RegistryUrl} finds Apicurio's Confluent-compatible API under it when needed. */
    static final String DEFAULT_REGISTRY_URL = "http://localhost:8081";

    /** Null when neither the option nor PULSE_BOOTSTRAP_SERVERS gives one. */
    @Option(names = "--bootstrap-servers", defaultValue = "${env:PULSE_BOOTSTRAP_SERVERS}", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env PULSE_BOOTSTRAP_SERVERS). Default: " + DEFAULT_BOOTSTRAP_SERVERS
                    + "; pulse run: start an embedded broker.")
    String bootstrapServers;

    /** Null when neither the option nor PULSE_SCHEMA_REGISTRY_URL gives one. */
    @Option(names = "--registry-url", defaultValue = "${env:PULSE_SCHEMA_REGISTRY_URL}", paramLabel = "URL",
            description = {"Confluent-compatible schema registry URL (env PULSE_SCHEMA_REGISTRY_URL). Default: "
                    + DEFAULT_REGISTRY_URL + "; pulse run: start an embedded registry.",
                    "A URL without a path is used as is when it answers Confluent's API (Confluent Schema Registry), "
                            + "else with /apis/ccompat/v7 when that answers (Apicurio)."})
    String registryUrl;

    @Mixin
    TopicPrefixOption topic = new TopicPrefixOption();

    @Option(names = "--command-config", defaultValue = "${env:PULSE_COMMAND_CONFIG}", paramLabel = "FILE",
            description = {"Kafka client properties file (env PULSE_COMMAND_CONFIG), as Kafka's own tools take it: "
                    + "security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ... for every "
                    + "producer, consumer, admin client and Streams. Its basic.auth.user.info or bearer.auth.token "
                    + "go to the schema registry.",
                    "Registry credentials also from env " + ClientSettings.USER_INFO_VARIABLE + " (user:password) or "
                            + ClientSettings.BEARER_TOKEN_VARIABLE + ", or the same names with _FILE naming a file."})
    Path commandConfig;

    @Option(names = "-X", paramLabel = "KEY=VALUE",
            description = "A Kafka client property (repeatable), over --command-config, e.g. -X sasl.mechanism=PLAIN. "
                    + "Keep secrets in the file: the command line is visible to other users.")
    Map<String, String> clientProperties = new LinkedHashMap<>();

    private String resolvedRegistryUrl;
    private ClientSettings clientSettings;

    /** The bootstrap servers given by option or environment, else {@value #DEFAULT_BOOTSTRAP_SERVERS}. */
    String bootstrapServers() {
        return givenBootstrapServers().orElse(DEFAULT_BOOTSTRAP_SERVERS);
    }

    Optional<String> givenBootstrapServers() {
        return Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank());
    }

    String topicPrefix() {
        return topic.prefix;
    }

    /** The registry URL given by option or environment, else {@value #DEFAULT_REGISTRY_URL}; see {@link RegistryUrl}. */
    synchronized String registryUrl() {
        if (resolvedRegistryUrl == null) {
            ClientSettings settings = clientSettings();
            resolvedRegistryUrl = RegistryUrl.resolve(givenRegistryUrl().orElse(DEFAULT_REGISTRY_URL),
                    RestSchemaRegistryClient.authorizationHeader(settings.registryUserInfo(),
                            settings.registryBearerToken()));
        }
        return resolvedRegistryUrl;
    }

    /** Kafka client properties and registry credentials, from the options and the process environment. */
    synchronized ClientSettings clientSettings() {
        if (clientSettings == null) {
            clientSettings = clientSettings(System.getenv());
        }
        return clientSettings;
    }

    /** As {@link #clientSettings()} with {@code environment} in place of the process environment. */
    ClientSettings clientSettings(Map<String, String> environment) {
        return ClientSettings.of(commandConfig, clientProperties == null ? Map.of() : clientProperties, environment);
    }

    /** Pass-through Kafka client properties for producers, consumers and admin clients (maybe empty). */
    Map<String, Object> kafkaProperties() {
        return clientSettings().kafka();
    }

    /** Serde configuration of the registry: its URL and credentials under Confluent's keys. */
    Map<String, Object> registryConfig() {
        return clientSettings().registryConfig(registryUrl());
    }

    /** A new client of the registry with the credentials given; the caller closes it. */
    SchemaRegistryClient registryClient() {
        return new AvroSerdeConfig(registryConfig()).newClient();
    }

    Optional<String> givenRegistryUrl() {
        return Optional.ofNullable(registryUrl).filter(s -> !s.isBlank());
    }
}
