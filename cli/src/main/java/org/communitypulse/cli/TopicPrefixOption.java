package org.communitypulse.cli;

import picocli.CommandLine.Option;

/**
 * {@code --topic-prefix}: every command that names the pipeline's topics, with Kafka ({@link ConnectionOptions})
 * or without it ({@code pulse schemas export}).
 */
final class TopicPrefixOption {

    @Option(names = "--topic-prefix", defaultValue = "${env:PULSE_TOPIC_PREFIX:-pulse.}",
            description = "Prefix of the pipeline's topics (env PULSE_TOPIC_PREFIX). Default: ${DEFAULT-VALUE}.")
    String prefix;
}
