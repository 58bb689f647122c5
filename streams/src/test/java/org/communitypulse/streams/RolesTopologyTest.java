package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.communitypulse.streams.TestEvents.event;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.communitypulse.schemas.DeadLetterHeaders;
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
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.roles.RolesTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted role histories through the whole pipeline topology (intake, engagement, roles) with the shipped roles.yaml. */
class RolesTopologyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String C = "acme-community";

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    private final Topics topics = new Topics("r.", serdes);
    private TopologyTestDriver driver;
    private TestInputTopic<String, ActivityEvent> activity;
    private TestOutputTopic<MemberKey, MemberRoles> members;
    private TestOutputTopic<CommunityRoleKey, RoleCoverage> coverage;
    private TestOutputTopic<ViolationKey, PolicyViolation> violations;
    private TestOutputTopic<String, TrainingMetrics> training;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private int seq;

    private void start() {
        RolesPipeline pipeline = new RolesPipeline(topics, serdes, stateDir.resolve("run-" + seq++),
                "roles-topology-test", TestRoles.threeRequired(), CLOCK);
        driver = pipeline.driver;
        activity = pipeline.activity;
        members = pipeline.members;
        coverage = pipeline.coverage;
        violations = pipeline.violations;
        training = pipeline.training;
        deadLetters = pipeline.deadLetters;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static ActivityEvent roleEvent(String id, EventType type, String member, String at, String... attributes) {
        ActivityEvent e = event(id, C, type, member, Instant.parse(at));
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            map.put(attributes[i], attributes[i + 1]);
        }
        e.setAttributes(map);
        return e;
    }

    private void pipe(ActivityEvent... events) {
        for (ActivityEvent e : events) {
            activity.pipeInput(e.getCommunityId(), e);
        }
    }

    /** Violation records as "STATE rule subject openedAt resolvedAt", in emission order. */
    private List<String> violationLog() {
        return violations.readValuesToList().stream().map(v -> v.getState() + " " + v.getRule() + " " + v.getSubject()
                + " " + v.getOpenedAt() + " " + v.getResolvedAt()).toList();
    }

    private static final String UNTRAINED = "corporate-user-untrained";

    @Test
    void shouldEmitAMembersRolesOnlyWhenTheyChangeWhateverElseTheCommunityDoes() {
        start();
        pipe(roleEvent("g1", EventType.ROLE_GRANTED, "alice", "2024-01-01T10:00:00Z", "level", "corporate-user"),
                roleEvent("g2", EventType.ROLE_GRANTED, "bob", "2024-01-01T11:00:00Z", "level", "corporate-user"),
                event("p1", C, EventType.REPLY_CREATED, "alice", Instant.parse("2024-01-02T09:00:00Z")),
                event("p2", C, EventType.THREAD_CREATED, "bob", Instant.parse("2024-01-03T09:00:00Z")));
        // Bob's grant and the posts on new days evaluate every member: only each grant changed a record.
        assertThat(members.readKeyValuesToList()).extracting(kv -> kv.key.getMemberId().toString())
                .containsExactly("alice", "bob");

        pipe(roleEvent("t1", EventType.TRAINING_COMPLETED, "alice", "2024-01-04T09:00:00Z",
                "course", "Social-Media-Guidelines"));
        assertThat(members.readKeyValuesToList()).singleElement().satisfies(kv -> {
            assertThat(kv.key.getMemberId()).hasToString("alice");
            assertThat(kv.value.getValidTrainings()).containsExactly("social-media-guidelines");
        });
    }

    @Test
    void shouldOpenAndResolveTrainingViolationsAtEventTimeWhenGrantTrainExpireRevoke() {
        start();
        pipe(roleEvent("g1", EventType.ROLE_GRANTED, "alice", "2024-01-01T10:00:00Z", "level", "corporate-user"));
        assertThat(violationLog()).containsExactly(
                "OPENED " + UNTRAINED + " alice 2024-01-01T10:00:00Z null",
                "OPENED required-role-vacant community-manager 2024-01-01T10:00:00Z null",
                "OPENED required-role-vacant sponsor 2024-01-01T10:00:00Z null",
                "OPENED required-role-vacant technical-developer-designer 2024-01-01T10:00:00Z null");
        MemberRoles alice = members.readValue();
        assertThat(alice.getLevel()).isEqualTo("corporate-user");
        assertThat(alice.getValidTrainings()).isEmpty();
        assertThat(coverage.readKeyValuesToMap()).hasSize(10)
                .allSatisfy((k, v) -> assertThat(v.getFilled()).isFalse());
        TrainingMetrics t = training.readValue();
        assertThat(t.getCorporateUsers()).isEqualTo(1);
        assertThat(t.getTrainedCorporateUsers()).isZero();
        assertThat(t.getTrainedShare()).isEqualTo(0.0);

        pipe(roleEvent("t1", EventType.TRAINING_COMPLETED, "alice", "2024-01-10T09:00:00Z",
                "course", "Social-Media-Guidelines", "score", "91"));
        assertThat(violationLog()).containsExactly(
                "RESOLVED " + UNTRAINED + " alice 2024-01-01T10:00:00Z 2024-01-10T09:00:00Z");
        assertThat(members.readValue().getValidTrainings()).containsExactly("social-media-guidelines");
        t = training.readValue();
        assertThat(t.getTrainedShare()).isEqualTo(1.0);
        assertThat(t.getWeekly()).singleElement().satisfies(w -> {
            assertThat(w.getCourse()).isEqualTo("social-media-guidelines");
            assertThat(w.getWeekStart()).hasToString("2024-01-08");
            assertThat(w.getCompletions()).isEqualTo(1);
        });

        // Any event moving the community's clock past the expiry (365 days) opens it at the expiry instant.
        pipe(event("p1", C, EventType.THREAD_CREATED, "bob", Instant.parse("2025-01-20T00:00:00Z")));
        assertThat(violationLog()).containsExactly("OPENED " + UNTRAINED + " alice 2025-01-09T09:00:00Z null");
        t = training.readValue();
        assertThat(t.getExpired()).isEqualTo(1);
        assertThat(t.getTrainedCorporateUsers()).isZero();

        pipe(roleEvent("r1", EventType.ROLE_REVOKED, "alice", "2025-01-25T12:00:00Z", "level", "corporate-user"));
        assertThat(violationLog()).containsExactly(
                "RESOLVED " + UNTRAINED + " alice 2025-01-09T09:00:00Z 2025-01-25T12:00:00Z");
        assertThat(members.readKeyValuesToMap().get(new MemberKey(C, "alice")).getLevel()).isEqualTo("basic");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldTrackAccountManagersWhenAnAccountLosesAndRegainsItsManager() {
        start();
        pipe(roleEvent("g1", EventType.ROLE_GRANTED, "carol", "2024-03-01T09:00:00Z", "level", "corporate-user"),
                roleEvent("t1", EventType.TRAINING_COMPLETED, "carol", "2024-03-01T10:00:00Z",
                        "course", "social-media-guidelines"),
                roleEvent("g2", EventType.ROLE_GRANTED, "carol", "2024-03-02T09:00:00Z",
                        "level", "account-manager", "account", "@acme"));
        violations.readValuesToList();
        assertThat(members.readKeyValuesToMap().get(new MemberKey(C, "carol")).getAccounts()).containsExactly("@acme");

        pipe(roleEvent("r1", EventType.ROLE_REVOKED, "carol", "2024-04-01T09:00:00Z",
                "level", "account-manager", "account", "@acme"));
        assertThat(violationLog()).containsExactly("OPENED account-without-manager @acme 2024-04-01T09:00:00Z null");

        pipe(roleEvent("g3", EventType.ROLE_GRANTED, "dave", "2024-04-05T09:00:00Z",
                "level", "account-manager", "account", "@acme"));
        assertThat(violationLog()).containsExactlyInAnyOrder(
                "RESOLVED account-without-manager @acme 2024-04-01T09:00:00Z 2024-04-05T09:00:00Z",
                "OPENED account-manager-not-corporate-user dave 2024-04-05T09:00:00Z null",
                // dave is above Corporate User, so the training rule applies to him too.
                "OPENED " + UNTRAINED + " dave 2024-04-05T09:00:00Z null");

        pipe(roleEvent("g4", EventType.ROLE_GRANTED, "dave", "2024-04-06T09:00:00Z", "level", "corporate-user"),
                roleEvent("t2", EventType.TRAINING_COMPLETED, "dave", "2024-04-07T09:00:00Z",
                        "course", "social-media-guidelines"));
        assertThat(violationLog()).containsExactly(
                "RESOLVED account-manager-not-corporate-user dave 2024-04-05T09:00:00Z 2024-04-06T09:00:00Z",
                "RESOLVED " + UNTRAINED + " dave 2024-04-05T09:00:00Z 2024-04-07T09:00:00Z");
    }

    @Test
    void shouldEndAnErasedMembersViolationsSilentlyAndScrubThemFromOtherOpenViolationsEvidence() {
        start();
        pipe(roleEvent("g1", EventType.ROLE_GRANTED, "carol", "2024-03-01T09:00:00Z", "level", "corporate-user"),
                roleEvent("g2", EventType.ROLE_GRANTED, "carol", "2024-03-02T09:00:00Z",
                        "level", "account-manager", "account", "@acme"),
                roleEvent("r1", EventType.ROLE_REVOKED, "carol", "2024-04-01T09:00:00Z",
                        "level", "account-manager", "account", "@acme"));
        assertThat(violationLog()).contains("OPENED " + UNTRAINED + " carol 2024-03-01T09:00:00Z null",
                "OPENED account-without-manager @acme 2024-04-01T09:00:00Z null");
        org.apache.kafka.streams.state.KeyValueStore<String, PolicyViolation> open =
                driver.getKeyValueStore(RolesTopology.OPEN_VIOLATIONS_VIEW_STORE);
        assertThat(open.get(C + '\u0000' + "account-without-manager" + '\u0000' + "@acme").getEvidence())
                .containsEntry("formerManagers", "carol");

        ActivityEvent erasure = event("e1", "*", EventType.MEMBER_ERASED, "carol", Instant.parse("2024-04-02T12:00:00Z"));
        driver.createInputTopic(topics.erasures().name(), topics.erasures().keySerde().serializer(),
                topics.erasures().valueSerde().serializer()).pipeInput(erasure.getEventId(), erasure);

        // No RESOLVED keyed by her on the (non-compacted) violations topic: nothing names her after the erasure.
        assertThat(violations.readKeyValuesToList()).noneMatch(kv -> kv.key.getSubject().contains("carol")
                || kv.value.toString().contains("carol"));
        List<String> left = new ArrayList<>();
        try (var it = open.all()) {
            it.forEachRemaining(kv -> left.add(kv.key + " " + kv.value));
        }
        assertThat(left).isNotEmpty().noneMatch(v -> v.contains("carol"));
        assertThat(open.get(C + '\u0000' + "account-without-manager" + '\u0000' + "@acme").getEvidence())
                .containsEntry("formerManagers", "(erased)");
    }

    @Test
    void shouldMarkRequiredRoleVacantFromWhenItsOnlyHolderWentInactiveWhenTheClockPassesTheWindow() {
        start();
        // erin acts before her grant: the grant alone would leave the role vacant until her first activity.
        pipe(event("p0", C, EventType.REPLY_CREATED, "erin", Instant.parse("2023-12-31T23:00:00Z")),
                roleEvent("g1", EventType.ROLE_GRANTED, "erin", "2024-01-01T00:00:00Z", "role", "Sponsor"),
                event("p1", C, EventType.THREAD_CREATED, "erin", Instant.parse("2024-01-05T00:00:00Z")));
        RoleCoverage sponsor = coverage.readKeyValuesToMap().get(new CommunityRoleKey(C, "sponsor"));
        assertThat(sponsor.getFilled()).isTrue();
        assertThat(sponsor.getActiveHolders()).containsExactly("erin");
        assertThat(sponsor.getVacantSince()).isNull();
        assertThat(violationLog()).noneMatch(v -> v.contains(" sponsor "));

        // 30 days after erin's last event nobody covers the role any more.
        pipe(event("p2", C, EventType.THREAD_CREATED, "frank", Instant.parse("2024-03-01T00:00:00Z")));
        sponsor = coverage.readKeyValuesToMap().get(new CommunityRoleKey(C, "sponsor"));
        assertThat(sponsor.getFilled()).isFalse();
        assertThat(sponsor.getHolders()).containsExactly("erin");
        assertThat(sponsor.getActiveHolders()).isEmpty();
        assertThat(sponsor.getVacantSince()).isEqualTo(Instant.parse("2024-02-04T00:00:00Z"));
        assertThat(violationLog()).containsExactly("OPENED required-role-vacant sponsor 2024-02-04T00:00:00Z null");

        pipe(event("p3", C, EventType.REPLY_CREATED, "erin", Instant.parse("2024-03-02T08:00:00Z")));
        assertThat(violationLog()).containsExactly(
                "RESOLVED required-role-vacant sponsor 2024-02-04T00:00:00Z 2024-03-02T08:00:00Z");
        assertThat(coverage.readKeyValuesToMap().get(new CommunityRoleKey(C, "sponsor")).getFilled()).isTrue();
    }

    @Test
    void shouldDeadLetterBadRoleEventsWithReasonWhenRoleUnknownRevokedWithoutGrantOrFutureDated() {
        start();
        pipe(roleEvent("g1", EventType.ROLE_GRANTED, "alice", "2024-01-01T10:00:00Z", "role", "sponsor"));
        List<String> before = violationLog();
        members.readValuesToList();
        coverage.readValuesToList();
        training.readValuesToList();

        pipe(roleEvent("b1", EventType.ROLE_GRANTED, "bob", "2024-01-02T10:00:00Z", "role", "chief-wizard"),
                roleEvent("b2", EventType.ROLE_GRANTED, "bob", "2024-01-02T10:00:00Z", "level", "platinum"),
                roleEvent("b3", EventType.ROLE_REVOKED, "bob", "2024-01-02T10:00:00Z", "role", "sponsor"),
                roleEvent("b4", EventType.ROLE_GRANTED, "bob", "2024-03-01T10:00:00Z", "role", "sponsor"),
                roleEvent("b5", EventType.ROLE_GRANTED, "bob", "2024-01-02T10:00:00Z"),
                roleEvent("b6", EventType.TRAINING_COMPLETED, "bob", "2024-01-02T10:00:00Z"),
                // A platform role from a connector: not an organisation role, counted as ignored.
                roleEvent("i1", EventType.ROLE_GRANTED, "bob", "2024-01-02T10:00:00Z", "role", "trust_level_2"));
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON))
                .containsExactly("UNKNOWN_ROLE", "UNKNOWN_LEVEL", "REVOKE_WITHOUT_GRANT", "FUTURE_GRANT",
                        "MISSING_ROLE", "MISSING_ATTRIBUTE");
        assertThat(dead).allSatisfy(r -> {
            assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REJECTED_BY)).isEqualTo("streams.roles");
            assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.DETAIL)).isNotBlank();
            assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                    .isEqualTo(topics.activity().name());
        });
        ActivityEvent first = topics.activity().valueSerde().deserializer().deserialize(topics.activity().name(),
                dead.get(0).value());
        assertThat(first.getEventId()).isEqualTo("b1");
        // Nothing else moved: no role output at all for the refused events.
        assertThat(violationLog()).isEmpty();
        assertThat(members.isEmpty()).isTrue();
        assertThat(before).isNotEmpty();
        assertThat(metric("dead-lettered", "roles.UNKNOWN_ROLE")).isEqualTo(1.0);
        assertThat(metric("dead-lettered", "roles.FUTURE_GRANT")).isEqualTo(1.0);
        assertThat(metric("ignored", "roles")).isEqualTo(1.0);
        assertThat(metric("applied", "roles")).isEqualTo(1.0);
    }

    @Test
    void shouldEndInTheSameStateWhenTheSameHistoryArrivesInAnotherOrder() {
        List<ActivityEvent> history = new ArrayList<>(List.of(
                roleEvent("g1", EventType.ROLE_GRANTED, "alice", "2024-01-01T10:00:00Z", "level", "corporate-user"),
                roleEvent("g2", EventType.ROLE_GRANTED, "alice", "2024-01-02T10:00:00Z", "role", "sponsor"),
                roleEvent("t1", EventType.TRAINING_COMPLETED, "alice", "2024-01-03T10:00:00Z",
                        "course", "social-media-guidelines"),
                roleEvent("g3", EventType.ROLE_GRANTED, "bob", "2024-01-04T10:00:00Z",
                        "level", "account-manager", "account", "@acme"),
                roleEvent("g4", EventType.ROLE_GRANTED, "bob", "2024-01-05T10:00:00Z", "role", "community-manager"),
                roleEvent("a1", EventType.POLICY_ACKNOWLEDGED, "bob", "2024-01-05T11:00:00Z", "policy", "privacy-notice"),
                event("p1", C, EventType.THREAD_CREATED, "carol", Instant.parse("2024-01-20T10:00:00Z"))));
        start();
        history.forEach(this::pipe);
        Map<MemberKey, String> inOrderMembers = withoutAsOf(members.readKeyValuesToMap());
        Map<CommunityRoleKey, String> inOrderCoverage = withoutAsOf(coverage.readKeyValuesToMap());
        Map<String, String> inOrderTraining = withoutAsOf(training.readKeyValuesToMap());
        driver.close();

        // Shuffled, but the latest event still last so every run is evaluated as of the same instant.
        List<ActivityEvent> shuffled = new ArrayList<>(history.subList(0, history.size() - 1));
        Collections.shuffle(shuffled, new Random(7));
        shuffled.add(history.get(history.size() - 1));
        start();
        shuffled.forEach(this::pipe);
        assertThat(withoutAsOf(members.readKeyValuesToMap())).isEqualTo(inOrderMembers);
        assertThat(withoutAsOf(coverage.readKeyValuesToMap())).isEqualTo(inOrderCoverage);
        assertThat(withoutAsOf(training.readKeyValuesToMap())).isEqualTo(inOrderTraining);
        assertThat(inOrderMembers.get(new MemberKey(C, "bob"))).contains("\"acknowledgedPolicies\": [\"privacy-notice\"]");
    }

    @Test
    void shouldEmitIdenticalRecordsWhenTheRoleHistoriesAreEvictedFromTheObjectCacheOnEveryAccess() {
        // Two communities in turn with room for one history: every access reads the other one back from the store.
        List<ActivityEvent> events = new ArrayList<>();
        for (String community : List.of(C, "other-community")) {
            String p = community.substring(0, 1);
            events.addAll(List.of(
                    roleEventIn(community, p + "g1", EventType.ROLE_GRANTED, "alice", "2024-01-01T10:00:00Z",
                            "level", "corporate-user"),
                    roleEventIn(community, p + "g2", EventType.ROLE_GRANTED, "alice", "2024-01-02T10:00:00Z",
                            "role", "sponsor"),
                    roleEventIn(community, p + "g3", EventType.ROLE_GRANTED, "bob", "2024-01-02T11:00:00Z",
                            "level", "account-manager", "account", "@acme"),
                    roleEventIn(community, p + "a1", EventType.POLICY_ACKNOWLEDGED, "bob", "2024-01-03T09:00:00Z",
                            "policy", "z-policy"),
                    roleEventIn(community, p + "a2", EventType.POLICY_ACKNOWLEDGED, "bob", "2024-01-03T10:00:00Z",
                            "policy", "a-policy"),
                    event(p + "p1", community, EventType.REPLY_CREATED, "alice", Instant.parse("2024-01-04T09:00:00Z")),
                    roleEventIn(community, p + "t1", EventType.TRAINING_COMPLETED, "alice", "2024-01-05T09:00:00Z",
                            "course", "social-media-guidelines", "score", "90"),
                    roleEventIn(community, p + "g4", EventType.ROLE_GRANTED, "bob", "2024-01-06T10:00:00Z",
                            "level", "corporate-user"),
                    roleEventIn(community, p + "r1", EventType.ROLE_REVOKED, "bob", "2024-01-07T10:00:00Z",
                            "level", "account-manager", "account", "@acme"),
                    event(p + "p2", community, EventType.THREAD_CREATED, "carol", Instant.parse("2024-03-20T10:00:00Z"))));
        }
        List<ActivityEvent> interleaved = new ArrayList<>();
        int half = events.size() / 2;
        for (int i = 0; i < half; i++) {
            interleaved.add(events.get(i));
            interleaved.add(events.get(half + i));
        }

        List<String> cached = emitted(interleaved, EngagementSettings.defaults());
        List<String> evicting = emitted(interleaved, EngagementSettings.defaults().withStateCacheEntries(1));

        assertThat(evicting).isEqualTo(cached);
        assertThat(cached).anyMatch(r -> r.contains("\"acknowledgedPolicies\": [\"a-policy\", \"z-policy\"]"))
                .anyMatch(r -> r.contains("RESOLVED")).anyMatch(r -> r.contains("alice") && r.endsWith(" null"));
    }

    /** Every record the roles family emits for {@code events}, topic by topic, each in emission order. */
    private List<String> emitted(List<ActivityEvent> events, EngagementSettings engagement) {
        try (RolesPipeline pipeline = new RolesPipeline(topics, serdes, stateDir.resolve("run-" + seq++),
                "roles-topology-test", TestRoles.threeRequired(), CLOCK, engagement)) {
            events.forEach(e -> pipeline.activity.pipeInput(e.getCommunityId(), e));
            // Erasing alice changes both histories, one of them read back from the store when evicting.
            ActivityEvent erasure = event("e1", "*", EventType.MEMBER_ERASED, "alice",
                    Instant.parse("2024-03-21T12:00:00Z"));
            pipeline.driver.createInputTopic(topics.erasures().name(), topics.erasures().keySerde().serializer(),
                    topics.erasures().valueSerde().serializer()).pipeInput(erasure.getEventId(), erasure);
            List<String> out = new ArrayList<>();
            for (TestOutputTopic<?, ?> topic : List.of(pipeline.members, pipeline.coverage, pipeline.violations,
                    pipeline.training)) {
                topic.readKeyValuesToList().forEach(kv -> out.add(kv.key + " " + kv.value));
            }
            return out;
        }
    }

    private static ActivityEvent roleEventIn(String community, String id, EventType type, String member, String at,
                                             String... attributes) {
        ActivityEvent e = roleEvent(id, type, member, at, attributes);
        e.setCommunityId(community);
        return e;
    }

    /**
     * Records as JSON text without asOf: asOf says when a record was computed (the clock at its last change),
     * which legitimately differs between arrival orders; every other field must not.
     */
    private static <K, V> Map<K, String> withoutAsOf(Map<K, V> records) {
        Map<K, String> out = new HashMap<>();
        records.forEach((k, v) -> out.put(k, v.toString().replaceAll("\"asOf\": \"[^\"]*\"", "")));
        return out;
    }

    private double metric(String name, String entity) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
            MetricName n = m.getKey();
            if (n.group().equals("stream-pulse-metrics") && n.name().equals(name + "-total")
                    && entity.equals(n.tags().get("pulse-id"))) {
                sum += ((Number) m.getValue().metricValue()).doubleValue();
            }
        }
        return sum;
    }

    @Test
    void shouldTombstoneAndVacateWhenTheOnlyHolderIsErased() {
        start();
        pipe(roleEvent("g1", EventType.ROLE_GRANTED, "alice", "2024-01-01T10:00:00Z", "role", "community-manager"),
                roleEvent("g2", EventType.ROLE_GRANTED, "alice", "2024-01-01T10:00:00Z", "level", "corporate-user"),
                // alice is active (a grant alone would not make her so): the role is filled until the erasure.
                event("p1", C, EventType.REPLY_CREATED, "alice", Instant.parse("2024-01-01T11:00:00Z")),
                roleEvent("t1", EventType.TRAINING_COMPLETED, "alice", "2024-01-02T09:00:00Z",
                        "course", "Social-Media-Guidelines"),
                roleEvent("g3", EventType.ROLE_GRANTED, "bob", "2024-01-02T10:00:00Z", "level", "corporate-user"));
        assertThat(coverage.readKeyValuesToMap().get(new CommunityRoleKey(C, "community-manager")).getHolders())
                .containsExactly("alice");
        assertThat(training.readValuesToList()).last().satisfies(t -> {
            assertThat(t.getCorporateUsers()).isEqualTo(2);
            assertThat(t.getExpiring() + t.getTrainedCorporateUsers()).isPositive();
        });
        members.readKeyValuesToMap();
        violationLog();

        ActivityEvent erasure = event("e1", "*", EventType.MEMBER_ERASED, "alice", Instant.parse("2024-01-05T12:00:00Z"));
        driver.createInputTopic(topics.erasures().name(), topics.erasures().keySerde().serializer(),
                topics.erasures().valueSerde().serializer()).pipeInput(erasure.getEventId(), erasure);

        List<org.apache.kafka.streams.KeyValue<MemberKey, MemberRoles>> memberRecords = members.readKeyValuesToList();
        assertThat(memberRecords).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(new MemberKey(C, "alice"));
            assertThat(kv.value).isNull();
        });
        RoleCoverage manager = coverage.readKeyValuesToMap().get(new CommunityRoleKey(C, "community-manager"));
        assertThat(manager.getHolders()).isEmpty();
        assertThat(manager.getFilled()).isFalse();
        // Vacant from the erasure, not retroactively: the organisation learns when the seat emptied.
        assertThat(manager.getVacantSince()).isEqualTo(Instant.parse("2024-01-05T12:00:00Z"));
        TrainingMetrics after = training.readValuesToList().get(0);
        assertThat(after.getCorporateUsers()).isEqualTo(1);
        assertThat(after.getTrainedCorporateUsers()).isZero();
        assertThat(after.getExpiring()).isZero();
        assertThat(violationLog()).contains("OPENED required-role-vacant community-manager 2024-01-05T12:00:00Z null")
                .noneMatch(v -> v.contains("alice"));

        // Later role events of the forgotten identity are ignored (counted), a grant to someone else refills.
        pipe(roleEvent("g4", EventType.ROLE_GRANTED, "alice", "2024-01-06T10:00:00Z", "role", "community-manager"),
                event("p9", C, EventType.REPLY_CREATED, "bob", Instant.parse("2024-01-06T10:30:00Z")),
                roleEvent("g5", EventType.ROLE_GRANTED, "bob", "2024-01-06T11:00:00Z", "role", "community-manager"));
        assertThat(members.readKeyValuesToList()).extracting(kv -> kv.key.getMemberId().toString())
                .containsOnly("bob");
        RoleCoverage refilled = coverage.readKeyValuesToMap().get(new CommunityRoleKey(C, "community-manager"));
        assertThat(refilled.getHolders()).containsExactly("bob");
        assertThat(refilled.getFilled()).isTrue();
        assertThat(violationLog()).containsExactly(
                "RESOLVED required-role-vacant community-manager 2024-01-05T12:00:00Z 2024-01-06T11:00:00Z");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(driver.metrics().entrySet()).filteredOn(e -> e.getKey().name().equals("events-of-erased-total"))
                .singleElement().satisfies(e -> assertThat(e.getValue().metricValue()).isEqualTo(1.0));
    }
}
