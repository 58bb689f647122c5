package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.communitypulse.cli.ReplayRunner;
import org.communitypulse.cli.ShuffledHistories;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order-insensitivity on real and generated data: the bicycles.meta dump together with a generated history in which
 * every alert condition fires ({@link ShuffledHistories#generated}) is replayed once in time order and then shuffled
 * with about one event in ten sent twice: on one seed in the default build, on the first N of four with
 * {@code -Dpulse.shuffled.seeds=N} ({@code ShuffledAlertsTest} shuffles the generated part on three in every build).
 * Every replay must give the very same output file, line for line (the metrics and each AlertKey's latest alert),
 * and each AlertKey the very same FIRING/RESOLVED sequence. The metrics are functions of the set of distinct events and the alerts are judged behind the replay's gate
 * on the whole history, so neither lateness nor duplicates may leave a trace. One ordered replay serves every seed.
 */
class ShuffledReplayIT {

    private static final String COMMUNITY = "bicycles.meta";
    /** The shuffles' seeds; the default build takes the first, {@code -Dpulse.shuffled.seeds=N} the first N. */
    private static final long[] ALL_SEEDS = {20_260_417L, 7L, 1_234_567L, 42L};
    private static final long[] SEEDS = java.util.Arrays.copyOf(ALL_SEEDS,
            Math.max(1, Math.min(ALL_SEEDS.length, Integer.getInteger("pulse.shuffled.seeds", 1))));
    private static final double DUPLICATE_SHARE = 0.10;
    private static final int GENERATED_DAYS = 240;
    private static final int SHOWN = 20;

    @Test
    void shouldWriteIdenticalMetricsAndAlertsWhenEventsArriveShuffledWithDuplicates(@TempDir Path tmp) throws Exception {
        Path dump = Path.of(System.getProperty("pulse.shared.data", "../../shared/data"), "stackexchange", COMMUNITY);
        Assumptions.assumeTrue(Files.isDirectory(dump), "real dump not present at " + dump);
        CollectingSink collected = new CollectingSink();
        ImportSummary summary = new StackExchangeImporter().run(dump, COMMUNITY, collected, ProgressListener.NONE);
        List<ActivityEvent> events = new ArrayList<>(collected.events);
        events.addAll(ShuffledHistories.generated(GENERATED_DAYS));

        long started = System.nanoTime();
        Path ordered = tmp.resolve("ordered.jsonl");
        ReplayRunner.Result first = replay(summary, ShuffledHistories.inTimeOrder(events), ordered);
        List<String> a = Files.readAllLines(ordered, StandardCharsets.UTF_8);
        Map<String, List<String>> sequences = ShuffledHistories.sequences(first.alerts());
        assertThat(a).as("records of the ordered replay").hasSizeGreaterThan(1000);
        assertThat(sequences.keySet()).as("alert keys of the ordered replay")
                .anyMatch(k -> k.endsWith("/HEALTH_AT_RISK")).anyMatch(k -> k.endsWith("/BELOW_BASELINE"))
                .anyMatch(k -> k.endsWith("/NO_ACTIVITY")).anyMatch(k -> k.endsWith("/REQUIRED_ROLE_VACANT"));
        System.out.printf("ordered replay: %d ms, %d events, %d records, %d alert records over %d keys%n",
                first.elapsed().toMillis(), events.size(), first.recordsWritten(), first.alerts().size(),
                sequences.size());

        for (long seed : SEEDS) {
            Path shuffled = tmp.resolve("shuffled-" + seed + ".jsonl");
            ReplayRunner.Result next = replay(summary,
                    ShuffledHistories.shuffledWithDuplicates(events, seed, DUPLICATE_SHARE), shuffled);
            System.out.printf("seed %d: %d ms, %d records, %d alert records compared%n", seed,
                    next.elapsed().toMillis(), next.recordsWritten(), next.alerts().size());
            List<String> alertDifferences = ShuffledHistories.differences(sequences,
                    ShuffledHistories.sequences(next.alerts()));
            if (!alertDifferences.isEmpty()) {
                fail("seed %d: the FIRING/RESOLVED sequences of %d of %d alert keys differ; the first %d:%n%s", seed,
                        alertDifferences.size(), sequences.size(), Math.min(SHOWN, alertDifferences.size()),
                        String.join(System.lineSeparator(),
                                alertDifferences.subList(0, Math.min(SHOWN, alertDifferences.size()))));
            }
            assertSameLines(seed, comparable(a), comparable(Files.readAllLines(shuffled, StandardCharsets.UTF_8)));
        }
        System.out.printf("%d replays took %d ms%n", SEEDS.length + 1,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Topics whose records for a community with a role register depend on the order the events arrive in, a gap of
     * the roles and maturity families of their own: the roles family judges each role event against the ones before
     * it and stamps its records with the clock at the time ({@code asOf}), and some scorecard signals follow it.
     */
    private static final List<String> REGISTER_DEPENDENT = List.of("pulse.members.roles", "pulse.roles.coverage",
            "pulse.policy.violations", "pulse.training.metrics", "pulse.maturity.scorecard");

    /**
     * Every line of bicycles.meta (no register), and every line of the generated communities but those of
     * {@link #REGISTER_DEPENDENT}: their alerts (role alerts included), health records and engagement metrics are
     * compared in full.
     */
    private static List<String> comparable(List<String> lines) {
        return lines.stream().filter(l -> l.contains("\"communityId\":\"" + COMMUNITY + "\"")
                || REGISTER_DEPENDENT.stream().noneMatch(t -> l.startsWith("{\"topic\":\"" + t + "\""))).toList();
    }

    private static void assertSameLines(long seed, List<String> a, List<String> b) {
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
            fail("seed %d: %d of %d/%d lines differ; the first %d:%n%s", seed, differences.size(), a.size(), b.size(),
                    Math.min(SHOWN, differences.size()),
                    String.join(System.lineSeparator(), differences.subList(0, Math.min(SHOWN, differences.size()))));
        }
    }

    private static ReplayRunner.Result replay(ImportSummary summary, List<ActivityEvent> events, Path out)
            throws Exception {
        return new ReplayRunner(Duration.ofMinutes(5), System.err).run((sink, progress) -> {
            for (ActivityEvent event : events) {
                sink.send(event);
            }
            sink.flush();
            return summary;
        }, out);
    }
}
