package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.ingest.ImportSummary;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.ingest.register.RegisterImporter;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.ViolationKey;
import org.communitypulse.schemas.avro.ViolationState;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A role register and training records imported into the real broker and turned into roles outputs by the running app. */
class RolesIT {

    private static final String C = "acme";
    private static KafkaCluster kafka;

    @BeforeAll
    static void platform() {
        kafka = SharedPlatform.kafka();
        SharedPlatform.registry();
    }

    @Test
    void shouldPublishCoverageViolationsAndDeadLettersWhenARegisterIsImported(@TempDir Path tmp) throws Exception {
        // Dates close to today: live, the role alerts judge every day from the first grant to today in one
        // punctuation, and two years of days made that transaction outlast the awaits on a loaded machine.
        LocalDate base = LocalDate.now(ZoneOffset.UTC).minusDays(20);
        Path register = Files.writeString(tmp.resolve("roles.csv"), """
                member,role,granted_at,revoked_at,account
                ann,corporate-user,%1$s,,
                ann,sponsor,%1$s,,
                bob,account-manager,%2$s,%4$s,@acme
                bob,corporate-user,%2$s,,
                bob,chief-wizard,%3$s,,
                """.formatted(base, base.plusDays(1), base.plusDays(2), base.plusDays(15)));
        Path training = Files.writeString(tmp.resolve("training.csv"), """
                member,course,completed_at,score
                ann,social-media-guidelines,%s,90
                bob,social-media-guidelines,%sT12:00:00Z,80
                """.formatted(base.plusDays(5), base.plusDays(1)));
        String prefix = "roles-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, prefix + "app",
                tmp.resolve("state"), Map.of(PulseStreamsConfig.PARTITIONS_CONFIG, 1)))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            ImportSummary summary;
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), app.topics().activity(), Map.of())) {
                summary = new RegisterImporter().run(List.of(register, training), C, sink);
            }
            assertThat(summary.rejectedTotal()).isZero();
            assertThat(summary.totalEvents()).isEqualTo(8);

            Map<ViolationKey, PolicyViolation> violations = new LinkedHashMap<>();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                violations.putAll(latest(app.topics().policyViolations()));
                assertThat(violations.get(new ViolationKey(C, "account-without-manager", "@acme")))
                        .isNotNull().extracting(PolicyViolation::getState).isEqualTo(ViolationState.OPENED);
                // Ann's resolution may come in a later transaction than the violation above.
                assertThat(violations.get(new ViolationKey(C, "corporate-user-untrained", "ann")))
                        .isNotNull().extracting(PolicyViolation::getState).isEqualTo(ViolationState.RESOLVED);
                assertThat(violations.get(new ViolationKey(C, "required-role-vacant", "community-manager")))
                        .isNotNull().extracting(PolicyViolation::getState).isEqualTo(ViolationState.OPENED);
            });
            PolicyViolation annUntrained = violations.get(new ViolationKey(C, "corporate-user-untrained", "ann"));
            assertThat(annUntrained.getOpenedAt()).isEqualTo(startOf(base));
            assertThat(annUntrained.getResolvedAt()).isEqualTo(startOf(base.plusDays(5)));
            assertThat(violations.get(new ViolationKey(C, "account-without-manager", "@acme")).getOpenedAt())
                    .isEqualTo(startOf(base.plusDays(15)));
            assertThat(violations.get(new ViolationKey(C, "required-role-vacant", "community-manager")).getState())
                    .isEqualTo(ViolationState.OPENED);

            // Read until the last record is there: a transaction still open (the role alerts' punctuation judging
            // the days since the first grant at its first run) holds back everything after it from a read_committed
            // reader.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<CommunityRoleKey, RoleCoverage> coverage = latest(app.topics().roleCoverage());
                assertThat(coverage).hasSize(10);
                // A register import alone makes nobody active: ann holds the sponsor role but covers it only once
                // she acts in the community.
                RoleCoverage sponsor = coverage.get(new CommunityRoleKey(C, "sponsor"));
                assertThat(sponsor.getHolders()).containsExactly("ann");
                assertThat(sponsor.getActiveHolders()).isEmpty();
                assertThat(sponsor.getFilled()).isFalse();
                assertThat(sponsor.getConsequence()).isEqualTo("Decisions slow down and resources are not met.");
            });
            // Live (wall clock on), the role alerts reach the shared alerts topic: community-manager was never held.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(latest(app.topics().alerts()).get(new AlertKey(C, AlertCondition.REQUIRED_ROLE_VACANT)))
                            .isNotNull().satisfies(a -> {
                                assertThat(a.getState()).isEqualTo(AlertState.FIRING);
                                assertThat(a.getEvidence().get("roles")).contains("community-manager");
                            }));
            // Awaited like the rest: a one-shot read can come back empty on a loaded machine (seen once at load 8).
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<MemberKey, MemberRoles> members = latest(app.topics().memberRoles());
                assertThat(members.get(new MemberKey(C, "bob")).getLevel()).isEqualTo("corporate-user");
                assertThat(members.get(new MemberKey(C, "bob")).getAccounts()).isEmpty();
            });
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<ConsumerRecord<byte[], byte[]>> dead = read(app.topics().activityDeadLetters().name());
                assertThat(dead).singleElement().satisfies(r -> {
                    assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("UNKNOWN_ROLE");
                    assertThat(DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REJECTED_BY))
                            .isEqualTo("streams.roles");
                });
            });
        }
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static <K, V> Map<K, V> latest(Topic<K, V> topic) {
        Map<K, V> out = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read(topic.name())) {
            out.put(topic.keySerde().deserializer().deserialize(r.topic(), r.key()),
                    topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }
        return out;
    }

    /**
     * Every committed record of the topic so far, in offset order. Assigned, not subscribed: a group join on a
     * loaded machine can outlast any "until an empty poll" rule, and the read then looked empty.
     */
    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        return CommittedTopics.readAll(topic);
    }
}
