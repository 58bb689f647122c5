package org.communitypulse.streams.organisation.internals;

import java.util.List;
import java.util.Objects;
import org.communitypulse.schemas.avro.OrganisationCommunityStaff;
import org.communitypulse.schemas.avro.OrganisationStaffShare;
import org.communitypulse.schemas.avro.OrganisationWeekKey;
import org.communitypulse.schemas.avro.StaffShare;
import org.communitypulse.streams.organisation.OrganisationViews;

/**
 * An organisation's Corporate User share for a week. The headcount declaration states the organisation's staff, so
 * it is taken once (the largest its communities declare), never summed; the Corporate Users are summed over the
 * communities, so a person who is a Corporate User in two communities counts twice. The trend is the mean of the
 * communities' own 4-week trends: the organisation's share 4 weeks before is another record, which an exact,
 * order-insensitive roll-up of one week cannot read.
 */
public final class StaffRollup {

    private StaffRollup() {
    }

    public static OrganisationCommunityStaff entry(StaffShare share) {
        return new OrganisationCommunityStaff(share.getCommunityId(), share.getStaffHeadcount(),
                share.getCorporateUsers(), share.getCorporateUserShare(), share.getTrend(), share.getUpdatedAt());
    }

    /** Its adder and subtractor. */
    public static final Rollup<OrganisationCommunityStaff, OrganisationStaffShare> ROLLUP = new Rollup<>(OrganisationStaffShare::getCommunities,
            OrganisationCommunityStaff::getCommunityId, StaffRollup::build);

    static OrganisationStaffShare build(String key, List<OrganisationCommunityStaff> members) {
        if (members.isEmpty()) {
            return null;
        }
        OrganisationWeekKey week = OrganisationViews.topicWeekKey(key);
        List<Integer> declared = members.stream().map(OrganisationCommunityStaff::getStaffHeadcount)
                .filter(Objects::nonNull).toList();
        Integer headcount = declared.stream().max(Integer::compare).orElse(null);
        int corporateUsers = members.stream().mapToInt(OrganisationCommunityStaff::getCorporateUsers).sum();
        List<Double> trends = members.stream().map(OrganisationCommunityStaff::getTrend).filter(Objects::nonNull)
                .toList();
        return new OrganisationStaffShare(week.getOrganisationId(), week.getDay(), headcount,
                declared.stream().distinct().count() > 1, corporateUsers,
                headcount == null || headcount == 0 ? null : (double) corporateUsers / headcount,
                trends.isEmpty() ? null : ScorecardRollup.mean(trends), members, members.size(),
                ScorecardRollup.latest(members.stream().map(OrganisationCommunityStaff::getUpdatedAt).toList()));
    }
}
