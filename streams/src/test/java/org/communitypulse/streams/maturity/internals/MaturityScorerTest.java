package org.communitypulse.streams.maturity.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CompetencyScore;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.streams.maturity.MaturityRules;
import org.junit.jupiter.api.Test;

/**
 * Properties of the scoring, checked on seeded random signal sets: more of a good signal (less of a bad
 * one) never lowers a signal's, a competency's, the overall or the health score, nor a stage.
 */
class MaturityScorerTest {

    private static final int RUNS = 2_000;
    private static final List<String> HEALTH_SIGNALS = List.of("responded_within_24h_share", "peer_reply_share_28d",
            "required_roles_filled_share");
    private static final MaturityRules DEFAULTS = withGoals(MaturityRules.defaults());
    /** Signals optional in some competency (and the per-competency assessments). */
    private static final java.util.Set<String> OPTIONAL = DEFAULTS.competencies().stream()
            .flatMap(c -> c.signals().stream()).filter(MaturityRules.Signal::optional)
            .map(MaturityRules.Signal::signal).collect(java.util.stream.Collectors.toSet());
    private static final MaturityScorer.Period PERIOD =
            new MaturityScorer.Period("c", LocalDate.parse("2026-01-05"), LocalDate.parse("2026-01-11"), true);

    private static MaturityRules withGoals(MaturityRules d) {
        return new MaturityRules(d.stages(), d.competencies(), new MaturityRules.Goals(
                Map.of("wau", 50.0, "open_threads", 5.0, "responded_within_24h_share", 0.8), Map.of()),
                d.programmedContent(), d.health());
    }

    /** A plausible value for a signal: shares in [0, 1], counts up to 60, and sometimes no value. */
    private static Double randomValue(Random random, String signal) {
        if (random.nextInt(10) == 0) {
            return null;
        }
        if (signal.endsWith("share") || signal.contains("share_") || signal.equals("stickiness")
                || signal.equals("reciprocity_28d") || signal.equals("field_completeness_28d")
                || signal.equals("sponsor_active")) {
            return random.nextInt(4) == 0 ? (double) random.nextInt(2) : random.nextDouble();
        }
        return (double) random.nextInt(60);
    }

    private static MaturityScorer.Signals randomSignals(Random random) {
        Map<String, Double> values = new HashMap<>();
        for (String signal : MaturityRules.SIGNALS.keySet()) {
            if (!signal.equals(MaturityScorer.GOAL_ATTAINMENT)) {
                values.put(signal, randomValue(random, signal));
            }
        }
        for (MaturityRules.Competency c : DEFAULTS.competencies()) {
            values.put(MaturityScorer.ASSESSMENT + "." + c.id(), random.nextInt(3) == 0 ? null : 1.0 + random.nextInt(4));
        }
        return new MaturityScorer.Signals(values, Map.of());
    }

    @Test
    void shouldNeverLowerAScoreOrStageWhenAGoodSignalImproves() {
        Random random = new Random(20261123L);
        MaturityScorer scorer = new MaturityScorer(DEFAULTS);
        List<String> signals = MaturityRules.SIGNALS.keySet().stream()
                .filter(s -> !s.equals(MaturityScorer.GOAL_ATTAINMENT)).toList();
        for (int run = 0; run < RUNS; run++) {
            MaturityScorer.Signals base = randomSignals(random);
            String signal = signals.get(random.nextInt(signals.size()));
            Double before = base.value(signal);
            double step = random.nextDouble() * (random.nextBoolean() ? 1 : 20);
            double direction = MaturityRules.SIGNALS.get(signal) ? 1 : -1;
            double after = Math.max(0, (before == null ? 0 : before) + direction * step);
            if (before != null && direction * after < direction * before) {
                continue; // clipped at 0: not an improvement
            }
            if (before == null && OPTIONAL.contains(signal)) {
                continue; // optional evidence appearing is new evidence, not an improvement of a value
            }
            MaturityScorer.Signals better = new MaturityScorer.Signals(base.values(), Map.of());
            better.values().put(signal, after);
            String why = "run " + run + ": " + signal + " " + before + " -> " + after;

            MaturityScorecard a = scorer.scorecard(PERIOD, new MaturityScorer.Signals(base.values(), Map.of()), null,
                    Instant.EPOCH);
            MaturityScorecard b = scorer.scorecard(PERIOD, better, null, Instant.EPOCH);
            assertThat(b.getOverallScore()).as(why).isGreaterThanOrEqualTo(a.getOverallScore());
            assertThat(b.getOverallStage()).as(why).isGreaterThanOrEqualTo(a.getOverallStage());
            for (int i = 0; i < a.getCompetencies().size(); i++) {
                CompetencyScore ca = a.getCompetencies().get(i);
                CompetencyScore cb = b.getCompetencies().get(i);
                assertThat(cb.getScore()).as(why + " " + ca.getCompetency()).isGreaterThanOrEqualTo(ca.getScore());
                assertThat(cb.getStage()).as(why + " " + ca.getCompetency()).isGreaterThanOrEqualTo(ca.getStage());
            }
            // Health reads three of the signals; from no value to a value changes which components are
            // averaged, so only an improvement of an existing value is a like-for-like comparison.
            if (before != null && HEALTH_SIGNALS.contains(signal)) {
                CommunityHealth ha = scorer.health(PERIOD, new MaturityScorer.Signals(base.values(), Map.of()), 10, 40,
                        12, null, Instant.EPOCH);
                CommunityHealth hb = scorer.health(PERIOD, better, 10, 40, 12, null, Instant.EPOCH);
                assertThat(hb.getScore()).as(why).isGreaterThanOrEqualTo(ha.getScore());
                assertThat(hb.getState().ordinal()).as(why).isLessThanOrEqualTo(ha.getState().ordinal());
            }
        }
    }

