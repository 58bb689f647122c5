package org.communitypulse.streams.organisation.internals;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.CommunityOrganisations;
import org.communitypulse.schemas.avro.MaturityScorecard;

/**
 * The organisation a community belongs to now: the one its latest scored week names. Every week is kept, so that a
 * week re-emitted or taken back leaves the answer exact whatever the order the weeks arrive in.
 */
public final class CommunityWeeks {

    private CommunityWeeks() {
    }

    /** One week of one community, as the grouped value. */
    public static CommunityOrganisations of(MaturityScorecard card) {
        Map<String, String> weeks = new HashMap<>();
        weeks.put(card.getPeriodStart().toString(), card.getOrganisationId());
        return new CommunityOrganisations(card.getCommunityId(), weeks);
    }

    public static CommunityOrganisations add(String community, CommunityOrganisations week,
                                             CommunityOrganisations aggregate) {
        Map<String, String> weeks = new HashMap<>(aggregate == null ? Map.of() : aggregate.getWeeks());
        weeks.putAll(week.getWeeks());
        return new CommunityOrganisations(community, weeks);
    }

    /** Takes the week back out; null (deleted) once no week is left. */
    public static CommunityOrganisations remove(String community, CommunityOrganisations week,
                                                CommunityOrganisations aggregate) {
        if (aggregate == null) {
            return null;
        }
        Map<String, String> weeks = new HashMap<>(aggregate.getWeeks());
        week.getWeeks().keySet().forEach(weeks::remove);
        return weeks.isEmpty() ? null : new CommunityOrganisations(community, weeks);
    }

    /** The organisation of the latest week; null when that week names none. */
    public static String current(CommunityOrganisations aggregate) {
        if (aggregate == null || aggregate.getWeeks().isEmpty()) {
            return null;
        }
        TreeMap<LocalDate, String> byDay = new TreeMap<>();
        aggregate.getWeeks().forEach((day, organisation) -> byDay.put(LocalDate.parse(day), organisation));
        return byDay.lastEntry().getValue();
    }
}
