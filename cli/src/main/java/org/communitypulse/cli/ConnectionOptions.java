package org.communitypulse.cli;

import picocli.CommandLine.Option;

/**
 * Where Kafka and the schema registry are, shared by every subcommand that talks to them. The variables
 * are those of {@code PulseStreamsConfig#environmentVariable}, so one environment configures every command.
 */
final class ConnectionOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "${env:PULSE_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env PULSE_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--registry-url",
            defaultValue = "${env:PULSE_SCHEMA_REGISTRY_URL:-http://localhost:8081/apis/ccompat/v7}",
            description = "Confluent-compatible schema registry URL (env PULSE_SCHEMA_REGISTRY_URL). Default: ${DEFAULT-VALUE}.")
    String registryUrl;

    @Option(names = "--topic-prefix", defaultValue = "${env:PULSE_TOPIC_PREFIX:-pulse.}",
            description = "Prefix of the pipeline's topics (env PULSE_TOPIC_PREFIX). Default: ${DEFAULT-VALUE}.")
    String topicPrefix;
}
