package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse schemas export}: a schema file per Avro key and value of every topic, and an AsyncAPI document naming them all. */
class SchemasCommandTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteSchemasAndAsyncApiOfEveryTopicWhenExporting(@TempDir Path out) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = PulseCommand.commandLine().setErr(new PrintWriter(err));
        int code = cli.execute("schemas", "export", "--out", out.toString(), "--topic-prefix", "x.");
        assertThat(code).as("exit code; stderr: %s", err).isZero();

        Topics topics = new Topics("x.", new AvroSerdes(new InMemorySchemaRegistryClient(), false));
        List<Topic<?, ?>> all = topics.all();
        assertThat(all).hasSize(topics.names().size()).hasSizeGreaterThanOrEqualTo(16);
        // Every topic except the dead-letter one (raw bytes) and the webhook ledger (strings) has an Avro value;
        // keys are Avro unless a community (or request) id.
        Set<String> expectedFiles = new TreeSet<>();
        for (Topic<?, ?> topic : all) {
            if (topic == topics.webhookDeliveries()) {
                continue;
            }
            if (topic != topics.activityDeadLetters()) {
                expectedFiles.add(topic.name() + "-value.avsc");
            }
            if (topic != topics.activityDeadLetters() && topic != topics.activity() && topic != topics.activityLate()
                    && topic != topics.trainingMetrics() && topic != topics.erasures()
                    && topic != topics.alertActions()) {
                expectedFiles.add(topic.name() + "-key.avsc");
            }
        }
        Set<String> written = new TreeSet<>();
        try (Stream<Path> files = Files.list(out)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".avsc")).forEach(written::add);
        }
        assertThat(written).isEqualTo(expectedFiles);
        for (String file : written) {
            assertThat(new Schema.Parser().parse(out.resolve(file).toFile()).getType()).as(file)
                    .isEqualTo(Schema.Type.RECORD);
        }
        // The files are the schemas this build writes, not copies that could drift.
        assertThat(new Schema.Parser().parse(out.resolve("x.engagement.daily-value.avsc").toFile()))
                .isEqualTo(SpecificData.get().getSchema(DailyEngagement.class));
        assertThat(new Schema.Parser().parse(out.resolve("x.engagement.daily-key.avsc").toFile()))
                .isEqualTo(SpecificData.get().getSchema(CommunityDayKey.class));

        JsonNode doc = YAML.readTree(out.resolve(SchemaExport.ASYNCAPI_FILE).toFile());
        assertThat(doc.path("asyncapi").asText()).isEqualTo("2.6.0");
        Set<String> channels = new TreeSet<>();
        doc.path("channels").fieldNames().forEachRemaining(channels::add);
        assertThat(channels).isEqualTo(new TreeSet<>(topics.names()));
        for (String name : channels) {
            JsonNode channel = doc.path("channels").path(name);
            JsonNode operation = channel.has("publish") ? channel.get("publish") : channel.get("subscribe");
            assertThat(operation).as("operation of %s", name).isNotNull();
            String ref = operation.path("message").path("$ref").asText();
            JsonNode message = doc.at(ref.substring(1));
            assertThat(message.isMissingNode()).as("message %s of %s", ref, name).isFalse();
            assertThat(channel.path("bindings").path("kafka").path("topic").asText()).isEqualTo(name);
            if (expectedFiles.contains(name + "-value.avsc")) {
                assertThat(message.path("schemaFormat").asText()).startsWith("application/vnd.apache.avro");
                assertThat(message.path("bindings").path("kafka").path("schemaIdPayloadEncoding").asText())
                        .isEqualTo("confluent");
                Schema payload = new Schema.Parser().parse(JSON.writeValueAsString(message.path("payload")));
                assertThat(payload).as("payload of %s", name)
                        .isEqualTo(new Schema.Parser().parse(out.resolve(name + "-value.avsc").toFile()));
            }
            if (expectedFiles.contains(name + "-key.avsc")) {
                assertThat(new Schema.Parser().parse(JSON.writeValueAsString(
                        message.path("bindings").path("kafka").path("key"))).getType()).isEqualTo(Schema.Type.RECORD);
            }
        }
        assertThat(doc.at("/channels/x.activity/publish")).as("clients publish the input").isNotNull();
        assertThat(doc.at("/channels/x.activity/publish").isMissingNode()).isFalse();
        assertThat(doc.at("/channels/x.engagement.daily/bindings/kafka/topicConfiguration/cleanup.policy/0").asText())
                .isEqualTo("compact");
        assertThat(new Schema.Parser().parse(out.resolve("x.activity-value.avsc").toFile()).getFullName())
                .isEqualTo(ActivityEvent.getClassSchema().getFullName());
    }

    @Test
    void shouldRefuseWhenOutIsMissing() {
        StringWriter err = new StringWriter();
        int code = PulseCommand.commandLine().setErr(new PrintWriter(err)).execute("schemas", "export");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--out");
    }
}
