package org.communitypulse.streams.organisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.organisation.OrganisationFixtures.WEEK;
import static org.communitypulse.streams.organisation.OrganisationFixtures.card;
import static org.communitypulse.streams.organisation.OrganisationFixtures.coverage;
import static org.communitypulse.streams.organisation.OrganisationFixtures.health;
import static org.communitypulse.streams.organisation.OrganisationFixtures.key;
import static org.communitypulse.streams.organisation.OrganisationFixtures.staff;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.OrganisationCompetency;
import org.communitypulse.schemas.avro.OrganisationCoverage;
import org.communitypulse.schemas.avro.OrganisationHealth;
import org.communitypulse.schemas.avro.OrganisationRoleKey;
import org.communitypulse.schemas.avro.OrganisationScorecard;
import org.communitypulse.schemas.avro.OrganisationStaffShare;
import org.communitypulse.schemas.avro.OrganisationWeekKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The organisation roll-ups on a test driver: two organisations, three communities. */
class OrganisationTopologyTest {

    private static final OrganisationWeekKey A_WEEK = new OrganisationWeekKey("acme", WEEK);
    private static final OrganisationWeekKey B_WEEK = new OrganisationWeekKey("globex", WEEK);

    @TempDir
    Path stateDir;

    private final List<OrganisationFixtures> runs = new ArrayList<>();

    @AfterEach
    void close() {
        runs.forEach(OrganisationFixtures::close);
    }

    private OrganisationFixtures start() {
        OrganisationFixtures run = new OrganisationFixtures(stateDir);
        runs.add(run);
        return run;
    }

    private static <K, V> Map<K, V> table(TestOutputTopic<K, V> out) {
        Map<K, V> latest = new HashMap<>();
        for (KeyValue<K, V> kv : out.readKeyValuesToList()) {
            if (kv.value == null) {
                latest.remove(kv.key);
            } else {
                latest.put(kv.key, kv.value);
            }
        }
        return latest;
    }

