package org.communitypulse.streams;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.TrainingMetrics;
import org.communitypulse.schemas.avro.ViolationKey;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.roles.RolesModel;

/**
 * The whole topology (intake, engagement, roles) in a TopologyTestDriver with a roles catalogue, event-time alerts and
 * a fixed wall clock, with the roles family's input and output topics: what the scripted role tests drive.
 */
final class RolesPipeline implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, ActivityEvent> activity;
    final TestOutputTopic<MemberKey, MemberRoles> members;
    final TestOutputTopic<CommunityRoleKey, RoleCoverage> coverage;
    final TestOutputTopic<ViolationKey, PolicyViolation> violations;
    final TestOutputTopic<String, TrainingMetrics> training;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    RolesPipeline(Topics topics, AvroSerdes serdes, Path stateDir, String applicationId, RolesModel model,
                  Clock clock) {
        this(topics, serdes, stateDir, applicationId, model, clock, EngagementSettings.defaults());
    }

    /** With {@code engagement}'s settings, such as the number of state entries kept as objects. */
    RolesPipeline(Topics topics, AvroSerdes serdes, Path stateDir, String applicationId, RolesModel model,
                  Clock clock, EngagementSettings engagement) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        engagement, AlertSettings.defaults().withWallClock(false), model)
                        .withHooks(RuntimeHooks.defaults().withClock(clock))), props);
        activity = driver.createInputTopic(topics.activity().name(), topics.activity().keySerde().serializer(),
                topics.activity().valueSerde().serializer());
        members = out(topics.memberRoles());
        coverage = out(topics.roleCoverage());
        violations = out(topics.policyViolations());
        training = out(topics.trainingMetrics());
        deadLetters = driver.createOutputTopic(topics.activityDeadLetters().name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    private <K, V> TestOutputTopic<K, V> out(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
