package org.communitypulse.streams.maturity.internals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CompetencyScore;
import org.communitypulse.schemas.avro.DeclarationRef;
import org.communitypulse.schemas.avro.HealthComponent;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.MissingEvidence;
import org.communitypulse.schemas.avro.SignalEvidence;
import org.communitypulse.streams.maturity.MaturityRules;

/**
 * Pure scoring: measured signals in, scorecard and health record out (see {@code docs/maturity.md}).
 * Every score is non-decreasing in every signal taken in its good direction, which the property tests check.
 */
final class MaturityScorer {

    public static final String GOAL_ATTAINMENT = "goal_attainment";
    public static final String ASSESSMENT = "assessment";

    /**
     * Measured values of one community and week, with what each was computed from, the declarations each rests
     * on, and the goals in force at the period end ({@code null}: the configured goals of the community).
     */
    public record Signals(Map<String, Double> values, Map<String, Map<String, Double>> inputs,
                          Map<String, List<DeclarationRef>> declarations, List<Goal> goals) {
        public Signals {
            values = new LinkedHashMap<>(values);
            inputs = new LinkedHashMap<>(inputs);
            declarations = new LinkedHashMap<>(declarations);
        }

        public Signals(Map<String, Double> values, Map<String, Map<String, Double>> inputs) {
            this(values, inputs, Map.of(), null);
        }

        public Double value(String signal) {
            return values.get(signal);
        }
    }

    /** A goal: a signal and its target, from the configuration ({@code declaration} null) or declared. */
    public record Goal(String subject, String signal, double target, LocalDate deadline, DeclarationRef declaration) {
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

    /** The goals of {@code signals}, or the configured goals of the community when the processor gave none. */
    public List<Goal> goals(String community, Signals signals) {
        if (signals.goals() != null) {
            return signals.goals();
        }
        return new java.util.TreeMap<>(config.goals().of(community)).entrySet().stream()
                .map(g -> new Goal(g.getKey(), g.getKey(), g.getValue(), null, null)).toList();
    }

