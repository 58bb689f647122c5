package org.communitypulse.alerting.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.communitypulse.alerting.OwnerRouting;
import org.communitypulse.alerting.Route;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routing decision over the role table: who hears of a community's alert. */
class OwnerRoutingTest {

    private static final List<String> ORDER = List.of("community-manager", "account-manager", "sponsor");

    private final Topics topics = new Topics(Topics.DEFAULT_PREFIX,
            new AvroSerdes(new InMemorySchemaRegistryClient(), true));
    private final DeliveryMetrics metrics = new DeliveryMetrics();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final RoleTable table = new RoleTable(consumer, topics.memberRoles().name(),
            topics.memberRoles().keySerde().deserializer(), topics.memberRoles().valueSerde().deserializer(), metrics);
    private final OwnerRouting routing = new OwnerRouting(ORDER,
            Map.of("ann", "ann-chat", "bob", "bob-chat", "acme/eve", "eve-acme", "eve", "eve-elsewhere"), "fallback");
    private long offset;

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void shouldRouteToTheHolderChannelWhenTheFirstRoleIsHeld() {
        record("acme", "ann", List.of("community-manager"), "basic");
        record("acme", "bob", List.of("sponsor"), "basic");

        Route route = routing.decide("acme", table);

        assertThat(route.receivers()).containsExactly("ann-chat");
        assertThat(route.role()).isEqualTo("community-manager");
        assertThat(route.owners()).containsExactly("ann");
        assertThat(route.isUnowned()).isFalse();
        assertThat(route.vacantRoles()).isEmpty();
    }

    @Test
    void shouldRouteToBothChannelsWhenTwoMembersHoldTheRole() {
        record("acme", "ann", List.of("community-manager"), "basic");
        record("acme", "bob", List.of("community-manager", "sponsor"), "basic");

        Route route = routing.decide("acme", table);

        assertThat(route.receivers()).containsExactly("ann-chat", "bob-chat");
        assertThat(route.owners()).containsExactly("ann", "bob");
    }

    @Test
    void shouldSendToTheDefaultReceiverFlaggedVacantWhenNoOwnerRoleIsHeld() {
        record("acme", "carl", List.of("product-manager"), "corporate-user");
        record("other", "ann", List.of("community-manager"), "basic");

        Route route = routing.decide("acme", table);

        assertThat(route.receivers()).containsExactly("fallback");
        assertThat(route.isUnowned()).isTrue();
        assertThat(route.unowned()).isEqualTo(OwnerRouting.VACANT);
        assertThat(route.vacantRoles()).containsExactlyElementsOf(ORDER);
        assertThat(route.role()).isNull();
    }

    @Test
    void shouldFallBackToTheNextRoleAndNameTheVacancyWhenTheFirstRoleIsVacant() {
        // Account Manager is a level: its holders are members whose level is account-manager.
        record("acme", "bob", List.of(), "account-manager");

        Route route = routing.decide("acme", table);

        assertThat(route.receivers()).containsExactly("bob-chat");
        assertThat(route.role()).isEqualTo("account-manager");
        assertThat(route.vacantRoles()).containsExactly("community-manager");
    }

    @Test
    void shouldFlagNoChannelWhenTheOnlyHoldersHaveNoChannel() {
        record("acme", "zed", List.of("community-manager"), "basic");

        Route route = routing.decide("acme", table);

        assertThat(route.receivers()).containsExactly("fallback");
        assertThat(route.unowned()).isEqualTo(OwnerRouting.NO_CHANNEL);
        assertThat(route.withoutChannel()).containsExactly("community-manager");
        assertThat(route.vacantRoles()).containsExactly("account-manager", "sponsor");
    }

    @Test
    void shouldRouteToTheNewHolderWhenTheRoleIsHandedOver() {
        record("acme", "ann", List.of("community-manager"), "basic");
        assertThat(routing.decide("acme", table).receivers()).containsExactly("ann-chat");

        record("acme", "ann", List.of(), "basic");
        record("acme", "bob", List.of("community-manager"), "basic");

        assertThat(routing.decide("acme", table).receivers()).containsExactly("bob-chat");
    }

