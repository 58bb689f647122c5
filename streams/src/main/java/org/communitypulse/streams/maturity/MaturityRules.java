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
                             ProgrammedContent programmedContent, Health health,
                             Map<String, Organisation> organisations) {

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

    /** Each signal in words (docs/maturity.md), for the scorecard's evidence and what is missing. */
    public static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("goal_attainment", "attainment of the declared goals at the period end (mean of measured / target)"),
            Map.entry("goals_declared", "goals with a target declared and valid at the period end"),
            Map.entry("goals_tracked", "declared goals whose signal is measured at the period end"),
            Map.entry("strategy_documented", "a documented strategy and a declared purpose with its channel scope"),
            Map.entry("budget_declared", "a dedicated community budget declared and valid"),
            Map.entry("policies_published", "policies declared as published and valid"),
            Map.entry("dashboards_in_use", "metrics dashboards declared in use"),
            Map.entry("tools_in_use", "metrics dashboards declared in use, plus one when metrics were reviewed in the quarter"),
            Map.entry("metrics_reviews_90d", "metrics reviews held in the 91 days to the period end"),
            Map.entry("assessment", "the stage a survey or self-assessment of this competency found"),
            Map.entry("wau", "members active in the 7 days"),
            Map.entry("mau", "members active in the 28 days"),
            Map.entry("stickiness", "weekly over monthly active members"),
            Map.entry("contributions_28d", "threads and replies in the 28 days"),
            Map.entry("peer_reply_share_28d", "replies by members who are not staff (28 days); none while no staff is known"),
            Map.entry("reciprocity_28d", "members who both asked and replied, over members who did either (28 days)"),
            Map.entry("threads_week", "threads started in the week"),
            Map.entry("responded_within_24h_share", "threads of the week answered within 24 hours"),
            Map.entry("responded_within_7d_share", "threads of the week answered within 7 days"),
            Map.entry("team_roles_active_share", "team roles whose holder was active (beyond the grant) recently"),
            Map.entry("sponsor_active", "an executive sponsor holds the role and was active (beyond the grant)"),
            Map.entry("required_roles_filled_share", "required roles with an active holder"),
            Map.entry("programmed_threads_28d", "programmed threads (AMAs, events, newsletters...) in the 28 days"),
            Map.entry("programmed_weeks_28d", "weeks of the 4 with at least one programmed thread"),
            Map.entry("guideline_acknowledged_share", "accountable members (any role, or a level above the lowest) who acknowledged a policy"),
            Map.entry("trained_share", "Corporate Users with every required training valid"),
            Map.entry("open_violations", "open policy violations"),
            Map.entry("open_threads", "threads without a reply"),
            Map.entry("connected_sources_28d", "platforms that delivered events in the 28 days"),
            Map.entry("source_freshness_share", "sources of the 28 days that also delivered this week"),
            Map.entry("active_day_share_28d", "days of the 28 with at least one event"),
            Map.entry("field_completeness_28d", "events with the fields their type needs (anonymous votes and reactions are complete)"));

    private static Map<String, Boolean> signals() {
        Map<String, Boolean> s = new LinkedHashMap<>();
        for (String higher : List.of("goal_attainment", "goals_declared", "goals_tracked", "strategy_documented",
                "budget_declared", "policies_published", "dashboards_in_use", "tools_in_use", "metrics_reviews_90d", "assessment",
                "wau", "mau", "stickiness", "contributions_28d",
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
    public record Signal(String signal, List<Double> thresholds, Boolean higherIsBetter, Double worst, Double best,
                         boolean optional) {

        /** A signal that holds its competency back when it has no value. */
        public Signal(String signal, List<Double> thresholds, Boolean higherIsBetter, Double worst, Double best) {
            this(signal, thresholds, higherIsBetter, worst, best, false);
        }

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

    /** An organisation and the communities that belong to it (an organisation declaration overrides). */
    public record Organisation(String name, List<String> communities) {
        public Organisation {
            communities = communities == null ? List.of() : List.copyOf(communities);
        }
    }

    /** Without organisations in the configuration. */
    public MaturityRules(List<String> stages, List<Competency> competencies, Goals goals,
                         ProgrammedContent programmedContent, Health health) {
        this(stages, competencies, goals, programmedContent, health, Map.of());
    }

    /** The organisation {@code community} belongs to in the configuration; null when none. */
    public String organisationOf(String community) {
        return organisations.entrySet().stream().filter(e -> e.getValue().communities().contains(community))
                .map(Map.Entry::getKey).sorted().findFirst().orElse(null);
    }

    /** The name of the organisation {@code community} belongs to in the configuration; null when none is given. */
    public String organisationNameOf(String community) {
        String id = organisationOf(community);
        return id == null ? null : organisations.get(id).name();
    }

    public MaturityRules {
        organisations = organisations == null ? Map.of() : Map.copyOf(organisations);
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

    /** Signals a goal may target: measured from activity, not from declarations. */
    private static final Set<String> MEASURED_GOALS = Set.of("wau", "mau", "stickiness", "contributions_28d",
            "peer_reply_share_28d", "reciprocity_28d", "threads_week", "responded_within_24h_share",
            "responded_within_7d_share", "team_roles_active_share", "required_roles_filled_share",
            "programmed_threads_28d", "programmed_weeks_28d", "guideline_acknowledged_share", "trained_share",
            "open_violations", "open_threads", "connected_sources_28d", "active_day_share_28d");

    /** Whether a goal (configured or declared) may target {@code signal}. */
    public static boolean goalSignal(String signal) {
        return MEASURED_GOALS.contains(signal);
    }

    private static void checkGoal(String signal, String owner) {
        if (!SIGNALS.containsKey(signal) || !MEASURED_GOALS.contains(signal)) {
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
