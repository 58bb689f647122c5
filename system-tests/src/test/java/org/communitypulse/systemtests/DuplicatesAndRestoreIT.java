package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
 * Nothing double-counted on the real broker: importing the same dump again changes no metric, and
 * an instance whose local state is gone rebuilds it from the changelogs, so a third import still
 * changes nothing.
 */
class DuplicatesAndRestoreIT extends PlatformTestBase {

    private static final String COMMUNITY = "bicycles.meta";
    /** Catching up on the whole dump, then emitting its metric records. */
    private static final Duration AWAIT = Duration.ofMinutes(4);


    @Test
    void shouldChangeNoMetricWhenTheDumpIsReimportedBeforeAndAfterLocalStateIsWiped(
            @TempDir Path firstState, @TempDir Path wipedState) throws Exception {
        Path dump = realDump(COMMUNITY);
        String prefix = "dup-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";

        Map<LocalDate, List<Long>> afterFirst;
        long imported;
        try (PulseStreamsApp app = start(prefix, appId, firstState)) {
            imported = importDump(dump, app).totalEvents();
            awaitProcessedAndEmitted(appId, app, AWAIT);
            afterFirst = latest(app.topics().dailyEngagement());

            importDump(dump, app);
            awaitProcessedAndEmitted(appId, app, AWAIT);
            assertThat(latest(app.topics().dailyEngagement())).as("after importing the dump twice")
                    .isEqualTo(afterFirst);
            // The counters are in-memory sensors, not state: records a fenced thread processed in a transaction that
            // was then aborted are processed, and counted, again. The topics above are the exact figures.
            assertThat(metric(app, "duplicates-total")).isGreaterThanOrEqualTo(imported);
            assertThat(metric(app, "accepted-total")).isGreaterThanOrEqualTo(imported);
        }
        assertThat(afterFirst.values().stream().mapToLong(v -> v.get(6)).sum()).isEqualTo(imported);

        // Same application id, empty state directory: as if the instance's disk had been lost.
        try (PulseStreamsApp app = start(prefix, appId, wipedState)) {
            importDump(dump, app);
            awaitProcessedAndEmitted(appId, app, AWAIT);
            assertThat(latest(app.topics().dailyEngagement())).as("after restoring from changelogs and importing again")
                    .isEqualTo(afterFirst);
            assertThat(metric(app, "duplicates-total")).isGreaterThanOrEqualTo(imported);
        }
    }

    private static PulseStreamsApp start(String prefix, String appId, Path stateDir) throws Exception {
        PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, appId, stateDir, Map.of()));
        app.start();
        app.awaitRunning(Duration.ofSeconds(90));
        return app;
    }

    private static ImportSummary importDump(Path dump, PulseStreamsApp app) {
        try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), app.topics().activity(), Map.of())) {
            return new StackExchangeImporter().run(dump, COMMUNITY, sink, ProgressListener.NONE);
        }
    }

    /** Latest committed value per day, without the wall-clock updatedAt, read to the end of the topic. */
    private static Map<LocalDate, List<Long>> latest(Topic<CommunityDayKey, DailyEngagement> topic) {
        Map<LocalDate, List<Long>> days = new TreeMap<>();
        try (KafkaConsumer<CommunityDayKey, DailyEngagement> consumer = new KafkaConsumer<>(
                SharedPlatform.committedReader(), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    DailyEngagement v = r.value();
                    days.put(r.key().getDay(), List.of(v.getThreads(), v.getReplies(), v.getReactions(),
                            v.getAcceptedAnswers(), v.getNewMembers(), v.getActiveMembers(), v.getEvents()));
                });
            }
        }
        return days;
    }
}