    @Test
    void shouldTreatAnErasedHolderAsGoneWhenTheRecordIsATombstone() {
        record("acme", "ann", List.of("community-manager"), "basic");
        tombstone("acme", "ann");

        assertThat(routing.decide("acme", table).unowned()).isEqualTo(OwnerRouting.VACANT);
    }

    @Test
    void shouldPreferTheCommunityScopedChannelWhenBothAreConfigured() {
        record("acme", "eve", List.of("community-manager"), "basic");
        record("beta", "eve", List.of("community-manager"), "basic");

        assertThat(routing.decide("acme", table).receivers()).containsExactly("eve-acme");
        assertThat(routing.decide("beta", table).receivers()).containsExactly("eve-elsewhere");
    }

    @Test
    void shouldSkipAndCountAnUnreadableRolesRecordWhenApplyingIt() {
        record("acme", "ann", List.of("community-manager"), "basic");
        table.apply(new ConsumerRecord<>(topics.memberRoles().name(), 0, offset++, "junk".getBytes(), "junk".getBytes()));

        assertThat(metrics.count(DeliveryMetrics.ROLES_UNREADABLE)).isEqualTo(1);
        assertThat(routing.decide("acme", table).receivers()).containsExactly("ann-chat");
    }

    @Test
    void shouldReadTheRolesTopicToItsEndWhenCatchingUp() {
        TopicPartition partition = new TopicPartition(topics.memberRoles().name(), 0);
        consumer.updatePartitions(partition.topic(), List.of(new PartitionInfo(partition.topic(), 0, Node.noNode(),
                new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, 2L));
        consumer.schedulePollTask(() -> {
            consumer.addRecord(raw(partition, 0, "acme", "ann", value("acme", "ann", List.of("community-manager"))));
            consumer.addRecord(raw(partition, 1, "acme", "bob", value("acme", "bob", List.of("community-manager"))));
        });

        assertThat(table.catchUp(() -> false)).isTrue();

        assertThat(table.of("acme", "community-manager")).containsExactly("ann", "bob");
        assertThat(consumer.position(partition)).isEqualTo(2L);
    }

    @Test
    void shouldCarryTheDecisionUnchangedWhenWrittenAsHeadersAndReadBack() {
        record("acme", "bob", List.of(), "account-manager");
        Route route = routing.decide("acme", table);
        RecordHeaders headers = new RecordHeaders();
        route.write(headers);

        assertThat(Route.read(headers)).contains(route);
        assertThat(Route.read(new RecordHeaders())).isEmpty();
        Route unowned = routing.decide("nobody", table);
        RecordHeaders more = new RecordHeaders();
        unowned.write(more);
        assertThat(Route.read(more)).contains(unowned);
    }

    @Test
    void shouldListTheDefaultAndEveryChannelAsRoutedReceiversWhenAsked() {
        assertThat(routing.routedReceivers()).isEqualTo(Set.of("fallback", "ann-chat", "bob-chat", "eve-acme",
                "eve-elsewhere"));
    }

    private void record(String community, String member, List<String> roles, String level) {
        table.apply(raw(new TopicPartition(topics.memberRoles().name(), 0), offset++, community, member,
                value(community, member, roles, level)));
    }

    private void tombstone(String community, String member) {
        table.apply(raw(new TopicPartition(topics.memberRoles().name(), 0), offset++, community, member, null));
    }

    private MemberRoles value(String community, String member, List<String> roles) {
        return value(community, member, roles, "basic");
    }

    private static MemberRoles value(String community, String member, List<String> roles, String level) {
        return MemberRoles.newBuilder().setCommunityId(community).setMemberId(member).setRoles(roles).setLevel(level)
                .setAccounts(List.of()).setValidTrainings(List.of()).setAcknowledgedPolicies(List.of())
                .setStaff(!roles.isEmpty()).setAsOf(Instant.EPOCH).build();
    }

    private ConsumerRecord<byte[], byte[]> raw(TopicPartition partition, long at, String community, String member,
                                               MemberRoles value) {
        String topic = partition.topic();
        byte[] key = topics.memberRoles().keySerde().serializer().serialize(topic, new MemberKey(community, member));
        byte[] bytes = value == null ? null : topics.memberRoles().valueSerde().serializer().serialize(topic, value);
        return new ConsumerRecord<>(topic, partition.partition(), at, key, bytes);
    }
}
