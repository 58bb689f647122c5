package org.communitypulse.streams.organisation;

import java.time.LocalDate;
import org.communitypulse.schemas.avro.OrganisationCoverage;
import org.communitypulse.schemas.avro.OrganisationHealth;
import org.communitypulse.schemas.avro.OrganisationRoleKey;
import org.communitypulse.schemas.avro.OrganisationScorecard;
import org.communitypulse.schemas.avro.OrganisationStaffShare;
import org.communitypulse.schemas.avro.OrganisationWeekKey;
import org.communitypulse.streams.common.View;
import org.communitypulse.streams.common.ViewKeys;

/**
 * What the organisation family publishes read-only: the latest records per {@code organisationId NUL Monday}
 * (ISO date) or {@code organisationId NUL role}. The stores follow the organisation roll-up's repartition topics,
 * not the activity topic: an organisation's weeks may live on several instances, so readers gather them from all.
 */
public final class OrganisationViews {

    public static final View<OrganisationScorecard> SCORECARDS = new View<>(OrganisationTopology.SCORECARD_STORE);
    public static final View<OrganisationHealth> HEALTH = new View<>(OrganisationTopology.HEALTH_STORE);
    public static final View<OrganisationCoverage> COVERAGE = new View<>(OrganisationTopology.COVERAGE_STORE);
    public static final View<OrganisationStaffShare> STAFF_SHARE = new View<>(OrganisationTopology.STAFF_SHARE_STORE);

    private OrganisationViews() {
    }

    /** Store key of an organisation's week. */
    public static String weekKey(String organisation, LocalDate monday) {
        return ViewKeys.scoped(organisation, monday.toString());
    }

    /** Store key of an organisation's role. */
    public static String roleKey(String organisation, String role) {
        return ViewKeys.scoped(organisation, role);
    }

    /** The topic key of a {@link #weekKey}. */
    public static OrganisationWeekKey topicWeekKey(String key) {
        int at = key.indexOf(ViewKeys.SEPARATOR);
        return new OrganisationWeekKey(key.substring(0, at), LocalDate.parse(key.substring(at + 1)));
    }

    /** The topic key of a {@link #roleKey}. */
    public static OrganisationRoleKey topicRoleKey(String key) {
        int at = key.indexOf(ViewKeys.SEPARATOR);
        return new OrganisationRoleKey(key.substring(0, at), key.substring(at + 1));
    }
}
