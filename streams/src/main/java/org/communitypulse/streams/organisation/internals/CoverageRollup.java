package org.communitypulse.streams.organisation.internals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.OrganisationCommunityRole;
import org.communitypulse.schemas.avro.OrganisationCoverage;
import org.communitypulse.schemas.avro.OrganisationRoleKey;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.streams.organisation.OrganisationViews;

/** One role across an organisation's communities: how many fill it, which are vacant and what that costs. */
public final class CoverageRollup {

    private CoverageRollup() {
    }

    /** What the roll-up keeps of a coverage record: no member ids, the organisation left empty until joined. */
    public static OrganisationCommunityRole row(RoleCoverage coverage) {
        if (coverage == null) {
            return null;
        }
        return new OrganisationCommunityRole(coverage.getCommunityId(), "", coverage.getRole(),
                coverage.getRoleName(), coverage.getRequired(), coverage.getFilled(), coverage.getActiveHolders().size(),
                coverage.getVacantSince(), coverage.getConsequence(), coverage.getAsOf());
    }

    /** A community's row joined with the community's current organisation; null (no row) without one. */
    public static OrganisationCommunityRole entry(OrganisationCommunityRole row, String organisation) {
        if (organisation == null) {
            return null;
        }
        return OrganisationCommunityRole.newBuilder(row).setOrganisationId(organisation).build();
    }

    /** Its adder and subtractor. */
    public static final Rollup<OrganisationCommunityRole, OrganisationCoverage> ROLLUP = new Rollup<>(OrganisationCoverage::getRows,
            OrganisationCommunityRole::getCommunityId, CoverageRollup::build);

    static OrganisationCoverage build(String key, List<OrganisationCommunityRole> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        OrganisationRoleKey role = OrganisationViews.topicRoleKey(key);
        Map<String, Instant> vacantSince = new TreeMap<>();
        rows.stream().filter(r -> !r.getFilled() && r.getVacantSince() != null)
                .forEach(r -> vacantSince.put(r.getCommunityId(), r.getVacantSince()));
        List<String> filled = rows.stream().filter(OrganisationCommunityRole::getFilled)
                .map(OrganisationCommunityRole::getCommunityId).toList();
        List<String> vacant = rows.stream().filter(r -> !r.getFilled())
                .map(OrganisationCommunityRole::getCommunityId).toList();
        return new OrganisationCoverage(role.getOrganisationId(), role.getRole(), rows.get(0).getRoleName(),
                rows.stream().anyMatch(OrganisationCommunityRole::getRequired), rows.size(), filled.size(), filled,
                vacant, vacantSince, rows.stream().map(OrganisationCommunityRole::getConsequence)
                .filter(Objects::nonNull).findFirst().orElse(null), rows,
                ScorecardRollup.latest(rows.stream().map(OrganisationCommunityRole::getAsOf).toList()));
    }
}