    @Test
    void shouldNeverLowerHealthWhenActivityImproves() {
        Random random = new Random(7L);
        MaturityScorer scorer = new MaturityScorer(DEFAULTS);
        for (int run = 0; run < RUNS; run++) {
            MaturityScorer.Signals signals = randomSignals(random);
            long c28 = 1 + random.nextInt(200);
            long c7 = random.nextInt((int) c28 + 1);
            long wau = random.nextInt(30);
            CommunityHealth a = scorer.health(PERIOD, signals, c7, c28, wau, null, Instant.EPOCH);
            long more = c7 + 1 + random.nextInt(10);
            CommunityHealth b = scorer.health(PERIOD, signals, more, c28 + (more - c7), wau + 1, null, Instant.EPOCH);
            assertThat(b.getScore()).as("run %d", run).isGreaterThanOrEqualTo(a.getScore());
            assertThat(b.getState().ordinal()).as("run %d", run).isLessThanOrEqualTo(a.getState().ordinal());
        }
    }

    @Test
    void shouldPlaceAValueInTheBandOfItsStageWhenScoringOneSignal() {
        MaturityRules.Signal share = new MaturityRules.Signal("peer_reply_share_28d", List.of(0.3, 0.5, 0.7), null,
                null, 0.9);
        assertThat(MaturityScorer.score(share, null)).containsExactly(1, 0);
        assertThat(MaturityScorer.score(share, 0.0)).containsExactly(1, 0);
        assertThat(MaturityScorer.score(share, 0.15)).containsExactly(1, 12.5);
        assertThat(MaturityScorer.score(share, 0.3)).containsExactly(2, 25);
        assertThat(MaturityScorer.score(share, 0.6)).containsExactly(3, 62.5);
        assertThat(MaturityScorer.score(share, 0.8)).containsExactly(4, 87.5);
        assertThat(MaturityScorer.score(share, 1.0)).containsExactly(4, 100);
        MaturityRules.Signal violations = new MaturityRules.Signal("open_violations", List.of(5.0, 2.0, 0.0), null,
                10.0, null);
        assertThat(violations.higherIsBetter()).isFalse();
        assertThat(MaturityScorer.score(violations, 10.0)).containsExactly(1, 0);
        assertThat(MaturityScorer.score(violations, 5.0)).containsExactly(2, 25);
        assertThat(MaturityScorer.score(violations, 0.0)).containsExactly(4, 100);
    }

    @Test
    void shouldTakeTheStageMostCompetenciesReachWhenPlacingTheOverallStage() {
        // Lower median: the highest stage a majority (five of eight) of the competencies reach.
        assertThat(MaturityScorer.overallStage(List.of(1, 2, 2, 2, 2, 3, 3, 4))).isEqualTo(2);
        assertThat(MaturityScorer.overallStage(List.of(1, 1, 1, 1, 4, 4, 4, 4))).isEqualTo(1);
        assertThat(MaturityScorer.overallStage(List.of(1, 3, 3, 3, 3, 3, 3, 3))).isEqualTo(3);
        assertThat(MaturityScorer.overallStage(List.of(4, 4, 4, 4, 4, 4, 4, 4))).isEqualTo(4);
        assertThat(MaturityScorer.overallStage(List.of(2, 1, 3, 4, 2, 2, 1, 3))).isEqualTo(2);
        assertThat(MaturityScorer.overallStage(List.of(1, 2, 3))).isEqualTo(2);
    }

