package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.communitypulse.cli.ReplayRunner;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against {@link ReferenceMetrics}: a replay (its own broker, registry and Streams
 * app in this JVM), then every key of every engagement topic and every field of its value compared
 * with what the reference computes straight from the XML. Counts and quantiles must be equal, ratios
 * within {@link MetricsFile#RATIO_TOLERANCE}. A failure lists the first differences (topic, key, field,
 * expected, actual) and how many each field has.
 *
 * <p>The real bicycles.meta dump gives volume and history (2010..2023); {@link TinyDump} gives what
 * the real one lacks (champions, contributors, threadless and repeated rows).
 */
class EngagementMetricsIT {

    private static final String COMMUNITY = "bicycles.meta";
    private static final int SHOWN = 20;

    @Test
    void shouldMatchTheReferenceOnEveryKeyAndFieldWhenTheRealDumpIsReplayed(@TempDir Path tmp) throws Exception {
        Path dump = Path.of(System.getProperty("pulse.shared.data", "../../shared/data"), "stackexchange", COMMUNITY);
        Assumptions.assumeTrue(Files.isDirectory(dump), "real dump not present at " + dump);
        ReferenceMetrics reference = ReferenceMetrics.fromDump(dump, COMMUNITY);
        // Enough keys that a sampled comparison would miss real bugs.
        assertThat(reference.records().get(ReferenceMetrics.DAILY)).hasSizeGreaterThan(1000);
        assertThat(reference.records().get(ReferenceMetrics.TRAILING)).hasSizeGreaterThan(4000);
        assertThat(reference.records().get(ReferenceMetrics.RETENTION)).hasSizeGreaterThan(100);
        assertThat(reference.records().get(ReferenceMetrics.LEVELS)).hasSizeGreaterThan(100);

        assertReplayMatches(dump, COMMUNITY, reference, tmp.resolve("metrics.jsonl"));
    }

    @Test
    void shouldMatchTheReferenceWhenTheHandWorkedDumpIsReplayed(@TempDir Path tmp) throws Exception {
        Path dump = Files.createDirectory(tmp.resolve("tiny"));
        TinyDump.writeTo(dump);
        ReferenceMetrics reference = ReferenceMetrics.fromDump(dump, "tiny");
        assertThat(reference.member("6").get("level").asText()).isEqualTo("CHAMPION");

        assertReplayMatches(dump, "tiny", reference, tmp.resolve("metrics.jsonl"));
    }

    private static void assertReplayMatches(Path dump, String community, ReferenceMetrics reference, Path out)
            throws Exception {
        Map<String, Map<String, JsonNode[]>> expected = reference.records();
        ReplayRunner.Result result = new ReplayRunner(Duration.ofMinutes(5), System.err)
                .run((sink, progress) -> new StackExchangeImporter().run(dump, community, sink, progress), out);
        System.out.printf("Replayed %d events into %d records in %d ms; reference: %d events, %s%n",
                result.summary().totalEvents(), result.recordsWritten(), result.elapsed().toMillis(),
                reference.events().size(), sizes(expected));
        // No equality on event counts here: the importer sends a repeated row twice, the intake counts it
        // once; the daily "events" field compares the distinct events day by day.
        assertThat(result.summary().totalEvents()).as("events imported").isGreaterThanOrEqualTo(reference.events().size());

        List<String> differences = MetricsFile.differences(expected, MetricsFile.read(out));
        // fail() rather than an assertion on the list: AssertJ would print every difference.
        if (!differences.isEmpty()) {
            fail("%d differences (by topic and field: %s); the first %d:%n%s", differences.size(),
                    MetricsFile.tally(differences), Math.min(SHOWN, differences.size()),
                    String.join(System.lineSeparator(), differences.subList(0, Math.min(SHOWN, differences.size()))));
        }
    }

    private static String sizes(Map<String, Map<String, JsonNode[]>> records) {
        StringBuilder text = new StringBuilder();
        records.forEach((topic, keys) -> text.append(topic).append('=').append(keys.size()).append(' '));
        return text.toString().strip();
    }
}
