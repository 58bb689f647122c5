package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.communitypulse.cli.PulseCommand;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse declare} against the real broker and registry: the declaration reaches the activity topic in the
 * registry's wire format, keyed by community; declaring it again sends the same event id (which the intake drops
 * as a duplicate), and a refused declaration sends nothing.
 */
class DeclareCommandIT extends PlatformTestBase {

    private record Run(int code, String out) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Run(PulseCommand.commandLine().execute(args), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void shouldPublishADeclarationOnceByIdAndNothingWhenItIsRefused(@TempDir Path dir) throws Exception {
        String prefix = "decl-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        kafka.createTopics(1, prefix + "activity");
        List<String> connection = List.of("--community", "acme", "--bootstrap-servers", kafka.bootstrapServers(),
                "--registry-url", registry.ccompatUrl(), "--topic-prefix", prefix);
        List<String> goal = new ArrayList<>(List.of("declare", "goal", "--evidence", "https://acme.example/plan",
                "--declared-by", "head-of-community", "--signal", "wau", "--target", "150", "--date", "2026-05-04"));
        goal.addAll(connection);

        Run first = run(goal.toArray(String[]::new));
        Run again = run(goal.toArray(String[]::new));
        List<String> refused = new ArrayList<>(List.of("declare", "budget", "--evidence", "finance-2026",
                "--declared-by", "cfo", "--amount", "lots"));
        refused.addAll(connection);
        int refusedCode = run(refused.toArray(String[]::new)).code();
        Path file = Files.writeString(dir.resolve("declared.csv"), """
                declaration,date,evidence,declared_by,policy
                policy,2026-05-04,doc-17,legal,community-guidelines
                """);
        List<String> fromFile = new ArrayList<>(List.of("declare", "--file", file.toString()));
        fromFile.addAll(connection);
        Run filed = run(fromFile.toArray(String[]::new));

        assertThat(first.code()).isZero();
        assertThat(again.code()).isZero();
        assertThat(refusedCode).isEqualTo(64);
        assertThat(filed.code()).isZero();
        String goalId = first.out().lines().findFirst().orElseThrow();
        String policyId = filed.out().lines().findFirst().orElseThrow();
        assertThat(again.out().lines().findFirst()).contains(goalId);

        List<ConsumerRecord<String, ActivityEvent>> records = read(prefix, 3);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("acme");
        assertThat(records).extracting(r -> r.value().getEventId()).containsExactly(goalId, goalId, policyId);
        ActivityEvent declared = records.get(0).value();
        assertThat(declared.getType()).isEqualTo(EventType.EVIDENCE_DECLARED);
        assertThat(declared.getOccurredAt()).isEqualTo(Instant.parse("2026-05-04T00:00:00Z"));
        assertThat(Declaration.parse(declared).number("target")).isEqualTo(150.0);
        assertThat(Declaration.parse(records.get(2).value()).subject()).isEqualTo("community-guidelines");
    }

    /** Every record of the activity topic, waiting for {@code expected} and a little longer for any extra. */
    private static List<ConsumerRecord<String, ActivityEvent>> read(String prefix, int expected) throws Exception {
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.ccompatUrl())) {
            Topic<String, ActivityEvent> activity = new Topics(prefix, new AvroSerdes(client, true)).activity();
            try (KafkaConsumer<String, ActivityEvent> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "declare-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    activity.keySerde().deserializer(), activity.valueSerde().deserializer())) {
                consumer.subscribe(List.of(activity.name()));
                List<ConsumerRecord<String, ActivityEvent>> records = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline && records.size() < expected) {
                    consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                }
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
                return records;
            }
        }
    }
}
