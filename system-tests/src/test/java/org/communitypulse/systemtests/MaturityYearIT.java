package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.communitypulse.cli.PulseCommand;
import org.communitypulse.cli.ReplayRunner;
import org.communitypulse.cli.ShuffledHistories;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.generator.ActivityScript;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted organisation of examples/maturity-year (issue 21's first "done means"): its year of activity from
 * {@code pulse generate --script}, its register, trainings and acknowledgements from {@code pulse import register}
 * and its declarations from {@code pulse declare --file}, all through the CLI into the real broker and registry and a
 * running pipeline. Every week's scorecard must show each competency at the stage expected-stages.csv gives for that
 * week (stage 1 before its first climb, so each climbs from 1 to 4), the climb must be the work of the signals the
 * file names (at or above the new stage that week, one of them below it the week before, with the declarations it
 * rests on), and what is missing must say what blocks the next stage. The same events shuffled, with duplicates, and
 * replayed give the very same scorecards.
 */
class MaturityYearIT extends PlatformTestBase {

    static final Path SCENARIO = Path.of("..", "examples", "maturity-year");
    private static final List<String> REGISTER_FILES = List.of("register.csv", "training.csv", "acknowledgements.csv");
    private static final String DECLARATIONS = "declarations.csv";
    /** The scorecard topic without its prefix (as OutputSnapshot names it) and as a replay's file names it. */
    private static final String SCORECARDS = "maturity.scorecard";
    private static final String REPLAYED_SCORECARDS = "pulse." + SCORECARDS;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Signals whose value is declared: at the week they lift a competency they must name their declarations. */
    private static final java.util.Set<String> DECLARED = java.util.Set.of("goals_declared", "goal_attainment",
            "goals_tracked", "strategy_documented", "budget_declared", "policies_published", "dashboards_in_use",
            "tools_in_use", "metrics_reviews_90d");

    /** One line of expected-stages.csv: {@code competency} reaches {@code stage} in {@code week}, lifted by signals. */
    record Climb(String competency, int stage, int week, List<String> liftedBy) {
    }

    @Test
    void shouldClimbEveryCompetencyAtTheScriptedWeeksAndScoreTheSameWhenShuffled(@TempDir Path tmp) throws Exception {
        ActivityScript script = ActivityScript.read(SCENARIO.resolve("script.yaml"));
        String community = script.communities().get(0);
        List<Climb> climbs = climbs(SCENARIO.resolve("expected-stages.csv"));
        String prefix = "year-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String applicationId = prefix + "app";
        Map<String, JsonNode> live;
        long started = System.nanoTime();
        try (PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, applicationId,
                tmp.resolve("state"), Map.of(PulseStreamsConfig.PARTITIONS_CONFIG, 1,
                        // The year is in the past: alerts follow the events' clock, as in a replay.
                        PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, false)))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            List<String> connection = List.of("--bootstrap-servers", kafka.bootstrapServers(),
                    "--registry-url", registry.ccompatUrl(), "--topic-prefix", prefix);
            assertThat(cli(connection, "generate", "--script", SCENARIO.resolve("script.yaml").toString()))
                    .as("pulse generate --script").isZero();
            List<String> register = new ArrayList<>(List.of("import", "register", "--community", community));
            REGISTER_FILES.forEach(f -> register.addAll(List.of("--file", SCENARIO.resolve(f).toString())));
            assertThat(cli(connection, register.toArray(String[]::new))).as("pulse import register").isZero();
            assertThat(cli(connection, "declare", "--community", community, "--file",
                    SCENARIO.resolve(DECLARATIONS).toString())).as("pulse declare --file").isZero();
            awaitProcessedAndEmitted(applicationId, app, Duration.ofMinutes(8));
            live = byWeek(OutputSnapshot.read(kafka.bootstrapServers(), app.topics(), applicationId,
                    Duration.ofMinutes(1)).latest().get(SCORECARDS));
        }
        System.out.printf("live year: %d weekly scorecards in %d ms%n", live.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        System.out.println(table(live));

        assertThat(live).as("one scorecard per week of the script").hasSize(script.weeks());
        SoftAssertions softly = new SoftAssertions();
        for (int week = 1; week <= script.weeks(); week++) {
            JsonNode card = live.get(script.weekStart(week).toString());
            softly.assertThat(card).as("scorecard of week %d", week).isNotNull();
            if (card == null) {
                continue;
            }
            for (JsonNode competency : card.path("competencies")) {
                checkWeek(softly, climbs, week, competency, week == 1 ? null
                        : competencyOf(live.get(script.weekStart(week - 1).toString()), competency));
            }
        }
        softly.assertThat(climbs.stream().map(Climb::competency).distinct())
                .as("every competency has its climbs in expected-stages.csv")
                .containsExactlyInAnyOrderElementsOf(competencies(live.get(script.weekStart(1).toString())));
        softly.assertAll();

        // The same events in another order, with duplicates, through a replay: the very same scorecards.
        CollectingSink events = new CollectingSink();
        new SimulatedActivity(script).events().forEach(events::send);
        List<Path> files = new ArrayList<>(REGISTER_FILES.stream().map(SCENARIO::resolve).toList());
        files.add(SCENARIO.resolve(DECLARATIONS));
        ImportSummary summary = new RegisterImporter().run(files, community, events);
        assertThat(summary.rejectedTotal()).as(summary.render()).isZero();
        List<ActivityEvent> shuffled = ShuffledHistories.shuffledWithDuplicates(events.events, 2025, 0.1);
        Path out = tmp.resolve("shuffled.jsonl");
        ReplayRunner.Result result = new ReplayRunner(Duration.ofMinutes(8), System.err).run((sink, progress) -> {
            shuffled.forEach(sink::send);
            sink.flush();
            return summary;
        }, out);
        Map<String, JsonNode> replayed = new TreeMap<>();
        MetricsFile.read(out).getOrDefault(REPLAYED_SCORECARDS, Map.of())
                .forEach((key, kv) -> replayed.put(kv[1].path("periodStart").asText(), kv[1]));
        System.out.printf("shuffled replay: %d events in %d ms%n", shuffled.size(), result.elapsed().toMillis());
        assertThat(replayed.keySet()).containsExactlyElementsOf(live.keySet());
        List<String> differences = new ArrayList<>();
        live.forEach((week, card) -> {
            if (!card.equals(replayed.get(week))) {
                differences.add(week + ": live " + card + "\n    shuffled " + replayed.get(week));
            }
        });
        assertThat(differences).as("weeks whose scorecard differs when the events arrive shuffled").isEmpty();
    }

    /** One competency in one week: its stage, the climb's evidence and what is missing. */
    private static void checkWeek(SoftAssertions softly, List<Climb> climbs, int week, JsonNode competency,
                                  JsonNode previous) {
        String id = competency.path("competency").asText();
        int expected = 1;
        Climb climb = null;
        for (Climb c : climbs) {
            if (c.competency().equals(id) && c.week() <= week && c.stage() > expected) {
                expected = c.stage();
                climb = c.week() == week ? c : null;
            }
        }
        int stage = competency.path("stage").asInt();
        softly.assertThat(stage).as("week %d %s stage (evidence %s)", week, id, evidence(competency))
                .isEqualTo(expected);
        if (stage < 4) {
            softly.assertThat(competency.path("nextStage").asInt()).as("week %d %s next stage", week, id)
                    .isEqualTo(stage + 1);
            softly.assertThat(competency.path("missing")).as("week %d %s: what blocks stage %d", week, id, stage + 1)
                    .isNotEmpty();
        } else {
            softly.assertThat(competency.path("missing")).as("week %d %s at stage 4", week, id).isEmpty();
        }
        if (climb == null || stage != expected) {
            return;
        }
        boolean oneWasBelow = false;
        for (String signal : climb.liftedBy()) {
            JsonNode now = signal(competency, signal);
            softly.assertThat(now.path("stage").asInt()).as("week %d %s: %s lifts it to %d", week, id, signal,
                    climb.stage()).isGreaterThanOrEqualTo(climb.stage());
            if (DECLARED.contains(signal)) {
                softly.assertThat(now.path("declarations")).as("week %d %s: the declarations %s rests on", week, id,
                        signal).isNotEmpty();
                now.path("declarations").forEach(d -> softly.assertThat(d.path("evidence").asText())
                        .as("week %d %s: %s declaration evidence", week, id, signal).isNotBlank());
            }
            JsonNode before = previous == null ? null : signal(previous, signal);
            oneWasBelow |= before == null || before.path("stage").asInt() < climb.stage();
        }
        softly.assertThat(oneWasBelow).as("week %d %s: one of %s was below stage %d the week before", week, id,
                climb.liftedBy(), climb.stage()).isTrue();
    }

    private static JsonNode signal(JsonNode competency, String signal) {
        for (JsonNode e : competency.path("evidence")) {
            if (e.path("signal").asText().equals(signal)) {
                return e;
            }
        }
        throw new AssertionError(competency.path("competency").asText() + " has no signal " + signal + ": "
                + evidence(competency));
    }

    private static JsonNode competencyOf(JsonNode card, JsonNode competency) {
        if (card == null) {
            return null;
        }
        for (JsonNode c : card.path("competencies")) {
            if (c.path("competency").equals(competency.path("competency"))) {
                return c;
            }
        }
        return null;
    }

    private static List<String> competencies(JsonNode card) {
        List<String> out = new ArrayList<>();
        card.path("competencies").forEach(c -> out.add(c.path("competency").asText()));
        return out;
    }

    /** Each signal as {@code signal=value/stage}, for failure messages. */
    private static String evidence(JsonNode competency) {
        StringBuilder text = new StringBuilder();
        competency.path("evidence").forEach(e -> text.append(text.length() == 0 ? "" : ", ")
                .append(e.path("signal").asText()).append('=').append(e.path("value").asText()).append('/')
                .append(e.path("stage").asInt()));
        return text.toString();
    }

    /** The stages week by week, one line per week, for the log. */
    private static String table(Map<String, JsonNode> cards) {
        StringBuilder text = new StringBuilder();
        cards.forEach((week, card) -> {
            text.append(week).append(" overall ").append(card.path("overallStage").asInt()).append(':');
            card.path("competencies").forEach(c -> text.append(' ').append(c.path("competency").asText())
                    .append('=').append(c.path("stage").asInt()).append(" [").append(evidence(c)).append(']'));
            text.append('\n');
        });
        return text.toString();
    }

    static Map<String, JsonNode> byWeek(Map<String, String> records) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        for (String value : records.values()) {
            JsonNode card = JSON.readTree(value);
            out.put(card.path("periodStart").asText(), card);
        }
        return out;
    }

    static List<Climb> climbs(Path file) throws IOException {
        List<Climb> out = new ArrayList<>();
        for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
            String[] cells = line.split(",");
            out.add(new Climb(cells[0], Integer.parseInt(cells[1]), Integer.parseInt(cells[2]),
                    List.of(cells[3].trim().split(" +"))));
        }
        return out;
    }

    private static int cli(List<String> connection, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection);
        return PulseCommand.commandLine().execute(all.toArray(String[]::new));
    }
}
