package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertActionType;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.query.CommunityQueries;
import org.communitypulse.streams.query.DriverViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acknowledgements and snoozes on scripted histories (docs/alerts.md#acknowledge-and-snooze): a community silent
 * on days 40-49 and 60-69, so NO_ACTIVITY fires twice (on day 42 since 40, and again in the second silence).
 * An alert record's time is the end of the day it judged; actions apply from their own time.
 */
class AlertActionsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate DAY_0 = AlertStep.DAY_0;
    private static final String FIRST_NO_ACTIVITY = "bikes/NO_ACTIVITY/" + DAY_0.plusDays(40);

    @RegisterExtension
    final PipelineDriver.Drivers pipelines = new PipelineDriver.Drivers("alert-actions-test");

    private int ids;

    private final class Run {
        final PipelineDriver pipeline;
        final TopologyTestDriver driver;
        final TestInputTopic<String, ActivityEvent> in;
        final TestInputTopic<String, AlertAction> actions;
        final TestOutputTopic<AlertKey, Alert> alerts;

        Run() {
            pipeline = pipelines.start((topics, serdes) -> EngagementTopology.build(topics, serdes,
                    new IntakeSettings(Optional.empty(), Duration.ofDays(1)), EngagementSettings.defaults(),
                    AlertSettings.defaults().withWallClock(false), RuntimeHooks.defaults().withClock(CLOCK)), DAY_0.atStartOfDay().toInstant(ZoneOffset.UTC));
            driver = pipeline.driver;
            in = pipeline.activity;
            actions = driver.createInputTopic(pipeline.topics.alertActions().name(),
                    pipeline.topics.alertActions().keySerde().serializer(),
                    pipeline.topics.alertActions().valueSerde().serializer());
            alerts = pipeline.output(pipeline.topics.alerts());
        }

        void act(AlertAction action) {
            actions.pipeInput("bikes", action, action.getAt());
        }

        /** Every action first, then the history (a replay that reads the actions topic ahead). */
        List<Alert> replay(List<AlertAction> acts) {
            acts.forEach(this::act);
            history().forEach(e -> in.pipeInput("bikes", e));
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            return alerts.readValuesToList();
        }

        JsonNode timeline() {
            CommunityQueries queries = new CommunityQueries(DriverViewStores.of(driver));
            return queries.alertTimeline("bikes").orElseThrow();
        }

        /** What the read scope sees ({@code /alert-states}). */
        JsonNode states() {
            return new CommunityQueries(DriverViewStores.of(driver)).alertStates("bikes").orElseThrow();
        }
    }

    private List<ActivityEvent> history() {
        ids = 0;
        IntUnaryOperator threads = d -> (d >= 40 && d < 50) || (d >= 60 && d < 70) ? 0 : 3;
        List<ActivityEvent> events = new ArrayList<>();
        for (int d = 0; d < 80; d++) {
            Instant start = DAY_0.plusDays(d).atTime(9, 0).toInstant(ZoneOffset.UTC);
            for (int i = 0; i < threads.applyAsInt(d); i++) {
                String thread = "t" + d + "-" + i;
                events.add(event(EventType.THREAD_CREATED, "asker" + i, thread, start.plusSeconds(60L * i)));
                events.add(event(EventType.REPLY_CREATED, "helper" + i, thread, start.plusSeconds(60L * i + 1800)));
            }
        }
        events.add(event(EventType.MEMBER_JOINED, "late", null, DAY_0.plusDays(80).atTime(8, 0).toInstant(ZoneOffset.UTC)));
        return events;
    }

    private ActivityEvent event(EventType type, String actor, String thread, Instant at) {
        return ActivityEvent.newBuilder().setEventId("e" + ids++).setCommunityId("bikes")
                .setSource(SourcePlatform.GENERATOR).setType(type).setActorId(actor).setThreadId(thread)
                .setOccurredAt(at).setAttributes(Map.of()).build();
    }

    private static Instant at(int day, int hour) {
        return DAY_0.plusDays(day).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    private static AlertAction snooze(AlertCondition condition, Instant at, Instant until) {
        return AlertAction.newBuilder().setCommunityId("bikes").setCondition(condition)
                .setAction(AlertActionType.SNOOZE).setUntil(until).setBy("scope:admin").setAt(at).build();
    }

    private static AlertAction unsnooze(AlertCondition condition, Instant at) {
        return AlertAction.newBuilder().setCommunityId("bikes").setCondition(condition)
                .setAction(AlertActionType.UNSNOOZE).setBy("scope:admin").setAt(at).build();
    }

    private static AlertAction acknowledge(String alertId, Instant at) {
        return AlertAction.newBuilder().setCommunityId("bikes").setCondition(AlertCondition.NO_ACTIVITY)
                .setAction(AlertActionType.ACKNOWLEDGE).setAlertId(alertId).setBy("scope:admin").setAt(at)
                .setNote("looking into it").build();
    }

    private static List<Alert> of(List<Alert> alerts, AlertCondition condition, AlertState state) {
        return alerts.stream().filter(a -> a.getCondition() == condition && a.getState() == state).toList();
    }

    @Test
    void shouldMarkFiringRecordsSnoozedOnlyWithinTheSnoozeWhenTheConditionIsSnoozed() {
        List<Alert> plain = new Run().replay(List.of());
        List<Alert> firing = of(plain, AlertCondition.NO_ACTIVITY, AlertState.FIRING);
        assertThat(firing).as("the history fires NO_ACTIVITY twice").hasSize(2);
        assertThat(plain).allSatisfy(a -> assertThat(a.getSnoozed()).isFalse());

        // Snoozed on day 41 until day 45: covers the first FIRING (end of day 42), not the second.
        List<Alert> snoozed = new Run().replay(List.of(snooze(AlertCondition.NO_ACTIVITY, at(41, 12), at(45, 0))));
        assertThat(of(snoozed, AlertCondition.NO_ACTIVITY, AlertState.FIRING)).extracting(Alert::getSnoozed)
                .containsExactly(true, false);
        // Only the snoozed condition; RESOLVED records are never marked.
        assertThat(of(snoozed, AlertCondition.BELOW_BASELINE, AlertState.FIRING)).extracting(Alert::getSnoozed)
                .doesNotContain(true);
        assertThat(of(snoozed, AlertCondition.NO_ACTIVITY, AlertState.RESOLVED)).extracting(Alert::getSnoozed)
                .containsOnly(false);
        // Apart from the mark, the same records.
        assertThat(snoozed).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(Alert.newBuilder(snoozed.get(i)).setSnoozed(false).build()).isEqualTo(plain.get(i));
        }

        // A snooze that ended before the alert, and one taken back before it, suppress nothing.
        List<Alert> expired = new Run().replay(List.of(snooze(AlertCondition.NO_ACTIVITY, at(30, 0), at(42, 0)),
                snooze(AlertCondition.NO_ACTIVITY, at(55, 0), at(70, 0)), unsnooze(AlertCondition.NO_ACTIVITY, at(56, 0))));
        assertThat(of(expired, AlertCondition.NO_ACTIVITY, AlertState.FIRING)).extracting(Alert::getSnoozed)
                .containsExactly(false, false);
    }

    @Test
    void shouldShowAnAcknowledgementOnlyOnTheAlertItNamesWhenTheViewIsAsked() {
        Run run = new Run();
        run.replay(List.of(acknowledge("bikes/NO_ACTIVITY/" + DAY_0.plusDays(1), at(2, 0)),
                snooze(AlertCondition.BELOW_BASELINE, at(70, 0), Instant.parse("2100-01-01T00:00:00Z"))));
        JsonNode noActivity = entry(run.timeline(), "NO_ACTIVITY");
        assertThat(noActivity.path("acknowledgedBy").isNull()).as("an older alert's acknowledgement").isTrue();
        assertThat(entry(run.timeline(), "BELOW_BASELINE").path("snoozedUntil").asText())
                .isEqualTo("2100-01-01T00:00:00Z");

        // The current alert of the condition: the second silence's.
        String current = noActivity.path("alertId").asText();
        assertThat(current).isNotEqualTo(FIRST_NO_ACTIVITY).startsWith("bikes/NO_ACTIVITY/");
        run.act(acknowledge(current, at(75, 10)));
        JsonNode acknowledged = entry(run.timeline(), "NO_ACTIVITY");
        assertThat(acknowledged.path("acknowledgedBy").asText()).isEqualTo("scope:admin");
        assertThat(acknowledged.path("acknowledgedAt").asText()).isEqualTo(at(75, 10).toString());
        assertThat(acknowledged.path("snoozedUntil").isNull()).isTrue();

        // The read scope: the same alerts, acknowledgement and snooze, without summary and evidence.
        JsonNode states = run.states();
        assertThat(states.path("alerts").size()).isEqualTo(run.timeline().path("alerts").size()).isPositive();
        assertThat(states.path("health")).isEqualTo(run.timeline().path("health"));
        for (JsonNode alert : states.path("alerts")) {
            assertThat(alert.has("summary") || alert.has("evidence")).as("%s", alert).isFalse();
            assertThat(alert.has("acknowledgedBy") && alert.has("acknowledgedAt") && alert.has("snoozedUntil")).isTrue();
        }
        assertThat(entry(states, "NO_ACTIVITY").path("acknowledgedBy").asText()).isEqualTo("scope:admin");
        assertThat(entry(states, "NO_ACTIVITY").path("acknowledgedAt").asText()).isEqualTo(at(75, 10).toString());
        assertThat(entry(states, "NO_ACTIVITY").path("alertId").asText()).isEqualTo(current);
        assertThat(entry(states, "BELOW_BASELINE").path("snoozedUntil").asText()).isEqualTo("2100-01-01T00:00:00Z");
        assertThat(entry(run.timeline(), "NO_ACTIVITY").has("summary")).as("the admin view keeps it").isTrue();
    }

    @Test
    void shouldGiveTheSameRecordsWhateverOrderTheActionsArriveIn() {
        List<AlertAction> acts = new ArrayList<>(List.of(
                snooze(AlertCondition.NO_ACTIVITY, at(41, 12), at(45, 0)),
                unsnooze(AlertCondition.NO_ACTIVITY, at(42, 6)),
                snooze(AlertCondition.NO_ACTIVITY, at(42, 7), at(44, 0)),
                snooze(AlertCondition.BELOW_BASELINE, at(10, 0), at(43, 0)),
                acknowledge(FIRST_NO_ACTIVITY, at(43, 1)),
                snooze(AlertCondition.NO_ACTIVITY, at(61, 0), at(63, 0)),
                unsnooze(AlertCondition.NO_ACTIVITY, at(61, 1))));
        List<Alert> expected = new Run().replay(acts);
        assertThat(expected).anySatisfy(a -> assertThat(a.getSnoozed()).isTrue());
        Random random = new Random(7);
        for (int i = 0; i < 4; i++) {
            List<AlertAction> shuffled = new ArrayList<>(acts);
            Collections.shuffle(shuffled, random);
            assertThat(new Run().replay(shuffled)).as("order %s", shuffled).isEqualTo(expected);
        }

        // As a live run or a broker interleaving by timestamp would: each action among the events of its time.
        Run interleaved = new Run();
        List<AlertAction> pending = new ArrayList<>(acts);
        pending.sort((a, b) -> a.getAt().compareTo(b.getAt()));
        for (ActivityEvent e : history()) {
            while (!pending.isEmpty() && !pending.get(0).getAt().isAfter(e.getOccurredAt())) {
                interleaved.act(pending.remove(0));
            }
            interleaved.in.pipeInput("bikes", e);
        }
        interleaved.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(interleaved.alerts.readValuesToList()).isEqualTo(expected);
    }

    private static JsonNode entry(JsonNode timeline, String condition) {
        JsonNode found = null;
        for (JsonNode alert : timeline.path("alerts")) {
            if (condition.equals(alert.path("condition").asText())) {
                found = alert;
            }
        }
        assertThat(found).as("%s in %s", condition, timeline).isNotNull();
        return found;
    }
}
