package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.communitypulse.cli.ReplayRunner;
import org.communitypulse.ingest.EventSink;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order-insensitivity on real data: the bicycles.meta dump replayed once in time order and once
 * shuffled (seeded) with about one event in ten sent twice, must give the very same metrics file, line
 * for line. The metrics are functions of the set of distinct events, so neither lateness nor
 * duplicates may leave a trace.
 */
class ShuffledReplayIT {

    private static final String COMMUNITY = "bicycles.meta";
    private static final long SEED = 20_260_417L;
    private static final double DUPLICATE_SHARE = 0.10;
    private static final int SHOWN = 20;

    @Test
    void shouldWriteIdenticalMetricsWhenEventsArriveShuffledWithDuplicates(@TempDir Path tmp) throws Exception {
        Path dump = Path.of(System.getProperty("pulse.shared.data", "../../shared/data"), "stackexchange", COMMUNITY);
        Assumptions.assumeTrue(Files.isDirectory(dump), "real dump not present at " + dump);

        Path ordered = tmp.resolve("ordered.jsonl");
        Path shuffled = tmp.resolve("shuffled.jsonl");
        long started = System.nanoTime();
        ReplayRunner.Result first = replay(dump, ordered, ShuffledReplayIT::inTimeOrder);
        ReplayRunner.Result second = replay(dump, shuffled, ShuffledReplayIT::shuffledWithDuplicates);
        System.out.printf("Two replays took %d ms (%d and %d records)%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), first.recordsWritten(), second.recordsWritten());

        // Metrics are order-insensitive; alerts are not meant to be: an alert judges each day once, as
        // the clock passes it, and a shuffled history is no chronology (docs/alerts.md).
        List<String> a = withoutAlerts(Files.readAllLines(ordered, StandardCharsets.UTF_8));
        List<String> b = withoutAlerts(Files.readAllLines(shuffled, StandardCharsets.UTF_8));
        assertThat(a).as("records of the ordered replay").hasSizeGreaterThan(1000);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(none)";
            String y = i < b.size() ? b.get(i) : "(none)";
            if (!x.equals(y)) {
                differences.add("line " + (i + 1) + ":\n  ordered:  " + x + "\n  shuffled: " + y);
            }
        }
        // fail() rather than an assertion on the list: AssertJ would print every difference.
        if (!differences.isEmpty()) {
            fail("%d of %d/%d lines differ; the first %d:%n%s", differences.size(), a.size(), b.size(),
                    Math.min(SHOWN, differences.size()),
                    String.join(System.lineSeparator(), differences.subList(0, Math.min(SHOWN, differences.size()))));
        }
    }

    private static List<String> withoutAlerts(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("{\"topic\":\"pulse.alerts\"")).toList();
    }

    private static ReplayRunner.Result replay(Path dump, Path out, UnaryOperator<List<ActivityEvent>> arrange)
            throws Exception {
        return new ReplayRunner(Duration.ofMinutes(5), System.err).run((sink, progress) -> {
            CollectingSink collected = new CollectingSink();
            ImportSummary summary = new StackExchangeImporter().run(dump, COMMUNITY, collected, progress);
            for (ActivityEvent event : arrange.apply(collected.events)) {
                sink.send(event);
            }
            sink.flush();
            return summary;
        }, out);
    }

    /** By source time, ties by event id: the order a live community would have produced them in. */
    private static List<ActivityEvent> inTimeOrder(List<ActivityEvent> events) {
        List<ActivityEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(ActivityEvent::getOccurredAt).thenComparing(ActivityEvent::getEventId));
        return sorted;
    }

    /** A seeded shuffle, then about a tenth of the events sent again at random later points. */
    private static List<ActivityEvent> shuffledWithDuplicates(List<ActivityEvent> events) {
        Random random = new Random(SEED);
        List<ActivityEvent> out = new ArrayList<>(events);
        Collections.shuffle(out, random);
        int duplicates = (int) Math.round(events.size() * DUPLICATE_SHARE);
        for (int i = 0; i < duplicates; i++) {
            int from = random.nextInt(out.size());
            out.add(from + 1 + random.nextInt(out.size() - from), out.get(from));
        }
        assertThat(out).hasSize(events.size() + duplicates);
        return out;
    }

    /** Keeps what the importer sends, so it can be re-ordered before it reaches Kafka. */
    private static final class CollectingSink implements EventSink {
        private final List<ActivityEvent> events = new ArrayList<>();

        @Override
        public void send(ActivityEvent event) {
            events.add(event);
        }

        @Override
        public void flush() {
            // Nothing is buffered.
        }

        @Override
        public void close() {
            // Nothing to release.
        }
    }
}
