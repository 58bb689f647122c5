package org.communitypulse.streams.maturity.internals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CompetencyScore;
import org.communitypulse.schemas.avro.HealthComponent;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.SignalEvidence;
import org.communitypulse.streams.maturity.MaturityRules;

/**
 * Pure scoring: measured signals in, scorecard and health record out (see {@code docs/maturity.md}).
 * Every score is non-decreasing in every signal taken in its good direction, which the property tests check.
 */
final class MaturityScorer {

    public static final String GOAL_ATTAINMENT = "goal_attainment";

    /** Measured values of one community and week, with what each was computed from. */
    public record Signals(Map<String, Double> values, Map<String, Map<String, Double>> inputs) {
        public Signals {
            values = new LinkedHashMap<>(values);
            inputs = new LinkedHashMap<>(inputs);
        }

        public Double value(String signal) {
            return values.get(signal);
        }
    }

    /** The period a record describes. */
    public record Period(String communityId, LocalDate start, LocalDate end, boolean complete) {
    }

    private final MaturityRules config;

    public MaturityScorer(MaturityRules config) {
        this.config = config;
    }

    /** Stage (1-4) and score (0-100) of one value under one rule; a null value scores as stage 1, 0. */
    public static double[] score(MaturityRules.Signal rule, Double value) {
        if (value == null || value.isNaN()) {
            return new double[] {1, 0};
        }
        double d = rule.direction();
        double v = d * value;
        List<Double> t = rule.thresholds();
        int stage = 1;
        for (double threshold : t) {
            if (v >= d * threshold) {
                stage++;
            }
        }
        // Band of the stage: [lower, upper) scores [25 (stage - 1), 25 stage).
        double[] edges = {d * rule.worst(), d * t.get(0), d * t.get(1), d * t.get(2), d * rule.best()};
        double lower = edges[stage - 1];
        double upper = edges[stage];
        double fraction = upper > lower ? Math.min(1, Math.max(0, (v - lower) / (upper - lower))) : 1;
        if (stage < MaturityRules.STAGES) {
            // Never reach the next band's floor without crossing its threshold.
            fraction = Math.min(fraction, 0.9999);
        }
        double score = 25 * (stage - 1) + 25 * fraction;
        return new double[] {stage, round(score)};
    }

