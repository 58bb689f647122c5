package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
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

/**
 * HEALTH_AT_RISK through the whole pipeline: weeks with threads answered within the hour by another member
 * are healthy, weeks without a thread or reply are STALLED (see docs/maturity.md), and the alert follows the
 * completed weeks' health records.
 */
class HealthAlertsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    /** Monday of week 0. */
    private static final LocalDate W0 = LocalDate.parse("2029-11-05");
    private static final String COMMUNITY = "forum";

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
    private final Topics topics = new Topics("h.", serdes);
    private TopologyTestDriver driver;
    private TestInputTopic<String, ActivityEvent> activity;
    private TestOutputTopic<AlertKey, Alert> alerts;

    private void start(int resolveAfterWeeks, AlertGate gate) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "health-alerts-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("run-" + System.nanoTime()).toString());
        driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                        RolesModel.defaults()).withRoleAlerts(RoleAlertSettings.defaults())
                        .withMaturity(MaturityRules.defaults()).withHealthResolveAfterWeeks(resolveAfterWeeks)
                        .withHooks(RuntimeHooks.defaults().withClock(CLOCK).withGate(gate))), props);
        activity = driver.createInputTopic(topics.activity().name(), topics.activity().keySerde().serializer(),
                topics.activity().valueSerde().serializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), topics.alerts().keySerde().deserializer(),
                topics.alerts().valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void emit() {
        for (int i = 0; i < 3; i++) {
            driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
        }
    }

    /** Weeks 0..{@code weeks - 1}, active unless in {@code silent}, then one thread on the next Monday. */
    private static List<ActivityEvent> history(int weeks, Set<Integer> silent) {
        List<ActivityEvent> events = new ArrayList<>();
        for (int w = 0; w < weeks; w++) {
            if (silent.contains(w)) {
                continue;
            }
            for (int d = 1; d <= 3; d++) {
                Instant at = W0.plusWeeks(w).plusDays(d).atTime(10, 0).toInstant(ZoneOffset.UTC);
                String thread = "t-" + w + "-" + d;
                events.add(post(thread, EventType.THREAD_CREATED, d % 2 == 0 ? "alice" : "bob", thread, at));
                events.add(post("r-" + w + "-" + d, EventType.REPLY_CREATED, d % 2 == 0 ? "bob" : "alice", thread,
                        at.plusSeconds(1800)));
            }
        }
        Instant last = W0.plusWeeks(weeks).atTime(9, 0).toInstant(ZoneOffset.UTC);
        events.add(post("t-last", EventType.THREAD_CREATED, "alice", "t-last", last));
        return events;
    }

    private static ActivityEvent post(String id, EventType type, String actor, String thread, Instant at) {
        ActivityEvent e = TestEvents.event(id, COMMUNITY, type, actor, at);
        e.setThreadId(thread);
        return e;
    }

    private void pipe(List<ActivityEvent> events) {
        events.forEach(e -> activity.pipeInput(e.getCommunityId(), e));
    }

    /** The HEALTH_AT_RISK records as {@code STATE severity since day}. */
    private List<String> healthAlerts() {
        return alerts.readValuesToList().stream().filter(a -> a.getCondition() == AlertCondition.HEALTH_AT_RISK)
                .map(a -> a.getState() + " " + a.getSeverity() + " " + a.getSince() + " " + a.getDay()).toList();
    }

    /** The HEALTH_AT_RISK records of {@code events} piped in the order given, gate open, then emitted; closes the run. */
    private List<String> inOrder(List<ActivityEvent> events) {
        start(2, AlertGate.opened());
        pipe(events);
        emit();
        List<String> records = healthAlerts();
        driver.close();
        driver = null;
        return records;
    }

    private static String sunday(int week) {
        return W0.plusWeeks(week).plusDays(6).toString();
    }

    private static String monday(int week) {
        return W0.plusWeeks(week).toString();
    }

    @Test
    void shouldFireOnceAndResolveOnceWhenACommunityStallsAndRecovers() {
        start(2, AlertGate.opened());
        pipe(history(7, Set.of(2, 3)));
        emit();
        // Stalled in weeks 2 and 3, healthy again in weeks 4 and 5: resolved at the end of week 5.
        assertThat(healthAlerts()).containsExactly(
                "FIRING CRITICAL " + monday(2) + " " + sunday(2),
                "RESOLVED CRITICAL " + monday(2) + " " + sunday(5));
        KeyValueStore<String, Alert> view = driver.getKeyValueStore(EngagementTopology.ALERTS_VIEW_STORE);
        Alert latest = view.get(COMMUNITY + '\u0000' + AlertCondition.HEALTH_AT_RISK.name());
        assertThat(latest.getAlertId()).isEqualTo(COMMUNITY + "/HEALTH_AT_RISK/" + monday(2));
        assertThat(latest.getState().name()).isEqualTo("RESOLVED");
        assertThat(latest.getEvidence()).containsEntry("threshold.resolveAfterWeeks", "2");

        // Another emission with nothing new writes nothing.
        emit();
        assertThat(healthAlerts()).isEmpty();
    }

    @Test
    void shouldNotFlapWhenAOneWeekRecoveryFallsBetweenTwoDipsWithHysteresisTwo() {
        start(2, AlertGate.opened());
        pipe(history(8, Set.of(2, 4)));
        emit();
        // Week 3 alone is not enough to resolve: one alert from week 2, resolved after weeks 5 and 6.
        assertThat(healthAlerts()).containsExactly(
                "FIRING CRITICAL " + monday(2) + " " + sunday(2),
                "RESOLVED CRITICAL " + monday(2) + " " + sunday(6));
    }

    @Test
    void shouldResolveAfterOneHealthyWeekWhenHysteresisIsOne() {
        start(1, AlertGate.opened());
        pipe(history(5, Set.of(2)));
        emit();
        assertThat(healthAlerts()).containsExactly(
                "FIRING CRITICAL " + monday(2) + " " + sunday(2),
                "RESOLVED CRITICAL " + monday(2) + " " + sunday(3));
    }

    @Test
    void shouldGiveTheSameAlertsWhenTheHistoryArrivesShuffled() {
        List<ActivityEvent> events = history(8, Set.of(2, 4));
        start(2, AlertGate.opened());
        pipe(events);
        emit();
        List<String> inOrder = healthAlerts();
        driver.close();

        // A replay: the gate holds judgement until the whole shuffled history is in and scored.
        AlertGate gate = AlertGate.closed();
        start(2, gate);
        List<ActivityEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(7));
        pipe(shuffled.subList(0, shuffled.size() / 2));
        emit();
        pipe(shuffled.subList(shuffled.size() / 2, shuffled.size()));
        emit();
        assertThat(healthAlerts()).isEmpty();
        gate.open();
        emit();
        assertThat(healthAlerts()).isEqualTo(inOrder).hasSize(2);
    }

    /**
     * A replay opens the gate as soon as every input is processed, before the punctuators have emitted what the last
     * events changed: the first judgement after the gate opens must not read the health records scored mid-import.
     */
    @Test
    void shouldNotJudgeHealthRecordsScoredBeforeTheLastEventsWhenTheGateOpens() {
        List<ActivityEvent> events = history(8, Set.of(2, 4));
        List<String> inOrder = inOrder(events);

        for (int seed = 0; seed < 3; seed++) {
            AlertGate gate = AlertGate.closed();
            start(2, gate);
            List<ActivityEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            // Scored mid-import: the silent weeks look like the rest.
            pipe(shuffled.subList(0, shuffled.size() / 2));
            emit();
            pipe(shuffled.subList(shuffled.size() / 2, shuffled.size()));
            gate.open();
            emit();
            assertThat(healthAlerts()).as("seed %d", seed).isEqualTo(inOrder);
            driver.close();
            driver = null;
        }
    }

    /**
     * Live convergence: week 2's events arrive only while week 4 goes on. Live, week 2 looked silent (STALLED) once
     * week 3 completed it: HEALTH_AT_RISK fired. Scored again with its events, week 2 is healthy: the alert is
     * retracted (RESOLVED, resolvedBy=CORRECTED, on the last week judged by then), and the community ends as a
     * replay, which never fires, ends it.
     */
    @Test
    void shouldRetractTheAlertWhenTheLateEventsOfTheWeekItFiredOnArrive() {
        List<ActivityEvent> events = history(7, Set.of());
        start(2, AlertGate.opened());
        List<ActivityEvent> week2 = events.stream().filter(e -> week(e) == 2).toList();
        for (int w = 0; w <= 7; w++) {
            int week = w;
            pipe(events.stream().filter(e -> week(e) == week && week != 2).toList());
            if (w == 4) {
                pipe(week2);
            }
            emit();
        }
        List<Alert> records = alerts.readValuesToList().stream()
                .filter(a -> a.getCondition() == AlertCondition.HEALTH_AT_RISK).toList();
        assertThat(records).extracting(a -> a.getState() + " " + a.getSince() + " " + a.getDay() + " "
                + a.getEvidence().getOrDefault("resolvedBy", "") + " " + a.getEvidence().getOrDefault("corrected", ""))
                .containsExactly("FIRING " + monday(2) + " " + sunday(2) + "  ",
                        "RESOLVED " + monday(2) + " " + sunday(2) + " CORRECTED true");
        assertThat(records.get(1).getEvidence()).containsEntry("corrected.lateFrom", monday(2));
        driver.close();
        driver = null;

        assertThat(inOrder(events)).as("a replay of the same events").isEmpty();
    }

    private static int week(ActivityEvent e) {
        return (int) ((e.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() - W0.toEpochDay()) / 7);
    }

    /**
     * The first emission of a replay may come after a handful of events, all from late weeks: the weeks before them
     * must still be judged once the gate opens (the first week to judge is the community's first, as finally known).
     */
    @Test
    void shouldJudgeFromTheFirstWeekWhenTheFirstEmissionSawOnlyLaterEvents() {
        List<ActivityEvent> events = history(7, Set.of(2, 3));
        List<String> inOrder = inOrder(events);
        assertThat(inOrder).hasSize(2);

        AlertGate gate = AlertGate.closed();
        start(2, gate);
        List<ActivityEvent> late = events.stream().filter(e -> week(e) >= 5).toList();
        pipe(late);
        emit();
        pipe(events.stream().filter(e -> week(e) < 5).toList());
        gate.open();
        emit();
        assertThat(healthAlerts()).isEqualTo(inOrder);
    }
}
