package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.communitypulse.cli.PulseCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's second "done means": the real bicycles.meta dump with the small register (a sponsor, a community
 * manager, three Corporate Users with their training and acknowledgements) and the three declarations (a goal, a
 * policy, a dashboard) of examples/bicycles-meta, replayed with {@code pulse replay stackexchange --register
 * --declarations}. In the week examples/bicycles-meta/README.md names (late August 2011, the site's busiest summer,
 * with a contest and a moderator election running) every competency is at stage 2 or above, and every stage is
 * explained in the record: each signal with its value, stage and description, the declarations a declared signal
 * rests on, and, below stage 4, what is missing for the next stage in words.
 */
class BicyclesMaturityIT {

    private static final String COMMUNITY = "bicycles.meta";
    private static final Path EXAMPLE = Path.of("..", "examples", "bicycles-meta");
    /** The week (its Monday) the example is about. */
    static final String WEEK = "2011-08-22";
    private static final java.util.Set<String> DECLARED = java.util.Set.of("goals_declared", "goal_attainment",
            "goals_tracked", "policies_published", "tools_in_use", "dashboards_in_use");

    @Test
    void shouldReachStageTwoInEveryCompetencyWithEachStageExplainedWhenReplayedWithARegisterAndDeclarations(
            @TempDir Path tmp) throws Exception {
        Path dump = PlatformTestBase.realDump(COMMUNITY);
        Path out = tmp.resolve("metrics.jsonl");
        int code = PulseCommand.commandLine().execute("replay", "stackexchange", dump.toString(),
                "--community", COMMUNITY, "--out", out.toString(), "--timeout", "300",
                "--register", EXAMPLE.resolve("register.csv").toString(),
                "--register", EXAMPLE.resolve("training.csv").toString(),
                "--register", EXAMPLE.resolve("acknowledgements.csv").toString(),
                "--declarations", EXAMPLE.resolve("declarations.csv").toString());
        assertThat(code).as("pulse replay exit code").isZero();

        Map<String, JsonNode> cards = new java.util.TreeMap<>();
        MetricsFile.read(out).get("pulse.maturity.scorecard")
                .forEach((key, kv) -> cards.put(kv[1].path("periodStart").asText(), kv[1]));
        JsonNode card = cards.get(WEEK);
        assertThat(card).as("scorecard of the week of " + WEEK).isNotNull();
        System.out.println("week " + WEEK + ": " + card);
        JsonNode last = cards.values().stream().reduce((a, b) -> b).orElseThrow();
        System.out.println("latest week " + last.path("periodStart").asText() + ": " + summary(last));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(card.path("competencies")).hasSize(8);
        for (JsonNode competency : card.path("competencies")) {
            String id = competency.path("competency").asText();
            int stage = competency.path("stage").asInt();
            softly.assertThat(stage).as("%s stage; missing for the next: %s", id, missing(competency))
                    .isGreaterThanOrEqualTo(2);
            softly.assertThat(competency.path("evidence")).as("%s evidence", id).isNotEmpty();
            for (JsonNode signal : competency.path("evidence")) {
                String name = signal.path("signal").asText();
                softly.assertThat(signal.path("description").asText()).as("%s %s description", id, name).isNotBlank();
                if (DECLARED.contains(name) && !signal.path("value").isNull() && signal.path("value").asDouble() > 0) {
                    softly.assertThat(signal.path("declarations")).as("%s %s: the declarations it rests on", id, name)
                            .isNotEmpty();
                }
            }
            if (stage < 4) {
                softly.assertThat(competency.path("nextStage").asInt()).as("%s next stage", id).isEqualTo(stage + 1);
                softly.assertThat(competency.path("missing")).as("%s: what blocks stage %d", id, stage + 1).isNotEmpty();
                competency.path("missing").forEach(m -> softly.assertThat(m.path("description").asText())
                        .as("%s missing %s in words", id, m.path("signal").asText()).isNotBlank());
            }
        }
        softly.assertAll();
    }

    private static String missing(JsonNode competency) {
        List<String> out = new ArrayList<>();
        competency.path("missing").forEach(m -> out.add(m.path("description").asText()));
        return String.join("; ", out);
    }

    private static String summary(JsonNode card) {
        StringBuilder text = new StringBuilder("overall ").append(card.path("overallStage").asInt());
        card.path("competencies").forEach(c -> text.append(", ").append(c.path("competency").asText()).append('=')
                .append(c.path("stage").asInt()));
        return text.toString();
    }
}
