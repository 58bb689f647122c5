package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.streams.PulseStreamsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spine end to end on real data: the bicycles.meta dump goes through the real broker, the real
 * registry, the importer and the exactly-once Streams application, and every day's engagement
 * record must equal what this test counts straight from the XML with its own, independent parse.
 */
class StackExchangeEndToEndIT extends PlatformTestBase {

    private static final String COMMUNITY = "bicycles.meta";


    @Test
    void shouldMatchCountsFromTheXmlWhenTheRealDumpIsReplayed(@TempDir Path stateDir) throws Exception {
        Path dump = realDump(COMMUNITY);
        Map<LocalDate, Expected> expected = expectedFromXml(dump);

        String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (PulseStreamsApp app = new PulseStreamsApp(
                SharedPlatform.streamsConfig(prefix, prefix + "app", stateDir, Map.of()))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(60));

            ImportSummary summary;
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), app.topics().activity(), Map.of())) {
                summary = new StackExchangeImporter().run(dump, COMMUNITY, sink, ProgressListener.NONE);
            }
            assertThat(summary.rejectedTotal()).isZero();

            Map<LocalDate, DailyEngagement> actual = new TreeMap<>();
            Topic<CommunityDayKey, DailyEngagement> out = app.topics().dailyEngagement();
            try (KafkaConsumer<CommunityDayKey, DailyEngagement> consumer = consumer(out)) {
                consumer.subscribe(List.of(out.name()));
                // Exactly-once output is visible only once committed: wait until every day's last update arrived.
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ZERO).until(() -> {
                    for (ConsumerRecord<CommunityDayKey, DailyEngagement> r : consumer.poll(Duration.ofMillis(500))) {
                        actual.put(r.key().getDay(), r.value());
                    }
                    return actual.values().stream().mapToLong(DailyEngagement::getEvents).sum()
                            == summary.totalEvents();
                });
            }

            assertThat(actual.keySet()).containsAll(expected.keySet());
            int checkedDays = 0;
            for (Map.Entry<LocalDate, Expected> e : expected.entrySet()) {
                DailyEngagement got = actual.get(e.getKey());
                Expected want = e.getValue();
                assertThat(List.of(got.getThreads(), got.getReplies(), got.getReactions(), got.getAcceptedAnswers(),
                        got.getNewMembers(), got.getActiveMembers()))
                        .as("threads, replies, reactions, accepted, new members, active members on %s", e.getKey())
                        .containsExactly(want.threads, want.replies, want.reactions, want.accepted,
                                want.newMembers, (long) want.active.size());
                checkedDays++;
            }
            assertThat(checkedDays).isGreaterThan(1000);
        }
    }

    private static KafkaConsumer<CommunityDayKey, DailyEngagement> consumer(Topic<CommunityDayKey, DailyEngagement> t) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "verify-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    /** Per-day counts straight from the XML rows, sharing no code with the importer. */
    private static Map<LocalDate, Expected> expectedFromXml(Path dump) throws IOException {
        Map<LocalDate, Expected> days = new TreeMap<>();
        DumpRows.forEachRow(dump.resolve("Posts.xml"), a -> {
            String type = a.get("PostTypeId");
            if (!"1".equals(type) && !"2".equals(type)) {
                return; // wiki and tag excerpts are not conversation
            }
            Expected d = days.computeIfAbsent(day(a), k -> new Expected());
            if ("1".equals(type)) {
                d.threads++;
            } else {
                d.replies++;
            }
            if (a.containsKey("OwnerUserId")) {
                d.active.add(a.get("OwnerUserId"));
            }
        });
        DumpRows.forEachRow(dump.resolve("Comments.xml"), a -> {
            Expected d = days.computeIfAbsent(day(a), k -> new Expected());
            d.replies++;
            if (a.containsKey("UserId")) {
                d.active.add(a.get("UserId"));
            }
        });
        DumpRows.forEachRow(dump.resolve("Votes.xml"), a -> {
            if ("2".equals(a.get("VoteTypeId"))) {
                days.computeIfAbsent(day(a), k -> new Expected()).reactions++;
            } else if ("1".equals(a.get("VoteTypeId"))) {
                days.computeIfAbsent(day(a), k -> new Expected()).accepted++;
            }
        });
        DumpRows.forEachRow(dump.resolve("Users.xml"), a -> days.computeIfAbsent(day(a), k -> new Expected()).newMembers++);
        return days;
    }

    private static LocalDate day(Map<String, String> attrs) {
        return LocalDate.parse(attrs.get("CreationDate").substring(0, 10));
    }


    private static final class Expected {
        long threads;
        long replies;
        long reactions;
        long accepted;
        long newMembers;
        final Set<String> active = new HashSet<>();
    }
}
