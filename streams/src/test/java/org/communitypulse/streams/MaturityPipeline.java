package org.communitypulse.streams;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.maturity.MaturityRules;
import org.communitypulse.streams.roles.RolesModel;

/**
 * The whole pipeline (intake, engagement, roles, maturity) in a TopologyTestDriver with the shipped roles.yaml,
 * a fixed wall clock and the given maturity rules, for the maturity family's topology tests.
 */
final class MaturityPipeline implements AutoCloseable {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final Topics topics;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, ActivityEvent> activity;

    MaturityPipeline(Path stateDir, String topicPrefix, MaturityRules rules) {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        topics = new Topics(topicPrefix, serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "maturity-pipeline-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("run-" + System.nanoTime()).toString());
        driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), AlertSettings.defaults().withWallClock(false),
                        RolesModel.defaults()).withMaturity(rules).withHooks(RuntimeHooks.defaults().withClock(CLOCK))),
                props);
        activity = driver.createInputTopic(topics.activity().name(), topics.activity().keySerde().serializer(),
                topics.activity().valueSerde().serializer());
    }

    Topics topics() {
        return topics;
    }

    TopologyTestDriver driver() {
        return driver;
    }

    <K, V> TestOutputTopic<K, V> out(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** Engagement and maturity punctuate on the same interval; maturity waits for engagement to drain. */
    void emit() {
        for (int i = 0; i < 3; i++) {
            driver.advanceWallClockTime(EngagementSettings.defaults().emitInterval());
        }
    }

    void pipe(List<ActivityEvent> events) {
        events.forEach(e -> activity.pipeInput(e.getCommunityId(), e));
    }

    @Override
    public void close() {
        driver.close();
    }
}
