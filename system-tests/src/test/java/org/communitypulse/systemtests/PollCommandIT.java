package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.communitypulse.cli.PulseCommand;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse poll discourse --once} as a user runs it: publishes, keeps its offsets, goes on from them. */
class PollCommandIT extends PlatformTestBase {

    @Test
    void shouldPublishTheForumOnceAndOnlyWhatIsNewOnTheNextRun(@TempDir Path dir) throws Exception {
        String prefix = "pollcmd-" + FakeDiscourse.randomSuffix() + ".";
        Topics topics = new Topics(prefix, new AvroSerdes(new RestSchemaRegistryClient(registry.ccompatUrl()), true));
        PulseStreamsApp.createTopics(kafka.bootstrapServers(), topics.names(), 1);
        Path keyFile = Files.writeString(dir.resolve("key"), FakeDiscourse.KEY + "\n");
        Path state = dir.resolve("state");
        try (FakeDiscourse forum = new FakeDiscourse("unused-secret")) {
            long ann = forum.user("ann");
            long topic = forum.topic(ann, "First");
            forum.reply(ann, topic);
            String[] args = {"poll", "discourse", "--url", forum.url().toString(), "--community", "forum",
                    "--api-key-file", keyFile.toString(), "--interval", "1", "--state-dir", state.toString(),
                    "--once", "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url",
                    registry.ccompatUrl(), "--topic-prefix", prefix};

            assertThat(run(args)).contains("Published 4 record(s)");
            // 1 member + 1 topic + 1 reply, and the day's count.
            assertThat(end(topics.activity().name())).isEqualTo(3);
            assertThat(end(topics.platformCounts().name())).isEqualTo(1);
            assertThat(state.resolve("discourse-forum.offsets.json")).exists();

            assertThat(lastCount(topics).getItems()).as("the topic and its reply").isEqualTo(2);

            // A new process: the day's count goes on from the offset file, not from zero.
            forum.reply(ann, topic);
            assertThat(run(args)).contains("Published 2 record(s)");
            assertThat(end(topics.activity().name())).isEqualTo(4);
            assertThat(lastCount(topics).getItems()).isEqualTo(3);
            assertThat(Files.readString(state.resolve("discourse-forum.offsets.json"))).doesNotContain(
                    FakeDiscourse.KEY);
        }
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = PulseCommand.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        return printed;
    }

    private static PlatformDayCount lastCount(Topics topics) {
        Topic<CommunityDayKey, PlatformDayCount> counts = topics.platformCounts();
        try (KafkaConsumer<CommunityDayKey, PlatformDayCount> consumer = new KafkaConsumer<>(
                SharedPlatform.committedReader(), counts.keySerde().deserializer(), counts.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(counts.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            PlatformDayCount last = null;
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key().getDay()).isEqualTo(record.value().getDay());
                    last = record.value();
                }
            }
            return last;
        }
    }

    private static long end(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(java.util.Map.of(partition, OffsetSpec.latest())).all().get()
                    .get(partition).offset();
        }
    }
}
