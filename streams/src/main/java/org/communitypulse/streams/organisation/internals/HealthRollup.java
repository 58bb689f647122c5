package org.communitypulse.streams.organisation.internals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.avro.OrganisationCommunityHealth;
import org.communitypulse.schemas.avro.OrganisationHealth;
import org.communitypulse.schemas.avro.OrganisationWeekKey;
import org.communitypulse.streams.organisation.OrganisationViews;

/**
 * An organisation's health for a week from its communities' health records. The score is the plain mean of the
 * scores of the communities whose state is known: each community weighs the same, so a large healthy community
 * does not hide a small one that is stalling. The state is the one a majority of them reach, in the order
 * STALLED, AT_RISK, HEALTHY, THRIVING ({@link Majority}).
 */
public final class HealthRollup {

    /** Worst first: the order {@link Majority} ranks states in. */
    private static final List<HealthStatus> ORDER = List.of(HealthStatus.STALLED, HealthStatus.AT_RISK,
            HealthStatus.HEALTHY, HealthStatus.THRIVING);

    private HealthRollup() {
    }

    public static OrganisationCommunityHealth entry(CommunityHealth health) {
        return new OrganisationCommunityHealth(health.getCommunityId(), health.getPeriodEnd(), health.getComplete(),
                health.getScore(), health.getState().name(), health.getWau(), health.getContributions7d(),
                health.getUpdatedAt());
    }

    /** Its adder and subtractor. */
    public static final Rollup<OrganisationCommunityHealth, OrganisationHealth> ROLLUP = new Rollup<>(OrganisationHealth::getCommunities,
            OrganisationCommunityHealth::getCommunityId, HealthRollup::build);

    static OrganisationHealth build(String key, List<OrganisationCommunityHealth> members) {
        if (members.isEmpty()) {
            return null;
        }
        OrganisationWeekKey week = OrganisationViews.topicWeekKey(key);
        List<OrganisationCommunityHealth> known = members.stream()
                .filter(m -> ORDER.contains(HealthStatus.valueOf(m.getState()))).toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (HealthStatus status : HealthStatus.values()) {
            counts.put(status.name(), (int) members.stream().filter(m -> m.getState().equals(status.name())).count());
        }
        String state = known.isEmpty() ? HealthStatus.UNKNOWN_STATUS.name() : ORDER.get(Majority.of(known.stream()
                .map(m -> ORDER.indexOf(HealthStatus.valueOf(m.getState()))).toList())).name();
        return new OrganisationHealth(week.getOrganisationId(), week.getDay(),
                ScorecardRollup.lastDay(members.stream().map(OrganisationCommunityHealth::getPeriodEnd).toList(),
                        week.getDay()),
                members.stream().allMatch(OrganisationCommunityHealth::getComplete),
                known.isEmpty() ? null : ScorecardRollup.mean(known.stream()
                        .map(OrganisationCommunityHealth::getScore).toList()),
                state, counts, members.stream().mapToLong(OrganisationCommunityHealth::getWau).sum(),
                members.stream().mapToLong(OrganisationCommunityHealth::getContributions7d).sum(), members,
                members.size(), ScorecardRollup.latest(members.stream().map(OrganisationCommunityHealth::getUpdatedAt)
                .toList()));
    }
}
