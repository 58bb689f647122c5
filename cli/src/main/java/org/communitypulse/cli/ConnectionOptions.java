package org.communitypulse.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where Kafka and the schema registry are, shared by every subcommand that talks to them (and by
 * {@code pulse run}, which starts its own broker or registry when it is given none). The variables are
 * those of {@code PulseStreamsConfig#environmentVariable}, so one environment configures every command.
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

    @Option(names = "--topic-prefix", defaultValue = "${env:PULSE_TOPIC_PREFIX:-pulse.}",
            description = "Prefix of the pipeline's topics (env PULSE_TOPIC_PREFIX). Default: ${DEFAULT-VALUE}.")
    String topicPrefix;

    private String resolvedRegistryUrl;

    /** The bootstrap servers given by option or environment, else {@value #DEFAULT_BOOTSTRAP_SERVERS}. */
    String bootstrapServers() {
        return givenBootstrapServers().orElse(DEFAULT_BOOTSTRAP_SERVERS);
    }

    Optional<String> givenBootstrapServers() {
        return Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank());
    }

    /** The registry URL given by option or environment, else {@value #DEFAULT_REGISTRY_URL}; see {@link RegistryUrl}. */
    synchronized String registryUrl() {
        if (resolvedRegistryUrl == null) {
            resolvedRegistryUrl = RegistryUrl.resolve(givenRegistryUrl().orElse(DEFAULT_REGISTRY_URL));
        }
        return resolvedRegistryUrl;
    }

    Optional<String> givenRegistryUrl() {
        return Optional.ofNullable(registryUrl).filter(s -> !s.isBlank());
    }
}
