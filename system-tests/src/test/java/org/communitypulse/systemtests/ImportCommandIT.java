package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.communitypulse.cli.PulseCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse import stackexchange} as a user runs it: exit codes, and events on the topic. */
class ImportCommandIT extends PlatformTestBase {


    @Test
    void shouldExitOneAndImportTheValidRowsWhenSomeRowsAreMalformed(@TempDir Path dump) throws Exception {
        Files.writeString(dump.resolve("Posts.xml"), """
                <?xml version="1.0" encoding="utf-8"?>
                <posts>
                  <row Id="1" PostTypeId="1" CreationDate="2020-01-01T10:00:00.000" OwnerUserId="7" Tags="&lt;a&gt;" />
                  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2020-01-01T11:00:00.000" OwnerUserId="8" />
                  <row Id="3" PostTypeId="2" ParentId="1" CreationDate="not a date" OwnerUserId="9" />
                </posts>
                """);
        String prefix = "imp-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        kafka.createTopics(1, prefix + "activity");

        int code = run("import", "stackexchange", dump.toString(), "--community", "c1",
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.ccompatUrl(),
                "--topic-prefix", prefix);

        assertThat(code).isEqualTo(1);
        assertThat(countRecords(prefix + "activity", 2)).isEqualTo(2);
    }

    @Test
    void shouldExitTwoWithinThirtySecondsWhenKafkaIsUnreachable(@TempDir Path dump) throws Exception {
        Files.writeString(dump.resolve("Posts.xml"), "<posts>\n</posts>\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        long started = System.nanoTime();
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = run("import", "stackexchange", dump.toString(), "--community", "c1",
                    "--bootstrap-servers", "localhost:" + port, "--registry-url", registry.ccompatUrl());
        } finally {
            System.setErr(originalErr);
        }

        assertThat(code).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Cannot reach Kafka at localhost:" + port);
    }

    private static int run(String... args) {
        CommandLine cmd = PulseCommand.commandLine();
        return cmd.execute(args);
    }

    private static int countRecords(String topic, int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "count-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Read until the expected records arrived, then a little longer to catch any extra.
            while (System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(500)).count();
                if (count >= expected) {
                    count += consumer.poll(Duration.ofSeconds(1)).count();
                    break;
                }
            }
            return count;
        }
    }
}
