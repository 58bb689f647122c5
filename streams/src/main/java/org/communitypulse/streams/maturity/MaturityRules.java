package org.communitypulse.streams.maturity;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.streams.common.YamlConfigFiles;

/**
 * The maturity scorecard's rule set and the health score's weights, as data (see {@code docs/maturity.md}).
 * The defaults ship as {@link #BUILT_IN} ({@code maturity.yaml} next to this class);
 * {@code maturity.config.file} points at an organisation's own copy. Checked when loaded: an unknown key or
 * signal, thresholds out of order or a negative weight stop the application with a message naming it.
 */
public record MaturityRules(List<String> stages, List<Competency> competencies, Goals goals,
                             ProgrammedContent programmedContent, Health health) {

    /** Value of {@code maturity.config.file} meaning the file shipped with the pipeline. */
    public static final String BUILT_IN = "builtin:maturity.yaml";
    /** Stages of the model: 1 Hierarchy ... 4 Network. */
    public static final int STAGES = 4;

    /** The signals a rule may name, with whether more is better (see docs/maturity.md for each). */
    public static final Map<String, Boolean> SIGNALS = signals();

    public static final String ENGAGEMENT = "engagement";
    public static final String RESPONSE = "response";
    public static final String PEER_SUPPORT = "peer_support";
    public static final String COVERAGE = "coverage";
    public static final List<String> HEALTH_COMPONENTS = List.of(ENGAGEMENT, RESPONSE, PEER_SUPPORT, COVERAGE);

    private static Map<String, Boolean> signals() {
        Map<String, Boolean> s = new LinkedHashMap<>();
        for (String higher : List.of("goal_attainment", "wau", "mau", "stickiness", "contributions_28d",
                "peer_reply_share_28d", "reciprocity_28d", "threads_week", "responded_within_24h_share",
                "responded_within_7d_share", "team_roles_active_share", "sponsor_active",
                "required_roles_filled_share", "programmed_threads_28d", "programmed_weeks_28d",
                "guideline_acknowledged_share", "trained_share", "connected_sources_28d", "source_freshness_share",
                "active_day_share_28d", "field_completeness_28d")) {
            s.put(higher, true);
        }
        s.put("open_violations", false);
        s.put("open_threads", false);
        return Map.copyOf(s);
    }

    /** One competency of the model and the signals that place it. */
    public record Competency(String id, String name, List<Signal> signals) {
        public Competency {
            signals = signals == null ? List.of() : List.copyOf(signals);
        }
    }

    /**
     * A signal's rule: {@code thresholds} reach stages 2, 3 and 4; {@code worst} scores 0, {@code best} 100.
     * {@code higherIsBetter} null means the catalogue's direction.
     */
    public record Signal(String signal, List<Double> thresholds, Boolean higherIsBetter, Double worst, Double best) {

        public Signal {
            signal = signal == null ? null : signal.trim().toLowerCase(Locale.ROOT);
            if (higherIsBetter == null && signal != null) {
                higherIsBetter = SIGNALS.getOrDefault(signal, true);
            }
            thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
            if (thresholds.size() == STAGES - 1) {
                if (best == null) {
                    best = thresholds.get(STAGES - 2);
                }
                if (worst == null) {
                    worst = higherIsBetter ? 0.0 : Math.max(1.0, 2 * thresholds.get(0));
                }
            }
        }

        /** +1 when more is better, -1 otherwise: multiplying by it turns every rule into "more is better". */
        public double direction() {
            return higherIsBetter ? 1 : -1;
        }
    }

    /** Declared goals: signal to target, per community; a community's own entry replaces the default. */
    public record Goals(@com.fasterxml.jackson.annotation.JsonProperty("default") Map<String, Double> defaults,
                        Map<String, Map<String, Double>> communities) {

        public Goals {
            defaults = defaults == null ? Map.of() : Map.copyOf(defaults);
            communities = communities == null ? Map.of() : Map.copyOf(communities);
        }

        public Map<String, Double> of(String community) {
            return communities.getOrDefault(community, defaults);
        }
    }

    /** Health score weights (by component) and state thresholds (scores, 0-100). */
    public record Health(Map<String, Double> weights, double thrivingMinScore, double healthyMinScore,
                         double atRiskMinScore, long thrivingMinWau) {
        public Health {
            weights = weights == null ? Map.of() : Map.copyOf(weights);
        }

        public double weight(String component) {
            return weights.getOrDefault(component, 0.0);
        }
    }

    public MaturityRules {
        stages = stages == null ? List.of() : List.copyOf(stages);
        competencies = competencies == null ? List.of() : List.copyOf(competencies);
        goals = goals == null ? new Goals(Map.of(), Map.of()) : goals;
        programmedContent = programmedContent == null ? ProgrammedContent.none() : programmedContent;
        validate(stages, competencies, goals, health);
    }

    /** Name of stage {@code stage} (1-based). */
    public String stageName(int stage) {
        return stages.get(stage - 1);
    }

    private static void validate(List<String> stages, List<Competency> competencies, Goals goals, Health health) {
        if (stages.size() != STAGES) {
            throw new ConfigException("'stages' must name " + STAGES + " stages, found " + stages.size());
        }
        if (competencies.isEmpty()) {
            throw new ConfigException("'competencies' is empty");
        }
        Set<String> ids = new HashSet<>();
        for (Competency c : competencies) {
            if (c.id() == null || c.id().isBlank() || !ids.add(c.id())) {
                throw new ConfigException("competency id missing or duplicate: '" + c.id() + "'");
            }
            if (c.signals().isEmpty()) {
                throw new ConfigException("competency '" + c.id() + "' has no signals");
            }
            for (Signal s : c.signals()) {
                String where = "competency '" + c.id() + "' signal '" + s.signal() + "'";
                if (s.signal() == null || !SIGNALS.containsKey(s.signal())) {
                    throw new ConfigException(where + " is not a known signal (known: " + SIGNALS.keySet() + ")");
                }
                List<Double> t = s.thresholds();
                if (t.size() != STAGES - 1) {
                    throw new ConfigException(where + ": 'thresholds' needs " + (STAGES - 1) + " values (stages 2-4)");
                }
                double d = s.direction();
                for (int i = 1; i < t.size(); i++) {
                    if (d * t.get(i) < d * t.get(i - 1)) {
                        throw new ConfigException(where + ": thresholds must " + (d > 0 ? "not decrease" : "not increase"));
                    }
                }
                if (d * s.worst() > d * t.get(0) || d * s.best() < d * t.get(t.size() - 1)) {
                    throw new ConfigException(where + ": 'worst' must not be past the first threshold nor 'best' "
                            + "short of the last");
                }
            }
        }
        goals.defaults().keySet().forEach(g -> checkGoal(g, "default"));
        goals.communities().forEach((community, own) -> own.keySet().forEach(g -> checkGoal(g, community)));
        if (health == null) {
            throw new ConfigException("maturity configuration has no 'health' section");
        }
        for (Map.Entry<String, Double> w : health.weights().entrySet()) {
            if (!HEALTH_COMPONENTS.contains(w.getKey())) {
                throw new ConfigException("health weight '" + w.getKey() + "' is not a component (" + HEALTH_COMPONENTS + ")");
            }
            if (w.getValue() == null || w.getValue() < 0) {
                throw new ConfigException("health weight '" + w.getKey() + "' must be >= 0");
            }
        }
        if (!(health.atRiskMinScore() <= health.healthyMinScore() && health.healthyMinScore() <= health.thrivingMinScore())) {
            throw new ConfigException("health thresholds must satisfy at_risk_min_score <= healthy_min_score <= thriving_min_score");
        }
    }

    private static void checkGoal(String signal, String owner) {
        if (!SIGNALS.containsKey(signal) || "goal_attainment".equals(signal)) {
            throw new ConfigException("goal '" + signal + "' of " + owner + " is not a measured signal (known: "
                    + SIGNALS.keySet() + ")");
        }
    }

    /** Loads {@code location}: {@link #BUILT_IN} or a file path. */
    public static MaturityRules load(String location) {
        return YamlConfigFiles.load(location, BUILT_IN, "maturity.yaml", MaturityRules.class, "maturity");
    }

    /** The shipped defaults. */
    public static MaturityRules defaults() {
        return load(BUILT_IN);
    }

    /** Parses YAML text (tests, and {@link #load}). */
    public static MaturityRules parse(InputStream in, String origin) throws IOException {
        return YamlConfigFiles.parse(in, origin, MaturityRules.class, "maturity");
    }
}
