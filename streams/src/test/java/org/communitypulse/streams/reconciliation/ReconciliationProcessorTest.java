package org.communitypulse.streams.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.AlertGate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor alone: what each input writes, and records only when its punctuator fires. */
class ReconciliationProcessorTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);
    private static final Instant POLL = Instant.parse("2026-11-03T08:00:00Z");
    private static final ReconciliationProcessor.Names NAMES = new ReconciliationProcessor.Names("counts", "view",
            "dirty", "alerts-view", "out", "alerts");

    private MockProcessorContext<Object, Object> context;
    private ReconciliationProcessor processor;
    /** Writes (put, delete) per store. */
    private final Map<String, Integer> writes = new TreeMap<>();
    private int ids;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        addStore("counts", Serdes.String(), Serdes.Long());
        addStore("dirty", Serdes.String(), Serdes.ByteArray());
        addStore("view", Serdes.String(), new AvroSerdes(new InMemorySchemaRegistryClient(), true)
                .forValue(Reconciliation.class));
        addStore("alerts-view", Serdes.String(), new AvroSerdes(new InMemorySchemaRegistryClient(), true)
                .forValue(Alert.class));
        processor = new ReconciliationProcessor(NAMES, new ReconciliationSettings(Duration.ofSeconds(1),
                AlertGate.opened()));
        processor.init(context);
        writes.clear();
    }

    @Test
    void aThreadOnADayNoPlatformReportedWritesItsCountOnlyAndEmitsNothing() {
        event(EventType.THREAD_CREATED);
        event(EventType.REPLY_CREATED);
        assertThat(writes).isEqualTo(Map.of("counts", 2));
        assertThat(count()).isEqualTo(2);
        punctuate();
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void otherEventTypesWriteNothing() {
        event(EventType.REACTION_ADDED);
        event(EventType.MEMBER_JOINED);
        assertThat(writes).isEmpty();
    }

    @Test
    void anObservationWritesItsDayAndMarkAndAnEventOnAReportedDayAMarkBesideItsCount() {
        observe(3);
        assertThat(writes).isEqualTo(Map.of("dirty", 1, "view", 1));
        writes.clear();
        event(EventType.THREAD_CREATED);
        assertThat(writes).isEqualTo(Map.of("counts", 1, "dirty", 1));
        assertThat(context.forwarded()).as("nothing before the punctuator").isEmpty();

        punctuate();
        List<Reconciliation> out = context.forwarded().stream()
                .map(f -> (Reconciliation) f.record().value()).toList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);
        assertThat(out.get(0).getPipelineItems()).isEqualTo(1);
        assertThat(out.get(0).getMissing()).isEqualTo(2);
        assertThat(context.forwarded().get(0).childName()).hasValue("out");
        context.resetForwards();
        punctuate();
        assertThat(context.forwarded()).as("marks are cleared once emitted").isEmpty();
    }

    private void punctuate() {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(POLL.toEpochMilli());
    }

    private long count() {
        KeyValueStore<String, Long> counts = context.getStateStore("counts");
        Long n = counts.get(ReconciliationProcessor.dayKey("bikes", DAY) + ReconciliationProcessor.SEP + "GITHUB");
        return n == null ? 0 : n;
    }

    private void event(EventType type) {
        ActivityEvent event = ActivityEvent.newBuilder().setEventId("e" + ids++).setCommunityId("bikes")
                .setSource(SourcePlatform.GITHUB).setType(type).setActorId("a").setThreadId("t")
                .setOccurredAt(DAY.atTime(10, 0).toInstant(ZoneOffset.UTC)).build();
        processor.process(new Record<>("bikes", event, 0L));
    }

    private void observe(long items) {
        processor.process(new Record<>("bikes", PlatformDayCount.newBuilder().setCommunityId("bikes").setDay(DAY)
                .setSource(SourcePlatform.GITHUB).setItems(items).setObservedAt(POLL).setCompleteThrough(POLL)
                .build(), 0L));
    }

    /** An in-memory store whose writes are counted in {@link #writes}. */
    @SuppressWarnings("unchecked")
    private <K, V> void addStore(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        KeyValueStore<K, V> counted = (KeyValueStore<K, V>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put") || method.getName().equals("delete")) {
                        writes.merge(name, 1, Integer::sum);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        context.addStateStore(counted);
    }
}
