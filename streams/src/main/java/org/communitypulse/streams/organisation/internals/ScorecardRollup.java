package org.communitypulse.streams.organisation.internals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.communitypulse.schemas.avro.CompetencyScore;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.OrganisationCommunityScore;
import org.communitypulse.schemas.avro.OrganisationCompetency;
import org.communitypulse.schemas.avro.OrganisationScorecard;
import org.communitypulse.schemas.avro.OrganisationWeekKey;
import org.communitypulse.streams.organisation.OrganisationViews;

/**
 * An organisation's scorecard for a week from its communities' scorecards of that week. Per competency and overall:
 * the score is the mean of the communities' scores (each community weighs the same, whatever its size) and the
 * stage is the one a majority of them reach ({@link Majority}).
 */
public final class ScorecardRollup {

    private static final String COMPETENCY = "competency.";
    private static final String STAGE = "stage.";
    /** Key in {@code names} of the organisation's name as the community's scorecard gives it. */
    private static final String ORGANISATION = "organisation";

    private ScorecardRollup() {
    }

    /** What the roll-up keeps of one community's scorecard. */
    public static OrganisationCommunityScore entry(MaturityScorecard card) {
        Map<String, Integer> stages = new TreeMap<>();
        Map<String, Double> scores = new TreeMap<>();
        Map<String, String> names = new TreeMap<>();
        names.put(STAGE + card.getOverallStage(), card.getOverallStageName());
        if (card.getOrganisationName() != null) {
            names.put(ORGANISATION, card.getOrganisationName());
        }
        for (CompetencyScore c : card.getCompetencies()) {
            stages.put(c.getCompetency(), c.getStage());
            scores.put(c.getCompetency(), c.getScore());
            names.put(COMPETENCY + c.getCompetency(), c.getName());
            names.put(STAGE + c.getStage(), c.getStageName());
        }
        return new OrganisationCommunityScore(card.getCommunityId(), card.getPeriodEnd(), card.getComplete(),
                card.getOverallStage(), card.getOverallStageName(), card.getOverallScore(), stages, scores, names,
                card.getUpdatedAt());
    }

    /** Its adder and subtractor. */
    public static final Rollup<OrganisationCommunityScore, OrganisationScorecard> ROLLUP = new Rollup<>(OrganisationScorecard::getCommunities,
            OrganisationCommunityScore::getCommunityId, ScorecardRollup::build);

    /** Null (the week is deleted) when no community is left. */
    static OrganisationScorecard build(String key, List<OrganisationCommunityScore> members) {
        if (members.isEmpty()) {
            return null;
        }
        OrganisationWeekKey week = OrganisationViews.topicWeekKey(key);
        int overall = Majority.of(members.stream().map(OrganisationCommunityScore::getOverallStage).toList());
        TreeSet<String> ids = new TreeSet<>();
        members.forEach(m -> ids.addAll(m.getStages().keySet()));
        List<OrganisationCompetency> competencies = new ArrayList<>();
        for (String id : ids) {
            List<OrganisationCommunityScore> scoring = members.stream().filter(m -> m.getStages().containsKey(id))
                    .toList();
            int stage = Majority.of(scoring.stream().map(m -> m.getStages().get(id)).toList());
            List<Integer> atStage = new ArrayList<>(List.of(0, 0, 0, 0));
            scoring.forEach(m -> {
                int s = m.getStages().get(id);
                if (s >= 1 && s <= atStage.size()) {
                    atStage.set(s - 1, atStage.get(s - 1) + 1);
                }
            });
            competencies.add(new OrganisationCompetency(id, name(scoring, COMPETENCY + id, id), stage,
                    name(scoring, STAGE + stage, String.valueOf(stage)),
                    mean(scoring.stream().map(m -> m.getScores().get(id)).toList()), scoring.size(), atStage));
        }
        OrganisationScorecard card = new OrganisationScorecard(week.getOrganisationId(), week.getDay(),
                members.stream().map(OrganisationCommunityScore::getPeriodEnd).max(Comparator.naturalOrder())
                        .orElse(week.getDay()),
                members.stream().allMatch(OrganisationCommunityScore::getComplete), overall,
                name(members, STAGE + overall, String.valueOf(overall)),
                mean(members.stream().map(OrganisationCommunityScore::getOverallScore).toList()), competencies,
                members, members.size(), latest(members.stream().map(OrganisationCommunityScore::getUpdatedAt)
                .toList()), null);
        card.setName(name(members, ORGANISATION, null));
        return card;
    }

    /** The name the communities' scorecards give, from the first (by id) that has one. */
    private static String name(List<OrganisationCommunityScore> members, String key, String fallback) {
        return members.stream().map(m -> m.getNames().get(key)).filter(n -> n != null).findFirst().orElse(fallback);
    }

    /** Summed in community order, so the same communities give the same bits whatever order they came in. */
    static double mean(List<Double> values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.isEmpty() ? 0 : sum / values.size();
    }

    static Instant latest(List<Instant> times) {
        return times.stream().max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    }

    static LocalDate lastDay(List<LocalDate> days, LocalDate fallback) {
        return days.stream().max(Comparator.naturalOrder()).orElse(fallback);
    }
}
