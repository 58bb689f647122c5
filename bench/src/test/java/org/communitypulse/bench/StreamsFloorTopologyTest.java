package org.communitypulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Streams floor of the throughput benchmark counts what the benchmark's timing assumes it counts. */
class StreamsFloorTopologyTest {

    private static final String APP_ID = "floor-test";

    @TempDir
    Path stateDir;

    private final Topics topics = new Topics("floor.", new AvroSerdes(new InMemorySchemaRegistryClient(), true));

    @Test
    void shouldCountEveryEventOfEachCommunityOnceWhenFedTheBenchmarksGeneratedInput() {
        List<ActivityEvent> events = new ArrayList<>();
        Iterator<ActivityEvent> generated = new SimulatedActivity(PipelineBenchmark.plan(50)).iterator();
        while (events.size() < 5_000 && generated.hasNext()) {
            events.add(generated.next());
        }
        Map<String, Long> expected = new TreeMap<>();
        events.forEach(e -> expected.merge(e.getCommunityId(), 1L, Long::sum));

        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, ActivityEvent> in = driver.createInputTopic(topics.activity().name(),
                    topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
            events.forEach(e -> in.pipeInput(e.getCommunityId(), e));

            assertThat(expected).hasSize(20);
            assertThat(counts(driver)).isEqualTo(expected);
            // Logged: the counts go to a changelog, as the pipeline's stores do.
            assertThat(driver.producedTopicNames())
                    .contains(APP_ID + "-" + StreamsFloorTopology.STORE + "-changelog");
        }
    }

    @Test
    void shouldCountUndecodableRecordsApartWhenTheValueIsNotAvro() {
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(topics.activity().name(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            raw.pipeInput("c1", "not avro".getBytes(StandardCharsets.UTF_8));
            raw.pipeInput("c1", new byte[0]);

            assertThat(counts(driver)).containsExactly(Map.entry(StreamsFloorTopology.UNDECODABLE, 2L));
        }
    }

    private TopologyTestDriver driver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(StreamsFloorTopology.build(topics.activity()), props);
    }

    private static Map<String, Long> counts(TopologyTestDriver driver) {
        KeyValueStore<String, Long> store = driver.getKeyValueStore(StreamsFloorTopology.STORE);
        Map<String, Long> counts = new TreeMap<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining((KeyValue<String, Long> kv) -> counts.put(kv.key, kv.value));
        }
        return counts;
    }
}
