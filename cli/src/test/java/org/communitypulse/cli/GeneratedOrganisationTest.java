package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.ingest.generator.OrganisationPlan;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.TrainingMetrics;
import org.communitypulse.schemas.avro.ViolationKey;
import org.communitypulse.schemas.avro.ViolationState;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseSettings;
import org.communitypulse.streams.PulseTopology;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.roles.RolesModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated organisation of thousands of members (two communities of 2,500, 60 days, posts and a role
 * register with turnover, Corporate Users, official accounts, trainings) through the whole pipeline topology;
 * the roles outputs must add up to what an independent count of the generated events says.
 */
class GeneratedOrganisationTest {

    private static final SimulationPlan PLAN = new SimulationPlan(List.of("north", "south"), 2_500,
            LocalDate.of(2026, 1, 5), 60, 7, Map.of());
    /** Twice the default turnover, so that every community sees roles change hands in 60 days. */
    private static final OrganisationPlan ORGANISATION = new OrganisationPlan(0.05, 3, 0.8, 0.02, 0.3);
    private static final Set<String> CORPORATE_LEVELS = Set.of("corporate-user", "account-manager");

    @TempDir
    Path state;

    /** What the generated events say, counted here without the pipeline: who holds what at the end. */
    private static final class Expected {
        final Map<String, Boolean> lines = new TreeMap<>();
        final Map<String, Long> completions = new HashMap<>();
        long grants;
        long revokes;

        void add(ActivityEvent e) {
            Map<String, String> a = e.getAttributes();
            switch (e.getType()) {
                case ROLE_GRANTED, ROLE_REVOKED -> {
                    String kind = a.containsKey("role") ? "role" : "level";
                    String id = a.containsKey("role") ? a.get("role") : a.get("level");
                    lines.put(e.getActorId() + "|" + kind + "|" + id + "|" + a.getOrDefault("account", ""),
                            e.getType() == EventType.ROLE_GRANTED);
                    if (e.getType() == EventType.ROLE_GRANTED) {
                        grants++;
                    } else {
                        revokes++;
                    }
                }
                case TRAINING_COMPLETED -> completions.merge(e.getActorId() + "|" + a.get("course"),
                        e.getOccurredAt().toEpochMilli(), Math::max);
                default -> { }
            }
        }

        /** Held lines as [member, kind, id, account]. */
        List<String[]> held() {
            return lines.entrySet().stream().filter(Map.Entry::getValue).map(l -> l.getKey().split("\\|", -1)).toList();
        }

        TreeSet<String> holders(String role) {
            TreeSet<String> out = new TreeSet<>();
            held().stream().filter(l -> l[1].equals("role") && l[2].equals(role)).forEach(l -> out.add(l[0]));
            return out;
        }

        TreeSet<String> holdingLevel(Set<String> levels) {
            TreeSet<String> out = new TreeSet<>();
            held().stream().filter(l -> l[1].equals("level") && levels.contains(l[2])).forEach(l -> out.add(l[0]));
            return out;
        }

        long trained(Set<String> members, long asOf) {
            return members.stream().filter(m -> {
                Long at = completions.get(m + "|social-media-guidelines");
                return at != null && at <= asOf && at + Duration.ofDays(365).toMillis() > asOf;
            }).count();
        }

        long accountsWithoutManager() {
            Map<String, Boolean> managed = new TreeMap<>();
            lines.forEach((line, held) -> {
                String[] l = line.split("\\|", -1);
                if (l[2].equals("account-manager") && !l[3].isEmpty()) {
                    managed.merge(l[3], held, Boolean::logicalOr);
                }
            });
            return managed.values().stream().filter(m -> !m).count();
        }
    }

