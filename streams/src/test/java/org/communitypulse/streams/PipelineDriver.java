package org.communitypulse.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BiFunction;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One pipeline topology in a {@link TopologyTestDriver}, with an in-memory schema registry and the {@code t.} topic
 * prefix, fed on the activity topic. Tests start drivers through {@link Drivers}, which gives each its own state
 * directory (a test may compare several runs) and closes them all after the test.
 */
final class PipelineDriver {

    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, ActivityEvent> activity;
    /** The erasure requests' control topic (one partition in the test driver: no copy per partition needed). */
    final TestInputTopic<String, ActivityEvent> erasures;

    private PipelineDriver(Topics topics, TopologyTestDriver driver) {
        this.topics = topics;
        this.driver = driver;
        activity = driver.createInputTopic(topics.activity().name(), topics.activity().keySerde().serializer(),
                topics.activity().valueSerde().serializer());
        erasures = driver.createInputTopic(topics.erasures().name(), topics.erasures().keySerde().serializer(),
                topics.erasures().valueSerde().serializer());
    }

    <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Register with {@code @RegisterExtension}: starts drivers for one test class and closes them after each test. */
    static final class Drivers implements AfterEachCallback {
        private final String applicationId;
        private final List<TopologyTestDriver> open = new ArrayList<>();
        private Path stateDirs;
        private int runs;

        Drivers(String applicationId) {
            this.applicationId = applicationId;
        }

        /** A driver whose wall clock starts now. */
        PipelineDriver start(BiFunction<Topics, AvroSerdes, Topology> topology) {
            return start(topology, null);
        }

        /** A driver whose wall clock starts at {@code wallClockStart} (now when null). */
        PipelineDriver start(BiFunction<Topics, AvroSerdes, Topology> topology, Instant wallClockStart) {
            AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
            Topics topics = new Topics("t.", serdes);
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs().resolve("run-" + runs++).toString());
            Topology built = topology.apply(topics, serdes);
            TopologyTestDriver driver = wallClockStart == null ? new TopologyTestDriver(built, props)
                    : new TopologyTestDriver(built, props, wallClockStart);
            open.add(driver);
            return new PipelineDriver(topics, driver);
        }

        private Path stateDirs() {
            if (stateDirs == null) {
                try {
                    stateDirs = Files.createTempDirectory(applicationId);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return stateDirs;
        }

        @Override
        public void afterEach(ExtensionContext context) throws IOException {
            open.forEach(TopologyTestDriver::close);
            open.clear();
            if (stateDirs != null) {
                Utils.delete(stateDirs.toFile());
                stateDirs = null;
            }
        }
    }
}
