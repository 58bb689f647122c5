package org.communitypulse.streams.maturity.internals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.DeclarationRef;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.schemas.declarations.Declaration.Kind;

/**
 * A community's declarations (EVIDENCE_DECLARED events) and the signals they give at a period end (see
 * {@code docs/maturity.md}, "Declared evidence"). Per kind and subject, the declaration in force on a day is the
 * latest effective on or before it; it counts only when valid on that day (a withdrawal or an expiry leaves none).
 * A function of the set of declarations: their arrival order does not matter.
 */
final class DeclaredEvidence {

    /** Days of the metrics review window ending on the period end: a quarter. */
    static final int REVIEW_WINDOW_DAYS = 91;

    /** The declarations sorted by kind, subject, effective instant and event id (the store's key order). */
    private final List<Declaration> all;

    DeclaredEvidence(List<Declaration> sorted) {
        this.all = List.copyOf(sorted);
    }

    /** The declarations in force on {@code day}, by kind and subject. */
    Map<String, Declaration> inForce(LocalDate day) {
        Map<String, Declaration> latest = new TreeMap<>();
        for (Declaration d : all) {
            if (!d.effectiveOn().isAfter(day)) {
                // Sorted by effective instant within a kind and subject: the last one put is the latest.
                latest.put(d.kind().id() + '\u0000' + d.subject(), d);
            }
        }
        latest.values().removeIf(d -> !d.validOn(day));
        return latest;
    }

    /** Facts of one period end: the signals' values, inputs and declarations, the goals and the organisation. */
    record Facts(Map<String, Double> values, Map<String, Map<String, Double>> inputs,
                 Map<String, List<DeclarationRef>> declarations, List<MaturityScorer.Goal> goals,
                 String organisationId, String organisationName, Integer headcount) {
    }

    /**
     * The declared signals on {@code end}: strategy_documented, budget_declared, policies_published,
     * dashboards_in_use, metrics_reviews_90d and assessment.{competency}; the goals in force (a declared goal on a
     * signal replaces the configured goal on it); the organisation (declared, else {@code configuredOrganisation}).
     */
    Facts at(LocalDate end, Map<String, Double> configuredGoals, String configuredOrganisation,
             String configuredName) {
        Map<String, Declaration> inForce = inForce(end);
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Map<String, Double>> inputs = new LinkedHashMap<>();
        Map<String, List<DeclarationRef>> refs = new LinkedHashMap<>();

        List<Declaration> strategy = of(inForce, Kind.STRATEGY);
        List<Declaration> purpose = of(inForce, Kind.PURPOSE);
        values.put("strategy_documented", (double) (Math.min(1, strategy.size()) + Math.min(1, purpose.size())));
        inputs.put("strategy_documented", Map.of("strategies", (double) strategy.size(), "purposes",
                (double) purpose.size(), "scopedChannels", (double) purpose.stream()
                        .mapToLong(p -> p.field("channels") == null ? 0 : p.field("channels").split(",").length).sum()));
        refs.put("strategy_documented", refs(concat(strategy, purpose)));

        List<Declaration> budgets = of(inForce, Kind.BUDGET).stream()
                .filter(b -> b.number("amount") != null && b.number("amount") > 0).toList();
        values.put("budget_declared", budgets.isEmpty() ? 0.0 : 1.0);
        inputs.put("budget_declared", Map.of("amount", budgets.stream().mapToDouble(b -> b.number("amount")).sum()));
        refs.put("budget_declared", refs(budgets));

        List<Declaration> policies = of(inForce, Kind.POLICY);
        values.put("policies_published", (double) policies.size());
        refs.put("policies_published", refs(policies));

        List<Declaration> dashboards = of(inForce, Kind.DASHBOARD);
        values.put("dashboards_in_use", (double) dashboards.size());
        refs.put("dashboards_in_use", refs(dashboards));

        // A review is a dated event, not a standing fact: every review of the window counts, not only the latest.
        LocalDate windowStart = end.minusDays(REVIEW_WINDOW_DAYS - 1);
        List<Declaration> reviews = all.stream().filter(d -> d.kind() == Kind.METRICS_REVIEW && !d.withdrawn()
                && !d.effectiveOn().isBefore(windowStart) && !d.effectiveOn().isAfter(end)).toList();
        values.put("metrics_reviews_90d", (double) reviews.size());
        refs.put("metrics_reviews_90d", refs(reviews));
        // A review shows a tool in use even without a declared dashboard: either one is evidence of the practice.
        values.put("tools_in_use", dashboards.size() + (reviews.isEmpty() ? 0.0 : 1.0));
        inputs.put("tools_in_use", Map.of("dashboards", (double) dashboards.size(), "reviews", (double) reviews.size()));
        refs.put("tools_in_use", refs(concat(dashboards, reviews.isEmpty() ? List.of() : List.of(reviews.get(reviews.size() - 1)))));

        for (Declaration a : of(inForce, Kind.ASSESSMENT)) {
            String competency = a.field("competency") != null ? a.field("competency") : a.subject();
            String key = MaturityScorer.ASSESSMENT + "." + competency.trim().toLowerCase(java.util.Locale.ROOT);
            Double stage = a.number("stage");
            Double score = a.number("score");
            values.put(key, stage != null ? stage : Math.min(4, 1 + Math.floor(score / 25)));
            Map<String, Double> in = new LinkedHashMap<>();
            if (score != null) {
                in.put("score", score);
            }
            inputs.put(key, in);
            refs.put(key, refs(List.of(a)));
        }

        List<MaturityScorer.Goal> goals = new ArrayList<>();
        List<Declaration> declaredGoals = of(inForce, Kind.GOAL);
        java.util.Set<String> declaredSignals = new java.util.HashSet<>();
        for (Declaration g : declaredGoals) {
            String signal = g.field("signal").trim().toLowerCase(java.util.Locale.ROOT);
            declaredSignals.add(signal);
            goals.add(new MaturityScorer.Goal(g.subject(), signal, g.number("target"), g.date("deadline"), ref(g)));
        }
        new TreeMap<>(configuredGoals).forEach((signal, target) -> {
            if (!declaredSignals.contains(signal)) {
                goals.add(new MaturityScorer.Goal(signal, signal, target, null, null));
            }
        });

        Declaration organisation = of(inForce, Kind.ORGANISATION).stream().findFirst().orElse(null);
        Declaration headcount = of(inForce, Kind.HEADCOUNT).stream().findFirst().orElse(null);
        return new Facts(values, inputs, refs, goals,
                organisation != null ? organisation.field("organisation") : configuredOrganisation,
                organisation != null ? organisation.field("name") : configuredName,
                headcount == null ? null : headcount.number("staff").intValue());
    }

    private static List<Declaration> of(Map<String, Declaration> inForce, Kind kind) {
        return inForce.values().stream().filter(d -> d.kind() == kind).toList();
    }

    private static List<Declaration> concat(List<Declaration> a, List<Declaration> b) {
        List<Declaration> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    private static List<DeclarationRef> refs(List<Declaration> declarations) {
        return declarations.stream().map(DeclaredEvidence::ref).toList();
    }

    static DeclarationRef ref(Declaration d) {
        return DeclarationRef.newBuilder().setKind(d.kind().id()).setSubject(d.subject()).setEvidence(d.evidence())
                .setDeclaredBy(d.declaredBy()).setDeclaredOn(d.effectiveOn()).setValidUntil(d.validUntil()).build();
    }
}