    @Test
    void shouldAddUpToAnIndependentCountWhenAGeneratedOrganisationRunsThroughThePipeline() {
        List<ActivityEvent> events = new SimulatedActivity(PLAN, ORGANISATION).events().toList();
        Map<String, Expected> expected = new TreeMap<>();
        events.forEach(e -> expected.computeIfAbsent(e.getCommunityId(), c -> new Expected()).add(e));

        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("org.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "generated-organisation-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        Clock clock = Clock.fixed(PLAN.end().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        long started = System.nanoTime();
        Map<CommunityRoleKey, RoleCoverage> coverage;
        Map<MemberKey, MemberRoles> members;
        Map<ViolationKey, PolicyViolation> violations;
        Map<String, TrainingMetrics> training;
        long rolesDeadLetters;
        try (TopologyTestDriver driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                        RolesModel.defaults()).withHooks(RuntimeHooks.defaults().withClock(clock))), props)) {
            TestInputTopic<String, ActivityEvent> in = driver.createInputTopic(topics.activity().name(),
                    topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
            events.forEach(e -> in.pipeInput(e.getCommunityId(), e));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            coverage = latest(driver, topics.roleCoverage());
            members = latest(driver, topics.memberRoles());
            violations = latest(driver, topics.policyViolations());
            training = latest(driver, topics.trainingMetrics());
            rolesDeadLetters = driver.createOutputTopic(topics.activityDeadLetters().name(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList().stream()
                    .filter(r -> "streams.roles".equals(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REJECTED_BY)))
                    .count();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(rolesDeadLetters).as("every generated register event is accepted").isZero();
        RolesModel roles = RolesModel.defaults();
        for (String community : PLAN.communities()) {
            Expected count = expected.get(community);
            assertThat(count.revokes).as("turnover happened").isPositive();
            // The generator's platform roles (moderator, helper, mentor) are ignored by the roles family.
            long activeRoleGrants = count.held().stream().filter(l -> l[1].equals("role") && roles.isRole(l[2])).count();
            long holdersAcrossRoles = 0;
            for (String role : roles.roleNames().keySet()) {
                RoleCoverage c = coverage.get(new CommunityRoleKey(community, role));
                assertThat(c).as(role).isNotNull();
                assertThat(c.getHolders()).as(community + " " + role).containsExactlyElementsOf(count.holders(role));
                assertThat(c.getHolders()).containsAll(c.getActiveHolders());
                assertThat(c.getFilled()).isEqualTo(!c.getActiveHolders().isEmpty());
                holdersAcrossRoles += c.getHolders().size();
            }
            assertThat(holdersAcrossRoles).as("holders across role coverage = active role grants").isEqualTo(activeRoleGrants);

            List<MemberRoles> own = members.entrySet().stream().filter(e -> e.getKey().getCommunityId().equals(community))
                    .map(Map.Entry::getValue).toList();
            assertThat(own.stream().mapToLong(m -> m.getRoles().size()).sum()).isEqualTo(activeRoleGrants);
            TreeSet<String> corporate = count.holdingLevel(CORPORATE_LEVELS);
            assertThat(own.stream().filter(m -> CORPORATE_LEVELS.contains(m.getLevel())).map(MemberRoles::getMemberId)
                    .toList()).containsExactlyInAnyOrderElementsOf(corporate);

            TrainingMetrics t = training.get(community);
            long trained = count.trained(corporate, t.getAsOf().toEpochMilli());
            assertThat(t.getCorporateUsers()).isEqualTo(corporate.size());
            assertThat(t.getTrainedCorporateUsers()).isEqualTo(trained);
            assertThat(t.getTrainedShare()).isEqualTo(trained / (double) corporate.size());

            Map<String, Long> open = new TreeMap<>();
            violations.forEach((k, v) -> {
                if (k.getCommunityId().equals(community) && v.getState() == ViolationState.OPENED) {
                    open.merge(v.getRule(), 1L, Long::sum);
                }
            });
            assertThat(open.getOrDefault("corporate-user-untrained", 0L)).isEqualTo(corporate.size() - trained);
            TreeSet<String> managersNotCorporate = count.holdingLevel(Set.of("account-manager"));
            managersNotCorporate.removeAll(count.holdingLevel(Set.of("corporate-user")));
            assertThat(open.getOrDefault("account-manager-not-corporate-user", 0L)).isEqualTo(managersNotCorporate.size());
            assertThat(open.getOrDefault("account-without-manager", 0L)).isEqualTo(count.accountsWithoutManager());
            long vacantRequired = roles.requiredRoles().stream()
                    .filter(r -> !coverage.get(new CommunityRoleKey(community, r)).getFilled()).count();
            assertThat(open.getOrDefault("required-role-vacant", 0L)).isEqualTo(vacantRequired);

            System.out.printf("%s: %,d members, %,d grants, %,d revokes, %d role holders, %d Corporate Users "
                            + "(%d trained), open violations %s%n", community, PLAN.membersPerCommunity(), count.grants,
                    count.revokes, holdersAcrossRoles, corporate.size(), trained, open);
        }
        System.out.printf("Generated organisation: %,d events through the topology in %,d ms%n", events.size(), millis);
    }

    private static <K, V> Map<K, V> latest(TopologyTestDriver driver, Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer())
                .readKeyValuesToMap();
    }
}
