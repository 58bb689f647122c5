package org.communitypulse.streams.roles.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.RolesHistory;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.avro.ViolationState;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.roles.RolesEvaluator;
import org.communitypulse.streams.roles.RolesModel;
import org.communitypulse.streams.roles.RolesTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RolesProcessorTest {

    private static final String STORE = "roles-store";
    private static final RolesProcessor.Children CHILDREN =
            new RolesProcessor.Children("members", "coverage", "violations", "training", "dlq");

    private MockProcessorContext<Object, Object> context;
    private RolesProcessor processor;
    private KeyValueStore<String, RolesHistory> store;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                RolesTopology.historySerde(new AvroSerdes(new InMemorySchemaRegistryClient(), true)))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        KeyValueStore<String, Long> activity = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("activity"),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        activity.init(context.getStateStoreContext(), activity);
        context.addStateStore(activity);
        // The dead-letter value only has to be the event's bytes; the event id is enough to check.
        processor = new RolesProcessor(STORE, "activity", RolesModel.defaults(),
                (topic, event) -> event.getEventId().getBytes(), "activity", CHILDREN);
        processor.init(context);
    }

    private void process(String id, EventType type, String member, String at, Map<String, String> attributes) {
        ActivityEvent event = ActivityEvent.newBuilder().setEventId(id).setCommunityId("c").setSource(SourcePlatform.GENERATOR)
                .setType(type).setActorId(member).setOccurredAt(Instant.parse(at)).setAttributes(attributes).build();
        processor.process(new Record<>("c", event, Instant.parse(at).toEpochMilli()));
    }

    private List<Object> forwardedTo(String child) {
        return context.forwarded().stream().filter(f -> child.equals(f.childName().orElse(null)))
                .<Object>map(f -> f.record().value()).toList();
    }

    @Test
    void shouldForwardOnlyChangedRecordsWhenTheSameStateIsEvaluatedAgain() {
        // ann's activity makes her an active holder once granted (the grant alone would not).
        process("p0", EventType.REPLY_CREATED, "ann", "2024-01-01T00:00:00Z", Map.of());
        process("g1", EventType.ROLE_GRANTED, "ann", "2024-01-01T00:00:00Z", Map.of("role", "sponsor"));
        assertThat(forwardedTo("members")).singleElement()
                .satisfies(m -> assertThat(((MemberRoles) m).getRoles()).containsExactly("sponsor"));
        assertThat(forwardedTo("coverage")).hasSize(10);
        assertThat(forwardedTo("training")).hasSize(1);
        context.resetForwards();

        // Same day, same holder, nothing changes: the activity is recorded, no record is re-emitted.
        process("p1", EventType.REPLY_CREATED, "ann", "2024-01-01T05:00:00Z", Map.of());
        assertThat(context.forwarded()).isEmpty();
        assertThat(store.get("c")).isNotNull();
    }

    @Test
    void shouldKeepStateUntouchedWhenARevokeHasNoGrant() {
        process("g1", EventType.ROLE_GRANTED, "ann", "2024-01-01T00:00:00Z", Map.of("level", "corporate-user"));
        RolesHistory before = store.get("c");
        context.resetForwards();

        process("r1", EventType.ROLE_REVOKED, "ann", "2024-01-02T00:00:00Z", Map.of("level", "account-manager"));
        List<CapturedForward<?, ?>> forwards = context.forwarded();
        assertThat(forwards).singleElement().satisfies(f -> {
            assertThat(f.childName()).contains("dlq");
            assertThat(DeadLetterHeaders.get(f.record().headers(), DeadLetterHeaders.REASON))
                    .isEqualTo(RolesRejectReason.REVOKE_WITHOUT_GRANT.name());
            assertThat(new String((byte[]) f.record().value())).isEqualTo("r1");
        });
        assertThat(store.get("c")).isEqualTo(before);
    }

    @Test
    void shouldResolveAtTheLateEventTimeWhenAMissingTrainingArrivesOutOfOrder() {
        process("g1", EventType.ROLE_GRANTED, "ann", "2024-01-01T00:00:00Z", Map.of("level", "corporate-user"));
        process("p1", EventType.THREAD_CREATED, "bob", "2024-01-20T00:00:00Z", Map.of());
        context.resetForwards();

        // The training happened on 5 January but is only reported now.
        process("t1", EventType.TRAINING_COMPLETED, "ann", "2024-01-05T00:00:00Z",
                Map.of("course", "social-media-guidelines"));
        assertThat(forwardedTo("violations")).map(v -> (PolicyViolation) v)
                .filteredOn(v -> v.getRule().equals(RolesEvaluator.RULE_UNTRAINED))
                .singleElement().satisfies(v -> {
                    assertThat(v.getState()).isEqualTo(ViolationState.RESOLVED);
                    assertThat(v.getOpenedAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
                    assertThat(v.getResolvedAt()).isEqualTo(Instant.parse("2024-01-05T00:00:00Z"));
                    assertThat(v.getEvidence()).containsEntry("resolvedBy", "t1");
                });
        assertThat(context.forwarded()).filteredOn(f -> f.childName().orElse("").equals("members"))
                .singleElement().satisfies(f -> assertThat(f.record().key()).isEqualTo(new MemberKey("c", "ann")));
    }

    @Test
    void shouldKeyDaysWithEightDigitsSoThatTheySortByDay() {
        // A member's days are read back by range (the latest day at or before one), so the text must sort as the day.
        assertThat(RolesProcessor.dayKey(19_723)).isEqualTo("00019723");
        assertThat(RolesProcessor.dayKey(0)).isEqualTo("00000000");
        assertThat(RolesProcessor.dayKey(-3)).isEqualTo("00000000");
        assertThat(RolesProcessor.dayKey(123_456_789)).isEqualTo("123456789");
        assertThat(RolesProcessor.dayKey(9)).isLessThan(RolesProcessor.dayKey(10));
    }
}