    /**
     * Goal attainment: the mean over the goals of min(1, measured / target) (target / measured for a
     * lower-is-better signal), measured at the period end; null when the community has no goals. Inputs name each
     * measured value and target. Also sets {@code goals_declared} (the goals) and {@code goals_tracked} (those whose
     * signal has a value), each resting on the goals' declarations.
     */
    public Double goalAttainment(String community, Signals signals, Map<String, Double> inputs) {
        List<Goal> goals = goals(community, signals);
        List<DeclarationRef> refs = goals.stream().map(Goal::declaration).filter(java.util.Objects::nonNull).toList();
        int tracked = 0;
        double sum = 0;
        for (Goal goal : goals) {
            Double measured = signals.value(goal.signal());
            inputs.put(goal.subject() + ".target", goal.target());
            if (measured != null) {
                inputs.put(goal.subject(), measured);
                tracked++;
            }
            sum += attainment(MaturityRules.SIGNALS.getOrDefault(goal.signal(), true), measured, goal.target());
        }
        signals.values().put("goals_declared", (double) goals.size());
        signals.values().put("goals_tracked", (double) tracked);
        signals.declarations().put("goals_declared", refs);
        signals.declarations().put("goals_tracked", refs);
        signals.declarations().put(GOAL_ATTAINMENT, refs);
        return goals.isEmpty() ? null : sum / goals.size();
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
        double scoreSum = 0;
        for (MaturityRules.Competency competency : config.competencies()) {
            competencies.add(competency(competency, signals, previous));
            scoreSum += competencies.get(competencies.size() - 1).getScore();
        }
        int overallStage = overallStage(competencies.stream().map(CompetencyScore::getStage).toList());
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
     * The overall stage: the lower median of the competency stages, i.e. the highest stage that a majority (more
     * than half) of the competencies have reached. The model describes an organisation by its profile across the competencies;
     * the stage most of them reach is where it stands, so that one lagging competency does not pull it to
     * Hierarchy nor one leading competency lift it.
     */
    static int overallStage(List<Integer> stages) {
        List<Integer> sorted = stages.stream().sorted(java.util.Comparator.reverseOrder()).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The value key of a rule in a competency: an assessment is per competency. */
    static String valueKey(MaturityRules.Signal rule, MaturityRules.Competency competency) {
        return ASSESSMENT.equals(rule.signal()) ? ASSESSMENT + "." + competency.id() : rule.signal();
    }

    private CompetencyScore competency(MaturityRules.Competency competency, Signals signals,
                                       MaturityScorecard previous) {
        List<SignalEvidence> evidence = new ArrayList<>();
        int stage = MaturityRules.STAGES;
        double sum = 0;
        int counted = 0;
        List<double[]> scored = new ArrayList<>();
        for (MaturityRules.Signal rule : competency.signals()) {
            String key = valueKey(rule, competency);
            Double value = signals.value(key);
            double[] s = score(rule, value);
            boolean skipped = rule.optional() && (value == null || value.isNaN());
            scored.add(skipped ? null : s);
            if (!skipped) {
                stage = Math.min(stage, (int) s[0]);
                sum += s[1];
                counted++;
            }
            evidence.add(SignalEvidence.newBuilder().setSignal(rule.signal()).setValue(value)
                    .setThresholds(rule.thresholds()).setHigherIsBetter(rule.higherIsBetter())
                    .setBest(rule.best()).setWorst(rule.worst()).setStage((int) s[0]).setScore(s[1])
                    .setInputs(new LinkedHashMap<>(signals.inputs().getOrDefault(key, Map.of())))
                    .setDescription(MaturityRules.DESCRIPTIONS.get(rule.signal()) + (rule.optional() ? " (optional)" : ""))
                    .setDeclarations(new ArrayList<>(signals.declarations().getOrDefault(key, List.of())))
                    .build());
        }
        if (counted == 0) {
            stage = 1; // nothing but absent optional evidence: nothing shows the competency
        }
        // The mean of its signals, kept inside the band of its stage: a score never contradicts the stage.
        double score = round(Math.min(Math.max(counted == 0 ? 0 : sum / counted, 25.0 * (stage - 1)),
                stage == MaturityRules.STAGES ? 100 : 25.0 * stage - 0.0001));
        List<MissingEvidence> missing = new ArrayList<>();
        if (stage < MaturityRules.STAGES) {
            for (int i = 0; i < competency.signals().size(); i++) {
                MaturityRules.Signal rule = competency.signals().get(i);
                double[] s = scored.get(i);
                if (s != null && s[0] <= stage || s == null && counted == 0) {
                    missing.add(missing(rule, evidence.get(i).getValue(), stage + 1));
                }
            }
        }
        int finalStage = stage;
        CompetencyScore prev = previous == null ? null : previous.getCompetencies().stream()
                .filter(c -> c.getCompetency().equals(competency.id())).findFirst().orElse(null);
        return CompetencyScore.newBuilder().setCompetency(competency.id())
                .setName(competency.name() == null ? competency.id() : competency.name())
                .setStage(finalStage).setStageName(config.stageName(finalStage)).setScore(score)
                .setPreviousStage(prev == null ? null : prev.getStage())
                .setPreviousScore(prev == null ? null : prev.getScore())
                .setScoreChange(prev == null ? null : round(score - prev.getScore()))
                .setEvidence(evidence)
                .setNextStage(finalStage < MaturityRules.STAGES ? finalStage + 1 : null)
                .setMissing(missing).build();
    }

    private MissingEvidence missing(MaturityRules.Signal rule, Double value, int nextStage) {
        double needed = rule.thresholds().get(nextStage - 2);
        String what = MaturityRules.DESCRIPTIONS.get(rule.signal());
        String comparison = rule.higherIsBetter() ? "at least " : "at most ";
        String description = what + ": " + (value == null ? "none" : formatted(value)) + ", needs " + comparison
                + formatted(needed) + " for stage " + nextStage + " (" + config.stageName(nextStage) + ")";
        return MissingEvidence.newBuilder().setSignal(rule.signal()).setValue(value).setNeeded(needed)
                .setHigherIsBetter(rule.higherIsBetter()).setDescription(description).build();
    }

    private static String formatted(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(round(v));
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