    /**
     * Goal attainment: the mean over declared goals of min(1, measured / target) (target / measured for a
     * lower-is-better signal); null when the community has no goals. Inputs name each measured value and target.
     */
    public Double goalAttainment(String community, Signals signals, Map<String, Double> inputs) {
        Map<String, Double> goals = config.goals().of(community);
        if (goals.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (Map.Entry<String, Double> goal : new java.util.TreeMap<>(goals).entrySet()) {
            Double measured = signals.value(goal.getKey());
            double target = goal.getValue();
            inputs.put(goal.getKey() + ".target", target);
            if (measured != null) {
                inputs.put(goal.getKey(), measured);
            }
            sum += attainment(MaturityRules.SIGNALS.getOrDefault(goal.getKey(), true), measured, target);
        }
        return sum / goals.size();
    }

    private static double attainment(boolean higherIsBetter, Double measured, double target) {
        if (measured == null) {
            return 0;
        }
        if (higherIsBetter) {
            return target <= 0 ? 1 : Math.max(0, Math.min(1, measured / target));
        }
        return measured <= target ? 1 : (measured <= 0 ? 1 : Math.max(0, target / measured));
    }

    public MaturityScorecard scorecard(Period period, Signals signals, MaturityScorecard previous, Instant updatedAt) {
        Map<String, Double> goalInputs = new LinkedHashMap<>();
        Double goal = goalAttainment(period.communityId(), signals, goalInputs);
        signals.values().put(GOAL_ATTAINMENT, goal);
        signals.inputs().put(GOAL_ATTAINMENT, goalInputs);

        List<CompetencyScore> competencies = new ArrayList<>();
        double stageSum = 0;
        double scoreSum = 0;
        for (MaturityRules.Competency competency : config.competencies()) {
            List<SignalEvidence> evidence = new ArrayList<>();
            int stage = MaturityRules.STAGES;
            double sum = 0;
            for (MaturityRules.Signal rule : competency.signals()) {
                Double value = signals.value(rule.signal());
                double[] s = score(rule, value);
                stage = Math.min(stage, (int) s[0]);
                sum += s[1];
                evidence.add(SignalEvidence.newBuilder().setSignal(rule.signal()).setValue(value)
                        .setThresholds(rule.thresholds()).setHigherIsBetter(rule.higherIsBetter())
                        .setBest(rule.best()).setWorst(rule.worst()).setStage((int) s[0]).setScore(s[1])
                        .setInputs(new LinkedHashMap<>(signals.inputs().getOrDefault(rule.signal(), Map.of())))
                        .build());
            }
            // The mean of its signals, kept inside the band of its stage: a score never contradicts the stage.
            double score = round(Math.min(Math.max(sum / competency.signals().size(), 25.0 * (stage - 1)),
                    stage == MaturityRules.STAGES ? 100 : 25.0 * stage - 0.0001));
            CompetencyScore prev = previous == null ? null : previous.getCompetencies().stream()
                    .filter(c -> c.getCompetency().equals(competency.id())).findFirst().orElse(null);
            competencies.add(CompetencyScore.newBuilder().setCompetency(competency.id())
                    .setName(competency.name() == null ? competency.id() : competency.name())
                    .setStage(stage).setStageName(config.stageName(stage)).setScore(score)
                    .setPreviousStage(prev == null ? null : prev.getStage())
                    .setPreviousScore(prev == null ? null : prev.getScore())
                    .setScoreChange(prev == null ? null : round(score - prev.getScore()))
                    .setEvidence(evidence).build());
            stageSum += stage;
            scoreSum += score;
        }
        int overallStage = (int) Math.floor(stageSum / competencies.size());
        double overallScore = round(scoreSum / competencies.size());
        return MaturityScorecard.newBuilder().setCommunityId(period.communityId()).setPeriodStart(period.start())
                .setPeriodEnd(period.end()).setComplete(period.complete()).setOverallStage(overallStage)
                .setOverallStageName(config.stageName(overallStage)).setOverallScore(overallScore)
                .setCompetencies(competencies)
                .setPreviousOverallStage(previous == null ? null : previous.getOverallStage())
                .setPreviousOverallScore(previous == null ? null : previous.getOverallScore())
                .setStageChange(previous == null ? null : overallStage - previous.getOverallStage())
                .setScoreChange(previous == null ? null : round(overallScore - previous.getOverallScore()))
                .setUpdatedAt(updatedAt).build();
    }

    /**
     * Health: components engagement (activity of the last 7 days against the 28-day weekly average),
     * response (threads of the week answered within 24 h), peer support (peer reply share, 28 days) and
     * coverage (required roles filled); each 0-100, null when there is nothing to measure.
     */
    public CommunityHealth health(Period period, Signals signals, long contributions7d, long contributions28d, long wau,
                                  CommunityHealth previous, Instant updatedAt) {
        MaturityRules.Health rules = config.health();
        Double activity = contributions28d == 0 ? 0.0 : 4.0 * contributions7d / contributions28d;
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put(MaturityRules.ENGAGEMENT, activity);
        inputs.put(MaturityRules.RESPONSE, signals.value("responded_within_24h_share"));
        inputs.put(MaturityRules.PEER_SUPPORT, signals.value("peer_reply_share_28d"));
        inputs.put(MaturityRules.COVERAGE, signals.value("required_roles_filled_share"));
        List<HealthComponent> components = new ArrayList<>();
        double weighted = 0;
        double weights = 0;
        for (String name : MaturityRules.HEALTH_COMPONENTS) {
            Double input = inputs.get(name);
            Double score = input == null ? null : round(100 * Math.max(0, Math.min(1, input)));
            double weight = rules.weight(name);
            components.add(HealthComponent.newBuilder().setName(name).setInput(input == null ? null : round(input))
                    .setScore(score).setWeight(weight).build());
            if (score != null) {
                weighted += weight * score;
                weights += weight;
            }
        }
        double score = weights == 0 ? 0 : round(weighted / weights);
        HealthStatus state = state(rules, score, contributions7d, wau);
        return CommunityHealth.newBuilder().setCommunityId(period.communityId()).setPeriodStart(period.start())
                .setPeriodEnd(period.end()).setComplete(period.complete()).setScore(score).setState(state)
                .setComponents(components).setContributions7d(contributions7d).setWau(wau)
                .setPreviousScore(previous == null ? null : previous.getScore())
                .setPreviousState(previous == null ? null : previous.getState())
                .setUpdatedAt(updatedAt).build();
    }

    static HealthStatus state(MaturityRules.Health rules, double score, long contributions7d, long wau) {
        if (contributions7d == 0 || score < rules.atRiskMinScore()) {
            return HealthStatus.STALLED;
        }
        if (score >= rules.thrivingMinScore() && wau >= rules.thrivingMinWau()) {
            return HealthStatus.THRIVING;
        }
        return score >= rules.healthyMinScore() ? HealthStatus.HEALTHY : HealthStatus.AT_RISK;
    }

    /** Four decimals: stable text in JSON and exact equality between replays. */
    static double round(double v) {
        return Math.round(v * 10_000d) / 10_000d;
    }
}