    private static OrganisationCompetency competency(OrganisationScorecard card, String id) {
        return card.getCompetencies().stream().filter(c -> c.getCompetency().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void scorecardRollsCommunitiesUpToTheirOrganisation() {
        OrganisationFixtures run = start();
        TestOutputTopic<OrganisationWeekKey, OrganisationScorecard> out = run.out(run.topics.organisationScorecard());
        run.scorecards.pipeInput(key("c1", WEEK), card("c1", "acme", WEEK, 1, 20,
                Map.of("strategy", new double[] {1, 10}, "culture", new double[] {2, 40})));
        MaturityScorecard named = card("c2", "acme", WEEK, 3, 60,
                Map.of("strategy", new double[] {4, 90}, "culture", new double[] {3, 70}));
        named.setOrganisationName("Acme Corp");
        run.scorecards.pipeInput(key("c2", WEEK), named);
        run.scorecards.pipeInput(key("c3", WEEK), card("c3", "globex", WEEK, 2, 50,
                Map.of("strategy", new double[] {2, 30})));
        // No organisation: counted nowhere.
        run.scorecards.pipeInput(key("c4", WEEK), card("c4", null, WEEK, 4, 99, Map.of()));

        Map<OrganisationWeekKey, OrganisationScorecard> result = table(out);
        assertThat(result).containsOnlyKeys(A_WEEK, B_WEEK);
        OrganisationScorecard acme = result.get(A_WEEK);
        assertThat(acme.getCommunityCount()).isEqualTo(2);
        // c1's scorecard gives no name, c2's does.
        assertThat(acme.getName()).isEqualTo("Acme Corp");
        assertThat(result.get(B_WEEK).getName()).isNull();
        assertThat(acme.getCommunities()).extracting(c -> c.getCommunityId()).containsExactly("c1", "c2");
        // Two communities at 1 and 3: a majority (more than half) reaches only 1.
        assertThat(acme.getOverallStage()).isEqualTo(1);
        assertThat(acme.getOverallStageName()).isEqualTo("Hierarchy");
        assertThat(acme.getOverallScore()).isEqualTo(40.0);
        assertThat(competency(acme, "strategy").getScore()).isEqualTo(50.0);
        assertThat(competency(acme, "strategy").getStage()).isEqualTo(1);
        assertThat(competency(acme, "strategy").getCommunitiesAtStage()).containsExactly(1, 0, 0, 1);
        assertThat(competency(acme, "culture").getStage()).isEqualTo(2);
        assertThat(competency(acme, "culture").getStageName()).isEqualTo("Emergent Community");
        assertThat(competency(acme, "culture").getName()).isEqualTo("CULTURE");
        assertThat(acme.getCommunities().get(1).getStages()).containsEntry("strategy", 4);
        assertThat(result.get(B_WEEK).getCommunityCount()).isEqualTo(1);
        assertThat(result.get(B_WEEK).getOverallStage()).isEqualTo(2);
    }

    @Test
    void aCommunityMovingOrganisationLeavesTheFirstAndAReEmittedWeekReplacesItsEntry() {
        OrganisationFixtures run = start();
        TestOutputTopic<OrganisationWeekKey, OrganisationScorecard> out = run.out(run.topics.organisationScorecard());
        run.scorecards.pipeInput(key("c1", WEEK), card("c1", "acme", WEEK, 1, 20, Map.of()));
        run.scorecards.pipeInput(key("c2", WEEK), card("c2", "acme", WEEK, 3, 60, Map.of()));
        run.scorecards.pipeInput(key("c3", WEEK), card("c3", "globex", WEEK, 2, 50, Map.of()));
        // c2's week re-emitted under globex; c1's week re-emitted with a better score.
        run.scorecards.pipeInput(key("c2", WEEK), card("c2", "globex", WEEK, 3, 70, Map.of()));
        run.scorecards.pipeInput(key("c1", WEEK), card("c1", "acme", WEEK, 2, 30, Map.of()));

        Map<OrganisationWeekKey, OrganisationScorecard> result = table(out);
        assertThat(result.get(A_WEEK).getCommunities()).extracting(c -> c.getCommunityId()).containsExactly("c1");
        assertThat(result.get(A_WEEK).getOverallScore()).isEqualTo(30.0);
        assertThat(result.get(A_WEEK).getOverallStage()).isEqualTo(2);
        assertThat(result.get(B_WEEK).getCommunities()).extracting(c -> c.getCommunityId()).containsExactly("c2", "c3");
        assertThat(result.get(B_WEEK).getOverallScore()).isEqualTo(60.0);

        // The last community leaving: the organisation's week is deleted.
        run.scorecards.pipeInput(key("c1", WEEK), card("c1", null, WEEK, 2, 30, Map.of()));
        List<KeyValue<OrganisationWeekKey, OrganisationScorecard>> changes = out.readKeyValuesToList();
        assertThat(changes).extracting(kv -> kv.key).containsOnly(A_WEEK);
        assertThat(changes.get(changes.size() - 1).value).isNull();
    }

    /** Records of every input in an order given by {@code seed}; stale versions first, the final ones after. */
    private static void feed(OrganisationFixtures run, long seed) {
        List<Runnable> stale = new ArrayList<>(List.of(
                () -> run.scorecards.pipeInput(key("c2", WEEK), card("c2", "acme", WEEK, 1, 10,
                        Map.of("strategy", new double[] {1, 10}))),
                () -> run.scorecards.pipeInput(key("c1", WEEK), card("c1", "globex", WEEK, 4, 95,
                        Map.of("strategy", new double[] {4, 95}))),
                () -> run.health.pipeInput(key("c2", WEEK), health("c2", "acme", WEEK, 10, HealthStatus.STALLED, 1)),
                () -> run.staff.pipeInput(key("c2", WEEK), staff("c2", "acme", WEEK, 100, 1, null))));
        List<Runnable> last = new ArrayList<>(List.of(
                () -> run.scorecards.pipeInput(key("c1", WEEK), card("c1", "acme", WEEK, 2, 45,
                        Map.of("strategy", new double[] {2, 45}))),
                () -> run.scorecards.pipeInput(key("c2", WEEK), card("c2", "globex", WEEK, 3, 65,
                        Map.of("strategy", new double[] {3, 65}))),
                () -> run.scorecards.pipeInput(key("c3", WEEK), card("c3", "globex", WEEK, 1, 15,
                        Map.of("strategy", new double[] {1, 15}))),
                () -> run.scorecards.pipeInput(key("c3", WEEK.plusWeeks(1)), card("c3", "globex", WEEK.plusWeeks(1),
                        1, 17, Map.of("strategy", new double[] {1, 17}))),
                () -> run.health.pipeInput(key("c1", WEEK), health("c1", "acme", WEEK, 80, HealthStatus.THRIVING, 30)),
                () -> run.health.pipeInput(key("c2", WEEK), health("c2", "globex", WEEK, 60, HealthStatus.HEALTHY, 20)),
                () -> run.health.pipeInput(key("c3", WEEK), health("c3", "globex", WEEK, 30, HealthStatus.AT_RISK, 5)),
                () -> run.staff.pipeInput(key("c1", WEEK), staff("c1", "acme", WEEK, 100, 10, 0.02)),
                () -> run.staff.pipeInput(key("c2", WEEK), staff("c2", "globex", WEEK, 200, 10, 0.01)),
                () -> run.staff.pipeInput(key("c3", WEEK), staff("c3", "globex", WEEK, 200, 30, null)),
                () -> run.coverage.pipeInput(new CommunityRoleKey("c1", "moderator"), coverage("c1", "moderator", true)),
                () -> run.coverage.pipeInput(new CommunityRoleKey("c2", "moderator"), coverage("c2", "moderator", false)),
                () -> run.coverage.pipeInput(new CommunityRoleKey("c3", "moderator"), coverage("c3", "moderator", true))));
        Random random = new Random(seed);
        if (seed != 0) {
            Collections.shuffle(stale, random);
            Collections.shuffle(last, random);
        }
        stale.forEach(Runnable::run);
        last.forEach(Runnable::run);
    }

    private record Outputs(Map<OrganisationWeekKey, OrganisationScorecard> scorecards,
                           Map<OrganisationWeekKey, OrganisationHealth> health,
                           Map<OrganisationRoleKey, OrganisationCoverage> coverage,
                           Map<OrganisationWeekKey, OrganisationStaffShare> staff) {
    }

    private Outputs run(long seed) {
        OrganisationFixtures run = start();
        var scorecards = run.out(run.topics.organisationScorecard());
        var health = run.out(run.topics.organisationHealth());
        var coverage = run.out(run.topics.organisationCoverage());
        var staff = run.out(run.topics.organisationStaffShare());
        feed(run, seed);
        return new Outputs(new TreeMap<>(table(scorecards)), new TreeMap<>(table(health)),
                new TreeMap<>(table(coverage)), new TreeMap<>(table(staff)));
    }

    @Test
    void everyRollUpReadsTheLatestRecordOfEachCommunity() {
        Outputs out = run(0);
        assertThat(out.scorecards()).containsOnlyKeys(A_WEEK, B_WEEK, new OrganisationWeekKey("globex",
                WEEK.plusWeeks(1)));
        assertThat(out.scorecards().get(A_WEEK).getCommunities()).extracting(c -> c.getCommunityId())
                .containsExactly("c1");
        assertThat(competency(out.scorecards().get(B_WEEK), "strategy").getScore()).isEqualTo(40.0);

        OrganisationHealth globex = out.health().get(B_WEEK);
        assertThat(globex.getScore()).isEqualTo(45.0);
        // HEALTHY and AT_RISK: a majority reaches AT_RISK only.
        assertThat(globex.getState()).isEqualTo("AT_RISK");
        assertThat(globex.getStateCounts()).containsEntry("HEALTHY", 1).containsEntry("AT_RISK", 1)
                .containsEntry("STALLED", 0).containsEntry("THRIVING", 0);
        assertThat(globex.getWau()).isEqualTo(25);
        assertThat(out.health().get(A_WEEK).getState()).isEqualTo("THRIVING");
        assertThat(out.health().get(A_WEEK).getStateCounts()).containsEntry("STALLED", 0);

        // The headcount is the organisation's, declared by both: taken once, the Corporate Users summed.
        OrganisationStaffShare staff = out.staff().get(B_WEEK);
        assertThat(staff.getStaffHeadcount()).isEqualTo(200);
        assertThat(staff.getHeadcountsDiffer()).isFalse();
        assertThat(staff.getCorporateUsers()).isEqualTo(40);
        assertThat(staff.getCorporateUserShare()).isEqualTo(0.2);
        assertThat(staff.getTrend()).isEqualTo(0.01);
        assertThat(out.staff().get(A_WEEK).getCorporateUsers()).isEqualTo(10);

        // Coverage: c2's latest scorecard puts it under globex, where the role is vacant.
        OrganisationCoverage acme = out.coverage().get(new OrganisationRoleKey("acme", "moderator"));
        assertThat(acme.getFilledCommunities()).containsExactly("c1");
        assertThat(acme.getVacantCommunities()).isEmpty();
        OrganisationCoverage globexRole = out.coverage().get(new OrganisationRoleKey("globex", "moderator"));
        assertThat(globexRole.getCommunities()).isEqualTo(2);
        assertThat(globexRole.getFilled()).isEqualTo(1);
        assertThat(globexRole.getVacantCommunities()).containsExactly("c2");
        assertThat(globexRole.getVacantSince()).containsKey("c2");
        assertThat(globexRole.getConsequence()).isEqualTo("Nobody does moderator.");
        assertThat(globexRole.getRows()).extracting(r -> r.getActiveHolders()).containsExactly(0, 1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shuffledInputGivesTheSameRecords(long seed) {
        // Compared as Avro JSON: the generated equals cannot compare a union holding a timestamp.
        assertThat(run(seed).toString()).isEqualTo(run(0).toString());
    }

    @Test
    void aCommunityMovingOrganisationTakesItsCoverageAlong() {
        OrganisationFixtures run = start();
        var out = run.out(run.topics.organisationCoverage());
        run.coverage.pipeInput(new CommunityRoleKey("c1", "moderator"), coverage("c1", "moderator", false));
        // No scorecard yet: no organisation to count it in.
        assertThat(table(out)).isEmpty();
        run.scorecards.pipeInput(key("c1", WEEK), card("c1", "acme", WEEK, 1, 10, Map.of()));
        assertThat(table(out)).containsOnlyKeys(new OrganisationRoleKey("acme", "moderator"));
        // An older week naming another organisation does not move it; the newer week does.
        run.scorecards.pipeInput(key("c1", WEEK.minusWeeks(1)), card("c1", "globex", WEEK.minusWeeks(1), 1, 10,
                Map.of()));
        assertThat(out.readKeyValuesToList()).allSatisfy(kv -> {
            assertThat(kv.key).isEqualTo(new OrganisationRoleKey("acme", "moderator"));
            assertThat(kv.value).isNotNull();
        });
        run.scorecards.pipeInput(key("c1", WEEK.plusWeeks(1)), card("c1", "globex", WEEK.plusWeeks(1), 1, 10,
                Map.of()));
        List<KeyValue<OrganisationRoleKey, OrganisationCoverage>> changes = out.readKeyValuesToList();
        assertThat(changes).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo(new OrganisationRoleKey("acme", "moderator"));
            assertThat(kv.value).isNull();
        });
        assertThat(changes.get(changes.size() - 1).key).isEqualTo(new OrganisationRoleKey("globex", "moderator"));
        assertThat(changes.get(changes.size() - 1).value.getVacantCommunities()).containsExactly("c1");
        // Its newest week taken back (tombstone): the community is under acme again.
        run.scorecards.pipeInput(key("c1", WEEK.plusWeeks(1)), (MaturityScorecard) null);
        run.scorecards.pipeInput(key("c1", WEEK.minusWeeks(1)), (MaturityScorecard) null);
        assertThat(table(out)).containsOnlyKeys(new OrganisationRoleKey("acme", "moderator"));
    }
}
