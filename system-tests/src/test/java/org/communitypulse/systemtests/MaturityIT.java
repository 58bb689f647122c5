package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.communitypulse.cli.ReplayRunner;
import org.communitypulse.ingest.stackexchange.StackExchangeImporter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maturity scorecard and health score of the real bicycles.meta dump, replayed on the real embedded
 * broker: one scorecard and one health record per ISO week of the community's history, and every piece of
 * engagement evidence equal to the engagement metric it was read from (the trailing record of the week's
 * last day, the daily records of the week).
 */
class MaturityIT {

    private static final String COMMUNITY = "bicycles.meta";
    private static final String SCORECARD = "pulse.maturity.scorecard";
    private static final String HEALTH = "pulse.community.health";

    @Test
    void shouldReadTheEvidenceFromTheEngagementMetricsWhenTheRealDumpIsReplayed(@TempDir Path tmp) throws Exception {
        Path dump = Path.of(System.getProperty("pulse.shared.data", "../../shared/data"), "stackexchange", COMMUNITY);
        Assumptions.assumeTrue(Files.isDirectory(dump), "real dump not present at " + dump);
        Path out = tmp.resolve("metrics.jsonl");
        ReplayRunner.Result result = new ReplayRunner(Duration.ofMinutes(5), System.err)
                .run((sink, progress) -> new StackExchangeImporter().run(dump, COMMUNITY, sink, progress), out);
        System.out.printf("Replayed %d events into %d records in %d ms%n", result.summary().totalEvents(),
                result.recordsWritten(), result.elapsed().toMillis());
        Map<String, Map<String, JsonNode[]>> topics = MetricsFile.read(out);

        Map<String, JsonNode> trailing = byDay(topics.get(ReferenceMetrics.TRAILING));
        Map<String, JsonNode> daily = byDay(topics.get(ReferenceMetrics.DAILY));
        Map<String, JsonNode[]> cards = topics.get(SCORECARD);
        Map<String, JsonNode[]> health = topics.get(HEALTH);
        String firstDay = trailing.keySet().stream().sorted().findFirst().orElseThrow();
        String lastDay = trailing.keySet().stream().sorted().reduce((a, b) -> b).orElseThrow();
        long weeks = java.time.temporal.ChronoUnit.WEEKS.between(monday(firstDay), monday(lastDay)) + 1;
        assertThat(cards).as("one scorecard per ISO week").hasSizeGreaterThanOrEqualTo((int) weeks);
        assertThat(health).hasSameSizeAs(cards);

        int checked = 0;
        Map<Integer, Integer> stages = new java.util.TreeMap<>();
        Map<String, Map<Integer, Integer>> competencyStages = new java.util.TreeMap<>();
        for (JsonNode[] kv : cards.values()) {
            JsonNode card = kv[1];
            String end = card.path("periodEnd").asText();
            JsonNode t = trailing.get(end);
            assertThat(card.path("competencies")).hasSize(8);
            Map<String, JsonNode> evidence = new HashMap<>();
            card.path("competencies").forEach(c -> c.path("evidence").forEach(e -> evidence.put(e.path("signal").asText(), e)));
            stages.merge(card.path("overallStage").asInt(), 1, Integer::sum);
            card.path("competencies").forEach(c -> competencyStages.computeIfAbsent(c.path("competency").asText(),
                    id -> new java.util.TreeMap<>()).merge(c.path("stage").asInt(), 1, Integer::sum));
            // No roles in a Stack Exchange dump: leadership has nothing to stand on.
            assertThat(evidence.get("team_roles_active_share").path("value").isNull()).isTrue();
            if (t == null) {
                continue; // before the first contribution: no trailing record to compare with
            }
            String why = "week " + card.path("periodStart").asText();
            // Nobody is known as staff in a Stack Exchange dump: no peer share (every reply would read as a peer's).
            assertThat(evidence.get("peer_reply_share_28d").path("value").isNull()).as(why).isTrue();
            // Votes carry no voter by design: they are complete records, so the feed reads as nearly complete.
            JsonNode completeness = evidence.get("field_completeness_28d");
            if (!completeness.path("value").isNull()) {
                assertThat(completeness.path("value").asDouble()).as(why).isGreaterThan(0.9);
            }
            assertThat(evidence.get("peer_reply_share_28d").path("inputs").path("replies28d").asLong()).as(why)
                    .isEqualTo(t.path("replies28d").asLong());
            long threads = 0;
            long within24h = 0;
            for (LocalDate d = LocalDate.parse(card.path("periodStart").asText()); !d.isAfter(LocalDate.parse(end));
                 d = d.plusDays(1)) {
                JsonNode day = daily.get(d.toString());
                if (day != null) {
                    threads += day.path("threads").asLong();
                    within24h += Math.round(day.path("respondedWithin24hShare").asDouble() * day.path("threads").asLong());
                }
            }
            JsonNode response = evidence.get("responded_within_24h_share");
            assertThat(response.path("inputs").path("threads").asLong()).as(why).isEqualTo(threads);
            assertThat(response.path("inputs").path("respondedWithin24h").asLong()).as(why).isEqualTo(within24h);

            JsonNode h = health.get(ReferenceMetrics.keyText(kv[0]))[1];
            assertThat(h.path("wau").asLong()).as(why).isEqualTo(t.path("wau").asLong());
            assertThat(h.path("contributions7d").asLong()).as(why)
                    .isEqualTo(t.path("threads7d").asLong() + t.path("replies7d").asLong());
            checked++;
        }
        System.out.printf("%s: %d weekly scorecards (%d compared with engagement), overall stages %s, weeks per "
                + "stage by competency %s, latest %s%n", COMMUNITY, cards.size(), checked, stages, competencyStages,
                latest(cards));
        assertThat(checked).isGreaterThan(500);
    }

    private static String latest(Map<String, JsonNode[]> cards) {
        JsonNode last = null;
        for (JsonNode[] kv : cards.values()) {
            if (last == null || kv[1].path("periodStart").asText().compareTo(last.path("periodStart").asText()) > 0) {
                last = kv[1];
            }
        }
        StringBuilder text = new StringBuilder(last.path("periodStart").asText()).append(" stage ")
                .append(last.path("overallStage").asInt()).append(" score ").append(last.path("overallScore").asDouble());
        last.path("competencies").forEach(c -> text.append(", ").append(c.path("competency").asText()).append('=')
                .append(c.path("stage").asInt()).append('/').append(c.path("score").asDouble()));
        return text.toString();
    }

    private static LocalDate monday(String day) {
        LocalDate d = LocalDate.parse(day);
        return d.minusDays(d.getDayOfWeek().getValue() - 1L);
    }

    private static Map<String, JsonNode> byDay(Map<String, JsonNode[]> records) {
        Map<String, JsonNode> out = new HashMap<>();
        records.values().forEach(kv -> {
            if (COMMUNITY.equals(kv[0].path("communityId").asText())) {
                out.put(kv[0].path("day").asText(), kv[1]);
            }
        });
        return out;
    }
}
