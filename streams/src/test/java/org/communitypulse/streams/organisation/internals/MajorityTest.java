package org.communitypulse.streams.organisation.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.communitypulse.schemas.avro.CommunityOrganisations;
import org.junit.jupiter.api.Test;

class MajorityTest {

    @Test
    void theOrganisationIsAtTheStageMoreThanHalfOfItsCommunitiesReach() {
        assertThat(Majority.of(List.of(3))).isEqualTo(3);
        assertThat(Majority.of(List.of(4, 1))).isEqualTo(1);
        assertThat(Majority.of(List.of(4, 1, 2))).isEqualTo(2);
        assertThat(Majority.of(List.of(4, 4, 1, 3))).isEqualTo(3);
        assertThat(Majority.of(List.of(1, 1, 3, 4))).isEqualTo(1);
    }

    @Test
    void aCommunityBelongsToTheOrganisationOfItsLatestWeekWhateverTheOrderWeeksCameIn() {
        CommunityOrganisations weeks = null;
        weeks = CommunityWeeks.add("c1", week("2026-03-09", "globex"), weeks);
        weeks = CommunityWeeks.add("c1", week("2026-03-02", "acme"), weeks);
        assertThat(CommunityWeeks.current(weeks)).isEqualTo("globex");
        weeks = CommunityWeeks.add("c1", week("2026-03-16", null), weeks);
        assertThat(CommunityWeeks.current(weeks)).isNull();
        weeks = CommunityWeeks.remove("c1", week("2026-03-16", null), weeks);
        weeks = CommunityWeeks.remove("c1", week("2026-03-09", "globex"), weeks);
        assertThat(CommunityWeeks.current(weeks)).isEqualTo("acme");
        assertThat(CommunityWeeks.remove("c1", week("2026-03-02", "acme"), weeks)).isNull();
    }

    private static CommunityOrganisations week(String monday, String organisation) {
        Map<String, String> weeks = new HashMap<>();
        weeks.put(LocalDate.parse(monday).toString(), organisation);
        return new CommunityOrganisations("c1", weeks);
    }
}
