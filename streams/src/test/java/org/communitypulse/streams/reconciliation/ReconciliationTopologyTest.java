package org.communitypulse.streams.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.AlertGate;
import org.communitypulse.streams.PulseSettings;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.PulseTopology;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.maturity.MaturityRules;
import org.communitypulse.streams.roles.RoleAlertSettings;
import org.communitypulse.streams.roles.RolesModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciliation family inside the whole pipeline topology: every status transition and DATA_GAP's lifecycle. */
class ReconciliationTopologyTest {

    private static final String C = "bikes";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);
    private static final LocalDate DAY_2 = DAY.plusDays(1);
    private static final LocalDate DAY_3 = DAY.plusDays(2);
    private static final Instant NOW = Instant.parse("2026-11-10T12:00:00Z");
    private static final Instant POLL_1 = NOW.minusSeconds(600);
    private static final Instant POLL_2 = NOW.minusSeconds(300);
    private static final Instant POLL_3 = NOW.minusSeconds(60);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final SourcePlatform SOURCE = SourcePlatform.DISCOURSE;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private Topics topics;
    private TestInputTopic<String, ActivityEvent> activity;
    private TestInputTopic<CommunityDayKey, PlatformDayCount> platform;
    private TestOutputTopic<CommunityDayKey, Reconciliation> reconciliation;
    private TestOutputTopic<?, Alert> alerts;
    private int ids;

    private void start(AlertGate gate) {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        topics = new Topics("t.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reconciliation-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("run-" + System.nanoTime()).toString());
        driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                        RolesModel.defaults()).withRoleAlerts(RoleAlertSettings.defaults())
                        .withMaturity(MaturityRules.defaults())
                        .withHealthResolveAfterWeeks(PulseStreamsConfig.DEFAULT_ALERT_HEALTH_RESOLVE_AFTER_WEEKS)
                        .withHooks(RuntimeHooks.defaults().withClock(CLOCK).withGate(gate))), props, NOW);
        activity = driver.createInputTopic(topics.activity().name(), topics.activity().keySerde().serializer(),
                topics.activity().valueSerde().serializer());
        platform = driver.createInputTopic(topics.platformCounts().name(),
                topics.platformCounts().keySerde().serializer(), topics.platformCounts().valueSerde().serializer());
        reconciliation = driver.createOutputTopic(topics.reconciliation().name(),
                topics.reconciliation().keySerde().deserializer(), topics.reconciliation().valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void platformCountsAreRepartitionedByCommunityIntoTheActivitySubTopology() {
        start(AlertGate.opened());
        String text = PulseTopology.build(topics, new AvroSerdes(new InMemorySchemaRegistryClient(), true),
                PulseSettings.defaults()).describe().toString();
        assertThat(text).contains("reconciliation-platform-repartition");
        TopologyDescription.Subtopology withActivity = PulseTopology.build(topics,
                        new AvroSerdes(new InMemorySchemaRegistryClient(), true), PulseSettings.defaults())
                .describe().subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals(EngagementTopology.INTAKE)))
                .findFirst().orElseThrow();
        assertThat(withActivity.nodes()).extracting(TopologyDescription.Node::name)
                .contains(ReconciliationTopology.RECONCILIATION, ReconciliationTopology.PLATFORM_REPARTITION_SOURCE);
        assertThat(withActivity.id()).as("the activity sub-topology keeps id 0 (its task ids and state)").isZero();
    }

    @Test
    void gapOpensIsNotClosedByTheNextPollThenClosesWhenTheEventsArrive() {
        start(AlertGate.opened());
        posts(DAY, 3);
        observe(DAY, 5, POLL_1);
        emit();
        Reconciliation open = single();
        assertThat(open.getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);
        assertThat(open.getPlatformItems()).isEqualTo(5);
        assertThat(open.getPipelineItems()).isEqualTo(3);
        assertThat(open.getMissing()).isEqualTo(2);
        assertThat(open.getGapSince()).isEqualTo(POLL_1);
        assertThat(open.getCheckedAt()).isEqualTo(POLL_1);
        assertThat(open.getCompleteUpTo()).isNull();
        assertThat(alerts.isEmpty()).as("a gap found by one poll is not an alert yet").isTrue();

        observe(DAY, 5, POLL_2);
        emit();
        Reconciliation notClosed = single();
        assertThat(notClosed.getStatus()).isEqualTo(ReconciliationStatus.GAP_NOT_CLOSED);
        assertThat(notClosed.getGapSince()).isEqualTo(POLL_1);
        assertThat(notClosed.getCheckedAt()).isEqualTo(POLL_2);
        assertThat(notClosed.getMissing()).isEqualTo(2);
        List<Alert> fired = dataGapAlerts();
        assertThat(fired).hasSize(1);
        Alert firing = fired.get(0);
        assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
        assertThat(firing.getSeverity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(firing.getAlertId()).isEqualTo(C + "/DATA_GAP/" + POLL_1.atZone(ZoneOffset.UTC).toLocalDate());
        assertThat(firing.getEvidence()).containsEntry("days", DAY.toString())
                .containsEntry("missing." + DAY, "2").containsEntry("missingTotal", "2");

        // A third poll with the gap still there: the status stays, the alert is not repeated.
        observe(DAY, 5, POLL_3);
        emit();
        assertThat(single().getStatus()).isEqualTo(ReconciliationStatus.GAP_NOT_CLOSED);
        assertThat(dataGapAlerts()).isEmpty();

        // The missing events arrive (e.g. the poller's catch-up): closed without a new observation.
        posts(DAY, 2);
        emit();
        Reconciliation complete = single();
        assertThat(complete.getStatus()).isEqualTo(ReconciliationStatus.COMPLETE);
        assertThat(complete.getMissing()).isZero();
        assertThat(complete.getPipelineItems()).isEqualTo(5);
        assertThat(complete.getGapSince()).isNull();
        assertThat(complete.getCheckedAt()).isEqualTo(POLL_3);
        assertThat(complete.getCompleteUpTo()).isEqualTo(DAY);
        List<Alert> resolved = dataGapAlerts();
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.get(0).getAlertId()).isEqualTo(firing.getAlertId());

        Reconciliation stored = view().get(ReconciliationProcessor.dayKey(C, DAY));
        assertThat(stored).isEqualTo(complete);
    }

    @Test
    void eventsPublishedWithTheCountsButProcessedAfterThemCloseTheGapBeforeAnyEmission() {
        start(AlertGate.opened());
        observe(DAY, 2, POLL_1);
        posts(DAY, 2);
        emit();
        Reconciliation only = single();
        assertThat(only.getStatus()).isEqualTo(ReconciliationStatus.COMPLETE);
        assertThat(only.getPipelineItems()).isEqualTo(2);
    }

    @Test
    void aGapFoundByOnePollAndClosedBeforeTheNextNeverAlerts() {
        start(AlertGate.opened());
        observe(DAY, 2, POLL_1);
        emit();
        assertThat(single().getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);
        posts(DAY, 2);
        emit();
        assertThat(single().getStatus()).isEqualTo(ReconciliationStatus.COMPLETE);
        // The next poll finds new items not counted yet: a new gap, open since this poll, not a gap not closed.
        observe(DAY, 3, POLL_2);
        emit();
        Reconciliation again = single();
        assertThat(again.getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);
        assertThat(again.getGapSince()).isEqualTo(POLL_2);
        assertThat(dataGapAlerts()).isEmpty();
    }

    @Test
    void anOlderPollArrivingLateAndARepeatedObservationChangeNothing() {
        start(AlertGate.opened());
        posts(DAY, 1);
        observe(DAY, 3, POLL_2);
        emit();
        assertThat(single().getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);

        observe(DAY, 1, POLL_1); // older poll, overtaken
        observe(DAY, 3, POLL_2); // the same observation again (producer retry, replayed topic)
        emit();
        assertThat(reconciliation.isEmpty()).isTrue();
        Reconciliation stored = view().get(ReconciliationProcessor.dayKey(C, DAY));
        assertThat(stored.getStatus()).isEqualTo(ReconciliationStatus.GAP_OPEN);
        assertThat(stored.getCheckedAt()).isEqualTo(POLL_2);
        assertThat(stored.getPlatformItems()).isEqualTo(3);

        // The same poll's observation repeated does not count as "the next poll".
        assertThat(dataGapAlerts()).isEmpty();
    }

    @Test
    void duplicateEventsAndOtherTypesAndSourcesAreNotCounted() {
        start(AlertGate.opened());
        ActivityEvent thread = event(EventType.THREAD_CREATED, SOURCE, DAY.atTime(10, 0).toInstant(ZoneOffset.UTC));
        activity.pipeInput(C, thread);
        activity.pipeInput(C, thread); // the same event id again: the intake drops it
        activity.pipeInput(C, event(EventType.REACTION_ADDED, SOURCE, DAY.atTime(11, 0).toInstant(ZoneOffset.UTC)));
        activity.pipeInput(C, event(EventType.REPLY_CREATED, SourcePlatform.SLACK,
                DAY.atTime(12, 0).toInstant(ZoneOffset.UTC)));
        activity.pipeInput(C, event(EventType.REPLY_CREATED, SOURCE, DAY_2.atTime(0, 0).toInstant(ZoneOffset.UTC)));
        observe(DAY, 2, POLL_1);
        emit();
        Reconciliation day = single();
        assertThat(day.getPipelineItems()).isEqualTo(1);
        assertThat(day.getMissing()).isEqualTo(1);
    }

    @Test
    void morePipelineItemsThanThePlatformListsIsNotAGap() {
        start(AlertGate.opened());
        posts(DAY, 4);
        observe(DAY, 3, POLL_1);
        emit();
        Reconciliation day = single();
        assertThat(day.getStatus()).isEqualTo(ReconciliationStatus.COMPLETE);
        assertThat(day.getPipelineItems()).isEqualTo(4);
        assertThat(day.getMissing()).isZero();
    }

    @Test
    void completeUpToIsTheLastDayBeforeTheFirstGap() {
        start(AlertGate.opened());
        posts(DAY, 1);
        posts(DAY_3, 1);
        observe(DAY, 1, POLL_1);
        observe(DAY_2, 2, POLL_1);
        observe(DAY_3, 1, POLL_1);
        emit();
        List<Reconciliation> three = reconciliation.readValuesToList();
        assertThat(three).extracting(Reconciliation::getDay).containsExactly(DAY, DAY_2, DAY_3);
        assertThat(three).extracting(Reconciliation::getStatus).containsExactly(ReconciliationStatus.COMPLETE,
                ReconciliationStatus.GAP_OPEN, ReconciliationStatus.COMPLETE);
        assertThat(three).allSatisfy(r -> assertThat(r.getCompleteUpTo()).isEqualTo(DAY));

        observe(DAY_2, 2, POLL_2);
        emit();
        assertThat(single().getStatus()).isEqualTo(ReconciliationStatus.GAP_NOT_CLOSED);
        assertThat(dataGapAlerts()).extracting(Alert::getState).containsExactly(AlertState.FIRING);

        posts(DAY_2, 2);
        emit();
        Reconciliation closed = single();
        assertThat(closed.getDay()).isEqualTo(DAY_2);
        assertThat(closed.getCompleteUpTo()).isEqualTo(DAY_3);
        assertThat(dataGapAlerts()).extracting(Alert::getState).containsExactly(AlertState.RESOLVED);
    }

    @Test
    void dataGapWaitsForTheAlertGate() {
        AlertGate gate = AlertGate.closed();
        start(gate);
        observe(DAY, 1, POLL_1);
        observe(DAY, 1, POLL_2);
        emit();
        assertThat(single().getStatus()).isEqualTo(ReconciliationStatus.GAP_NOT_CLOSED);
        assertThat(dataGapAlerts()).isEmpty();
        gate.open();
        emit();
        assertThat(dataGapAlerts()).extracting(Alert::getState).containsExactly(AlertState.FIRING);
    }

    @Test
    void unreadableOrSenselessPlatformCountsAreSkippedAndTheNextOneIsJudged() {
        start(AlertGate.opened());
        TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(topics.platformCounts().name(),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        raw.pipeInput(new byte[] {1}, new byte[] {0, 0, 0, 0, 9, 42});
        raw.pipeInput(new byte[] {1}, (byte[]) null);
        platform.pipeInput(new CommunityDayKey(C, DAY), PlatformDayCount.newBuilder().setCommunityId(" ").setDay(DAY)
                .setSource(SOURCE).setItems(1).setObservedAt(POLL_1).setCompleteThrough(POLL_1).build());
        platform.pipeInput(new CommunityDayKey(C, DAY), PlatformDayCount.newBuilder().setCommunityId(C).setDay(DAY)
                .setSource(SOURCE).setItems(-1).setObservedAt(POLL_1).setCompleteThrough(POLL_1).build());
        posts(DAY, 1);
        observe(DAY, 1, POLL_2);
        emit();
        Reconciliation day = single();
        assertThat(day.getStatus()).isEqualTo(ReconciliationStatus.COMPLETE);
        assertThat(day.getCheckedAt()).isEqualTo(POLL_2);
    }

    private KeyValueStore<String, Reconciliation> view() {
        return driver.getKeyValueStore(ReconciliationTopology.VIEW_STORE);
    }

    private Reconciliation single() {
        List<Reconciliation> records = reconciliation.readValuesToList();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private List<Alert> dataGapAlerts() {
        return alerts.readValuesToList().stream().filter(a -> a.getCondition() == AlertCondition.DATA_GAP).toList();
    }

    private void emit() {
        driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
    }

    private void observe(LocalDate day, long items, Instant observedAt) {
        platform.pipeInput(new CommunityDayKey(C, day), PlatformDayCount.newBuilder().setCommunityId(C).setDay(day)
                .setSource(SOURCE).setItems(items).setObservedAt(observedAt).setCompleteThrough(observedAt).build());
    }

    private void posts(LocalDate day, int n) {
        for (int i = 0; i < n; i++) {
            activity.pipeInput(C, event(i % 2 == 0 ? EventType.THREAD_CREATED : EventType.REPLY_CREATED, SOURCE,
                    day.atTime(8, 0).toInstant(ZoneOffset.UTC).plusSeconds(ids)));
        }
    }

    private ActivityEvent event(EventType type, SourcePlatform source, Instant at) {
        return ActivityEvent.newBuilder().setEventId("e" + ids++).setCommunityId(C).setSource(source).setType(type)
                .setActorId("m" + ids).setThreadId("t" + ids).setOccurredAt(at).build();
    }
}
