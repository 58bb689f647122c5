package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.communitypulse.cli.PulseCommand;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.Identity;
import org.communitypulse.schemas.avro.IdentityKey;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity commands end to end on the real broker: a mapping imported with {@code pulse import identities},
 * then {@code pulse identity merge}, {@code show}, {@code split} and {@code erase} against the running pipeline.
 */
class IdentityIT extends PlatformTestBase {

    private static final String C = "acme";
    private static final Duration WAIT = Duration.ofMinutes(1);

    @Test
    void shouldMergeShowSplitAndEraseMembersWhenTheIdentityCommandsRun(@TempDir Path tmp) throws Exception {
        Path mapping = Files.writeString(tmp.resolve("people.csv"), """
                person,source,user_id,username
                p-1,discourse,d-ann,ann
                p-1,github,g-ann,ann-gh
                """);
        String prefix = "identity-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, prefix + "app",
                tmp.resolve("state"), Map.of(PulseStreamsConfig.PARTITIONS_CONFIG, 1)))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), app.topics().activity(), Map.of())) {
                int n = 0;
                for (String actor : List.of("d-ann", "g-ann", "s-ben", "g-ben")) {
                    SourcePlatform source = switch (actor.charAt(0)) {
                        case 'd' -> SourcePlatform.DISCOURSE;
                        case 'g' -> SourcePlatform.GITHUB;
                        default -> SourcePlatform.SLACK;
                    };
                    sink.send(ActivityEvent.newBuilder().setEventId("post-" + n++).setCommunityId(C).setSource(source)
                            .setType(EventType.THREAD_CREATED).setActorId(actor).setThreadId("t-" + actor)
                            .setOccurredAt(Instant.parse("2024-04-02T10:00:00Z")).build());
                }
                sink.flush();
            }
            assertThat(pulse(prefix, "import", "identities", "--file", mapping.toString(), "--community", C)).isZero();

            // The mapping made ann one member (d-ann, the smaller id); ben is two identities until merged.
            Map<MemberKey, MemberEngagement> levels = new HashMap<>();
            await().atMost(WAIT).untilAsserted(() -> {
                latestInto(levels, app.topics().memberLevels());
                assertThat(levels.keySet()).extracting(k -> k.getMemberId().toString())
                        .containsExactlyInAnyOrder("d-ann", "g-ben", "s-ben");
                assertThat(levels.get(new MemberKey(C, "d-ann")).getContributionsTotal()).isEqualTo(2);
            });

            assertThat(pulse(prefix, "identity", "merge", "--community", C, "s-ben", "g-ben")).isZero();
            await().atMost(WAIT).untilAsserted(() -> {
                latestInto(levels, app.topics().memberLevels());
                assertThat(levels.keySet()).extracting(k -> k.getMemberId().toString())
                        .containsExactlyInAnyOrder("d-ann", "g-ben");
                assertThat(levels.get(new MemberKey(C, "g-ben")).getContributionsTotal()).isEqualTo(2);
            });
            String shown = output(() -> pulse(prefix, "identity", "show", "--community", C, "s-ben"));
            assertThat(shown).contains("member g-ben (2 identities)", "linked to s-ben by MANUAL",
                    "linked to g-ben by MANUAL");
            assertThat(output(() -> pulse(prefix, "identity", "show", "--community", C, "g-ann")))
                    .contains("member d-ann (2 identities)", "username=ann-gh", "by MAPPING (p-1)");

            assertThat(pulse(prefix, "identity", "split", "--community", C, "g-ben", "s-ben")).isZero();
            await().atMost(WAIT).untilAsserted(() -> {
                latestInto(levels, app.topics().memberLevels());
                assertThat(levels.keySet()).extracting(k -> k.getMemberId().toString())
                        .containsExactlyInAnyOrder("d-ann", "g-ben", "s-ben");
                assertThat(levels.get(new MemberKey(C, "g-ben")).getContributionsTotal()).isEqualTo(1);
            });

            assertThat(pulse(prefix, "identity", "erase", "g-ann")).isZero();
            Map<IdentityKey, Identity> identities = new HashMap<>();
            await().atMost(WAIT).untilAsserted(() -> {
                latestInto(levels, app.topics().memberLevels());
                latestInto(identities, app.topics().identities());
                assertThat(levels.keySet()).extracting(k -> k.getMemberId().toString())
                        .containsExactlyInAnyOrder("g-ben", "s-ben");
                assertThat(identities.keySet()).extracting(k -> k.getIdentityId().toString())
                        .doesNotContain("d-ann", "g-ann");
            });
            assertThat(pulse(prefix, "identity", "show", "--community", C, "d-ann")).isEqualTo(1);
        }
    }

    private static int pulse(String prefix, String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", registry.ccompatUrl(),
                "--topic-prefix", prefix)).toArray(String[]::new);
        return PulseCommand.commandLine().execute(all);
    }

    private static String output(java.util.function.IntSupplier command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(command.getAsInt()).isZero();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Applies every committed record of a one-partition topic to {@code latest}; tombstones remove keys. */
    private static <K, V> void latestInto(Map<K, V> latest, Topic<K, V> topic) {
        latest.clear();
        // Assigned to the end offsets: a subscription's group join can outlast an "until an empty poll" rule.
        for (ConsumerRecord<byte[], byte[]> r : CommittedTopics.readAll(topic.name())) {
            K key = topic.keySerde().deserializer().deserialize(r.topic(), r.key());
            if (r.value() == null) {
                latest.remove(key);
            } else {
                latest.put(key, topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
            }
        }
    }
}
