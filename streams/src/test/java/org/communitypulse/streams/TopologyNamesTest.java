package org.communitypulse.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.Test;

/**
 * Processor, store, repartition and topic names are the application's state on disk and in Kafka: an upgrade
 * finds its changelogs and state directories only under the same names. The whole pipeline's description is
 * kept in {@code topology-describe.txt}; a refactoring must leave it byte for byte as it is.
 */
class TopologyNamesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/topology-describe.txt");

    @Test
    void theWholePipelineKeepsEveryNodeStoreAndTopicName() throws IOException {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        String described = PulseTopology.build(new Topics(Topics.DEFAULT_PREFIX, serdes), serdes,
                PulseSettings.defaults()).describe().toString();
        if (Boolean.getBoolean("pulse.topology.update")) {
            Files.writeString(GOLDEN, described, StandardCharsets.UTF_8);
        }
        assertThat(described).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
