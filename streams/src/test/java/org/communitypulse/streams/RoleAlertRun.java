package org.communitypulse.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.roles.RoleAlertSettings;

/**
 * The whole pipeline with the role alerts (grace 3 days, violations may stay open 5 days) on the simulated clock of
 * {@link AlertsTest}: event time in replay mode, the driver's wall clock live, starting on {@link AlertStep#DAY_0}.
 */
final class RoleAlertRun {

    static final String C = "acme";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final RoleAlertSettings THRESHOLDS = new RoleAlertSettings(3, 5);

    final TopologyTestDriver driver;
    final TestInputTopic<String, ActivityEvent> in;
    final TestOutputTopic<AlertKey, Alert> alerts;

    RoleAlertRun(PipelineDriver.Drivers pipelines, AlertSettings settings) {
        PipelineDriver pipeline = pipelines.start((topics, serdes) -> PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), settings, TestRoles.threeRequired()).withRoleAlerts(THRESHOLDS)
                        .withHooks(RuntimeHooks.defaults().withClock(CLOCK))),
                AlertStep.DAY_0.atStartOfDay().toInstant(ZoneOffset.UTC));
        driver = pipeline.driver;
        in = pipeline.activity;
        alerts = pipeline.output(pipeline.topics.alerts());
    }

    /** Alert records of the role conditions only (the engagement ones share the topic). */
    List<Alert> roleAlerts() {
        return alerts.readValuesToList().stream().filter(a -> a.getCondition() == AlertCondition.REQUIRED_ROLE_VACANT
                || a.getCondition() == AlertCondition.VIOLATION_OPEN_TOO_LONG).toList();
    }

    static Instant at(int day, int hour) {
        return AlertStep.DAY_0.plusDays(day).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    /** Events of community {@link #C}, with ids {@code e0, e1, ...} in the order they are made. */
    static final class Events {
        private int ids;

        ActivityEvent event(EventType type, String actor, String thread, Instant at, Map<String, String> attributes) {
            return ActivityEvent.newBuilder().setEventId("e" + ids++).setCommunityId(C)
                    .setSource(SourcePlatform.GENERATOR).setType(type).setActorId(actor).setThreadId(thread)
                    .setOccurredAt(at).setAttributes(attributes).build();
        }

        /** A role {@code ROLE_GRANTED} or {@code ROLE_REVOKED}. */
        ActivityEvent role(EventType type, String actor, Instant at, String role) {
            return event(type, actor, null, at, Map.of("role", role));
        }

        /**
         * A reaction by each of {@code members} on {@code day} at 07:30: their activity that day. A grant alone does
         * not make its holder active (RoleEvents.isActivity), so holders of these scripts act every day.
         */
        List<ActivityEvent> active(int day, String... members) {
            List<ActivityEvent> out = new java.util.ArrayList<>();
            for (String member : members) {
                out.add(event(EventType.REACTION_ADDED, member, "t" + day, at(day, 7).plusSeconds(1_800), Map.of()));
            }
            return out;
        }

        /** The three required roles granted at {@code day} 09:00: sponsor ann, community manager bob, developer dev. */
        List<ActivityEvent> requiredRoles(int day) {
            return List.of(role(EventType.ROLE_GRANTED, "ann", at(day, 9), "sponsor"),
                    role(EventType.ROLE_GRANTED, "bob", at(day, 9), "community-manager"),
                    role(EventType.ROLE_GRANTED, "dev", at(day, 9), "technical-developer-designer"));
        }
    }
}
