package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.roles.RolesModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who is staff for the peer-support metrics comes from roles.yaml (roles and levels marked {@code staff}),
 * the same file the roles family reads; {@code staff.roles} only overrides it.
 */
class StaffFromRolesConfigTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String C = "shop";

    @TempDir
    Path dir;

    /**
     * carol answers peers' threads on 04-01 and 04-03; the register makes her Customer Service Champion
     * (a key role, staff by default) on 04-05 at 09:00; she answers on 04-05 at 10:00 and on 04-07.
     * dan answers too and becomes a Corporate User (a level roles.yaml marks staff) on 04-07.
     */
    private static List<ActivityEvent> history() {
        return List.of(
                event("t1", EventType.THREAD_CREATED, "alice", "t1", "2024-04-01T08:00:00Z", Map.of()),
                event("r1", EventType.REPLY_CREATED, "carol", "t1", "2024-04-01T09:00:00Z", Map.of()),
                event("t2", EventType.THREAD_CREATED, "alice", "t2", "2024-04-03T08:00:00Z", Map.of()),
                event("r2", EventType.REPLY_CREATED, "carol", "t2", "2024-04-03T09:00:00Z", Map.of()),
                event("r2b", EventType.REPLY_CREATED, "dan", "t2", "2024-04-03T10:00:00Z", Map.of()),
                event("g1", EventType.ROLE_GRANTED, "carol", null, "2024-04-05T09:00:00Z",
                        Map.of("role", "Customer-Service-Champion")),
                event("t3", EventType.THREAD_CREATED, "alice", "t3", "2024-04-05T08:00:00Z", Map.of()),
                event("r3", EventType.REPLY_CREATED, "carol", "t3", "2024-04-05T10:00:00Z", Map.of()),
                event("g2", EventType.ROLE_GRANTED, "dan", null, "2024-04-07T07:00:00Z",
                        Map.of("level", "corporate-user")),
                event("t4", EventType.THREAD_CREATED, "alice", "t4", "2024-04-07T08:00:00Z", Map.of()),
                event("r4", EventType.REPLY_CREATED, "carol", "t4", "2024-04-07T09:00:00Z", Map.of()),
                event("r4b", EventType.REPLY_CREATED, "dan", "t4", "2024-04-07T10:00:00Z", Map.of()),
                event("t5", EventType.THREAD_CREATED, "alice", "t5", "2024-04-09T08:00:00Z", Map.of()));
    }

    @Test
    void shouldStopCountingAMemberAsPeerFromTheDayOfTheirStaffGrantWhenRolesYamlMarksTheRoleStaff() {
        Run run = run(Map.of());

        assertThat(run.daily(LocalDate.parse("2024-04-01")).getPeerReplies()).isEqualTo(1);
        assertThat(run.daily(LocalDate.parse("2024-04-03")).getPeerReplies()).isEqualTo(2);
        assertThat(run.daily(LocalDate.parse("2024-04-05")).getPeerReplies()).isZero();
        assertThat(run.daily(LocalDate.parse("2024-04-07")).getPeerReplies()).isZero();
        assertThat(run.daily(LocalDate.parse("2024-04-07")).getReplies()).isEqualTo(2);
        // The roles family, reading the same file, agrees that carol holds a role and dan a level.
        assertThat(run.roles.get(new MemberKey(C, "carol")).getRoles()).containsExactly("customer-service-champion");
        assertThat(run.roles.get(new MemberKey(C, "dan")).getLevel()).isEqualTo("corporate-user");
    }

    @Test
    void shouldKeepAMemberAPeerWhenTheOrganisationsRolesYamlSaysTheRoleIsNotStaff() throws IOException {
        String yaml = new String(RolesModel.class.getResourceAsStream("roles.yaml").readAllBytes(),
                StandardCharsets.UTF_8).replace("""
                  - id: customer-service-champion
                    name: Customer Service Champion
                """, """
                  - id: customer-service-champion
                    name: Customer Service Champion
                    staff: false
                """);
        assertThat(yaml).contains("staff: false");
        Path file = Files.writeString(dir.resolve("roles.yaml"), yaml);

        Run run = run(Map.of(PulseStreamsConfig.ROLES_CONFIG_FILE_CONFIG, file.toString()));

        assertThat(RolesModel.load(file.toString()).staffIds()).doesNotContain("customer-service-champion")
                .contains("corporate-user", "sponsor", "moderator");
        assertThat(run.daily(LocalDate.parse("2024-04-05")).getPeerReplies()).isEqualTo(1);
        // dan's level is still staff: only carol's reply is a peer's on 04-07.
        assertThat(run.daily(LocalDate.parse("2024-04-07")).getPeerReplies()).isEqualTo(1);
    }

    @Test
    void shouldUseOnlyTheListedRolesWhenStaffRolesIsSet() {
        Run run = run(Map.of(PulseStreamsConfig.STAFF_ROLES_CONFIG, "corporate-user"));

        assertThat(run.daily(LocalDate.parse("2024-04-05")).getPeerReplies()).isEqualTo(1);
        assertThat(run.daily(LocalDate.parse("2024-04-07")).getPeerReplies()).isEqualTo(1);
    }

    @Test
    void shouldDefaultToTheShippedStaffRolesWhenNothingIsConfigured() {
        assertThat(EngagementSettings.defaults().staffRoles()).containsExactlyInAnyOrderElementsOf(
                RolesModel.defaults().staffIds());
        assertThat(RolesModel.defaults().staffIds()).contains("sponsor", "community-manager",
                "customer-service-champion", "corporate-user", "account-manager", "moderator", "admin", "staff")
                .doesNotContain("basic", "helper", "mentor");
    }

    private record Run(Map<CommunityDayKey, DailyEngagement> daily, Map<MemberKey, MemberRoles> roles) {
        DailyEngagement daily(LocalDate day) {
            return daily.get(new CommunityDayKey(C, day));
        }
    }

    private Run run(Map<String, String> settings) {
        Map<String, String> originals = new HashMap<>(settings);
        originals.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        originals.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://unused");
        PulseStreamsConfig config = new PulseStreamsConfig(originals);
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("t.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "staff-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + System.nanoTime()).toString());
        EngagementSettings engagement = EngagementSettings.from(config);
        try (TopologyTestDriver driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        engagement, AlertSettings.defaults().withWallClock(false), config.rolesModel())
                        .withHooks(RuntimeHooks.defaults().withClock(CLOCK))), props)) {
            TestInputTopic<String, ActivityEvent> in = driver.createInputTopic(topics.activity().name(),
                    topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
            history().forEach(e -> in.pipeInput(C, e));
            driver.advanceWallClockTime(engagement.emitInterval());
            Map<CommunityDayKey, DailyEngagement> daily = new HashMap<>();
            driver.createOutputTopic(topics.dailyEngagement().name(), topics.dailyEngagement().keySerde().deserializer(),
                    topics.dailyEngagement().valueSerde().deserializer()).readKeyValuesToList()
                    .forEach(kv -> daily.put(kv.key, kv.value));
            Map<MemberKey, MemberRoles> roles = driver.createOutputTopic(topics.memberRoles().name(),
                    topics.memberRoles().keySerde().deserializer(), topics.memberRoles().valueSerde().deserializer())
                    .readKeyValuesToMap();
            return new Run(daily, roles);
        }
    }

    private static ActivityEvent event(String id, EventType type, String actor, String thread, String at,
                                       Map<String, String> attributes) {
        return ActivityEvent.newBuilder().setEventId(id).setCommunityId(C).setSource(SourcePlatform.GENERATOR)
                .setType(type).setActorId(actor).setThreadId(thread).setOccurredAt(Instant.parse(at))
                .setAttributes(attributes).build();
    }
}