    /** Every signal of every competency at its last threshold: the assessments at 4 too. */
    private static Map<String, Double> atBest() {
        Map<String, Double> values = new HashMap<>();
        for (MaturityRules.Competency c : DEFAULTS.competencies()) {
            for (MaturityRules.Signal rule : c.signals()) {
                values.put(MaturityScorer.valueKey(rule, c), rule.thresholds().get(2));
            }
        }
        // Goal attainment and the goal counts come from the goals: three goals met in full.
        values.put("wau", 50.0);
        values.put("open_threads", 5.0);
        values.put("responded_within_24h_share", 0.9);
        return values;
    }

    @Test
    void shouldReachStageFourInEveryCompetencyAndSayWhatIsMissingBelowIt() {
        MaturityRules rules = new MaturityRules(DEFAULTS.stages(), DEFAULTS.competencies(), new MaturityRules.Goals(
                Map.of("wau", 50.0, "open_threads", 5.0, "responded_within_24h_share", 0.9), Map.of()),
                DEFAULTS.programmedContent(), DEFAULTS.health());
        MaturityScorer scorer = new MaturityScorer(rules);
        MaturityScorecard best = scorer.scorecard(PERIOD, new MaturityScorer.Signals(atBest(), Map.of()), null,
                Instant.EPOCH);
        assertThat(best.getCompetencies()).allSatisfy(c -> {
            assertThat(c.getStage()).as(c.getCompetency()).isEqualTo(4);
            assertThat(c.getNextStage()).isNull();
            assertThat(c.getMissing()).isEmpty();
        });
        assertThat(best.getOverallStage()).isEqualTo(4);

        // One signal of each competency a step short of stage 4: stage 3, and that signal is what is missing.
        for (MaturityRules.Competency c : rules.competencies()) {
            MaturityRules.Signal rule = c.signals().stream().filter(r -> !r.optional()
                    && !r.signal().startsWith("goal")).findFirst().orElseThrow();
            Map<String, Double> values = atBest();
            double needed = rule.thresholds().get(2);
            values.put(rule.signal(), rule.higherIsBetter() ? rule.thresholds().get(1) : needed + 1);
            CompetencyScore score = scorer.scorecard(PERIOD, new MaturityScorer.Signals(values, Map.of()), null,
                    Instant.EPOCH).getCompetencies().stream().filter(s -> s.getCompetency().equals(c.id()))
                    .findFirst().orElseThrow();
            assertThat(score.getStage()).as(c.id()).isEqualTo(3);
            assertThat(score.getNextStage()).isEqualTo(4);
            assertThat(score.getMissing()).as(c.id()).singleElement().satisfies(m -> {
                assertThat(m.getSignal()).isEqualTo(rule.signal());
                assertThat(m.getNeeded()).isEqualTo(needed);
                assertThat(m.getDescription()).contains("for stage 4 (Network)");
            });
        }
    }

    @Test
    void shouldNotHoldACompetencyBackWhenOptionalEvidenceIsAbsent() {
        MaturityScorer scorer = new MaturityScorer(DEFAULTS);
        Map<String, Double> values = new HashMap<>();
        values.put("reciprocity_28d", 0.3);
        values.put("peer_reply_share_28d", null);
        CompetencyScore culture = culture(scorer, values);
        assertThat(culture.getStage()).isEqualTo(4);
        assertThat(culture.getEvidence()).filteredOn(e -> e.getSignal().equals("peer_reply_share_28d"))
                .singleElement().satisfies(e -> assertThat(e.getDescription()).endsWith("(optional)"));

        // Present, optional evidence counts like any other: a culture survey at stage 2 holds it at 2.
        values.put(MaturityScorer.ASSESSMENT + ".culture", 2.0);
        culture = culture(scorer, values);
        assertThat(culture.getStage()).isEqualTo(2);
        assertThat(culture.getMissing()).extracting(m -> m.getSignal()).containsExactly("assessment");
    }

    private static CompetencyScore culture(MaturityScorer scorer, Map<String, Double> values) {
        return scorer.scorecard(PERIOD, new MaturityScorer.Signals(values, Map.of()), null, Instant.EPOCH)
                .getCompetencies().stream().filter(c -> c.getCompetency().equals("culture")).findFirst().orElseThrow();
    }
}
