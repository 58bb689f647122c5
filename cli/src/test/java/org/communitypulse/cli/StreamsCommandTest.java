package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamsCommandTest {

    @Test
    void shouldTakeSettingsFromEnvironmentWhenNoOptionOrConfigGivesThem() {
        StreamsCommand command = parse("--config", "topic.partitions=4");
        Map<String, String> env = Map.of(
                "PULSE_LATENESS_HORIZON_MS", "604800000",
                "PULSE_TOPIC_PARTITIONS", "12",
                "PULSE_NUM_STANDBY_REPLICAS", "1",
                "PULSE_HTTP_PORT", "9404",
                "PULSE_STREAMS_NUM_STREAM_THREADS", "2");

        PulseStreamsConfig config = StreamsCommand.config(command.connection, command.app.applicationId,
                command.app.stateDir(StreamsCommand.DEFAULT_STATE_DIR), command.extra, env);

        assertThat(config.latenessHorizon()).contains(Duration.ofDays(7));
        assertThat(config.topicPartitions()).as("--config wins over the environment").isEqualTo(4);
        assertThat(config.httpPort()).hasValue(9404);
        assertThat(config.streamsProperties())
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    }

    @Test
    void shouldPreferOptionsWhenEnvironmentAlsoSetsThem() {
        StreamsCommand command = parse("--application-id", "from-option", "--state-dir", "state");

        PulseStreamsConfig config = StreamsCommand.config(command.connection, command.app.applicationId,
                command.app.stateDir(StreamsCommand.DEFAULT_STATE_DIR), command.extra,
                Map.of("PULSE_APPLICATION_ID_X", "ignored", "PULSE_HTTP_PORT", "-1"));

        assertThat(config.applicationId()).isEqualTo("from-option");
        assertThat(config.getString(PulseStreamsConfig.STATE_DIR_CONFIG)).isEqualTo(Path.of("state").toAbsolutePath().toString());
        assertThat(config.httpPort()).isEmpty();
    }

    private static StreamsCommand parse(String... args) {
        StreamsCommand command = new StreamsCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
