package org.communitypulse.streams.organisation;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.CompetencyScore;
import org.communitypulse.schemas.avro.HealthStatus;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.StaffShare;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;

/** The organisation family alone on a test driver, fed with records of its input topics written here. */
public final class OrganisationFixtures implements AutoCloseable {

    public static final LocalDate WEEK = LocalDate.parse("2026-03-02");
    public static final Instant AT = Instant.parse("2026-03-09T00:00:00Z");
    private static final String[] STAGE_NAMES = {"Hierarchy", "Emergent Community", "Community", "Network"};

    public final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    public final Topics topics = new Topics("o.", serdes);
    public final TopologyTestDriver driver;
    public final TestInputTopic<CommunityDayKey, MaturityScorecard> scorecards;
    public final TestInputTopic<CommunityDayKey, CommunityHealth> health;
    public final TestInputTopic<CommunityRoleKey, RoleCoverage> coverage;
    public final TestInputTopic<CommunityDayKey, StaffShare> staff;

    public OrganisationFixtures(Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        OrganisationTopology.addTo(builder, topics, serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "organisation-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("run-" + System.nanoTime()).toString());
        driver = new TopologyTestDriver(builder.build(), props);
        scorecards = in(topics.maturityScorecard());
        health = in(topics.communityHealth());
        coverage = in(topics.roleCoverage());
        staff = in(topics.staffShare());
    }

    public <K, V> TestInputTopic<K, V> in(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    public <K, V> TestOutputTopic<K, V> out(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    public static CommunityDayKey key(String community, LocalDate day) {
        return new CommunityDayKey(community, day);
    }

    /** A scorecard whose competencies are given as id -> {stage, score}. */
    public static MaturityScorecard card(String community, String organisation, LocalDate monday, int overall,
                                         double overallScore, Map<String, double[]> competencies) {
        List<CompetencyScore> scores = new ArrayList<>();
        new TreeMap<>(competencies).forEach((id, v) -> scores.add(CompetencyScore.newBuilder().setCompetency(id)
                .setName(id.toUpperCase()).setStage((int) v[0]).setStageName(STAGE_NAMES[(int) v[0] - 1])
                .setScore(v[1]).setEvidence(List.of()).build()));
        return MaturityScorecard.newBuilder().setCommunityId(community).setPeriodStart(monday)
                .setPeriodEnd(monday.plusDays(6)).setComplete(true).setOverallStage(overall)
                .setOverallStageName(STAGE_NAMES[overall - 1]).setOverallScore(overallScore).setCompetencies(scores)
                .setOrganisationId(organisation).setUpdatedAt(AT).build();
    }

    public static CommunityHealth health(String community, String organisation, LocalDate monday, double score,
                                         HealthStatus state, long wau) {
        return CommunityHealth.newBuilder().setCommunityId(community).setPeriodStart(monday)
                .setPeriodEnd(monday.plusDays(6)).setComplete(true).setScore(score).setState(state)
                .setComponents(List.of()).setContributions7d(wau * 2).setWau(wau).setOrganisationId(organisation)
                .setUpdatedAt(AT).build();
    }

    public static RoleCoverage coverage(String community, String role, boolean filled) {
        return RoleCoverage.newBuilder().setCommunityId(community).setRole(role).setRoleName("Role " + role)
                .setRequired(true).setHolders(filled ? List.of("m1") : List.of())
                .setActiveHolders(filled ? List.of("m1") : List.of()).setFilled(filled)
                .setVacantSince(filled ? null : AT.minusSeconds(86_400))
                .setConsequence("Nobody does " + role + ".").setAsOf(AT).build();
    }

    public static StaffShare staff(String community, String organisation, LocalDate monday, Integer headcount,
                                   int corporateUsers, Double trend) {
        return StaffShare.newBuilder().setCommunityId(community).setOrganisationId(organisation)
                .setPeriodStart(monday).setStaffHeadcount(headcount).setCorporateUsers(corporateUsers)
                .setCorporateUserShare(headcount == null ? null : (double) corporateUsers / headcount).setTrend(trend)
                .setUpdatedAt(AT).build();
    }

    @Override
    public void close() {
        driver.close();
    }
}
