package org.communitypulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.communitypulse.schemas.Topic;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.serde.SpecificAvroSerde;

/**
 * Writes what a consumer outside this code base needs to read the topics: every topic's key and value
 * Avro schema as {@code <topic>-key.avsc} / {@code <topic>-value.avsc} (named like their registry
 * subjects) and an AsyncAPI 2.6 document describing every topic. Keys and values that are not Avro
 * (plain UTF-8 community ids, the dead-letter topic's raw bytes) get no schema file; the AsyncAPI
 * document says what they are.
 */
final class SchemaExport {

    static final String ASYNCAPI_FILE = "asyncapi.yaml";
    /** AsyncAPI's media type of Avro schemas; Avro 1.12 reads and writes 1.9 schemas alike. */
    static final String AVRO_SCHEMA_FORMAT = "application/vnd.apache.avro;version=1.9.0";
    private static final String KAFKA_BINDING_VERSION = "0.4.0";
    private static final String WIRE_FORMAT = "Confluent Schema Registry wire format: byte 0 (magic), the 4-byte "
            + "big-endian schema id, then the Avro binary encoding. Subject <topic>-key / <topic>-value "
            + "(TopicNameStrategy). See docs/wire-format.md.";

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));

    /** What was written. */
    record Result(List<Path> schemaFiles, Path asyncApi, int channels) {
    }

    Result export(Topics topics, Path out) throws IOException {
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        Set<String> compacted = Set.copyOf(topics.metricNames());
        ObjectNode doc = json.createObjectNode();
        doc.put("asyncapi", "2.6.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Community Pulse topics");
        info.put("version", PulseVersion.version());
        info.put("description", "Every Kafka topic of the Community Pulse pipeline under the prefix '"
                + topics.prefix() + "'. Metric topics are written exactly once (transactions): read them with "
                + "isolation.level=read_committed and keep the latest value per key. Avro keys and values use the "
                + WIRE_FORMAT);
        ObjectNode server = doc.putObject("servers").putObject("local");
        server.put("url", "localhost:9092");
        server.put("protocol", "kafka");
        server.put("description", "./pulse run's embedded broker; its schema registry's Confluent-compatible API is "
                + "http://localhost:8081/apis/ccompat/v7");
        ObjectNode channels = doc.putObject("channels");
        ObjectNode messages = json.createObjectNode();
        for (Topic<?, ?> topic : topics.all()) {
            Optional<Schema> key = avroSchema(topic.keySerde());
            Optional<Schema> value = avroSchema(topic.valueSerde());
            if (key.isPresent()) {
                written.add(write(out.resolve(topic.name() + "-key.avsc"), key.get()));
            }
            if (value.isPresent()) {
                written.add(write(out.resolve(topic.name() + "-value.avsc"), value.get()));
            }
            String messageName = topic.name();
            messages.set(messageName, message(topic, key, value));
            ObjectNode channel = channels.putObject(topic.name());
            channel.put("description", description(topic, topics, value));
            boolean input = topic.name().equals(topics.activity().name());
            // AsyncAPI 2 names operations from the client's side: clients publish input and subscribe to output.
            ObjectNode operation = channel.putObject(input ? "publish" : "subscribe");
            operation.put("operationId", (input ? "publish" : "consume") + camel(topic.name()));
            operation.putObject("message").put("$ref", "#/components/messages/" + messageName);
            ObjectNode binding = channel.putObject("bindings").putObject("kafka");
            binding.put("topic", topic.name());
            binding.putObject("topicConfiguration").putArray("cleanup.policy")
                    .add(compacted.contains(topic.name()) ? "compact" : "delete");
            binding.put("bindingVersion", KAFKA_BINDING_VERSION);
        }
        doc.putObject("components").set("messages", messages);
        Path asyncApi = out.resolve(ASYNCAPI_FILE);
        Files.writeString(asyncApi, yaml.writeValueAsString(doc), StandardCharsets.UTF_8);
        return new Result(written, asyncApi, channels.size());
    }

    private ObjectNode message(Topic<?, ?> topic, Optional<Schema> key, Optional<Schema> value) throws IOException {
        ObjectNode message = json.createObjectNode();
        message.put("messageId", camel(topic.name()) + "Record");
        message.put("name", value.map(Schema::getName).orElse("Raw"));
        message.put("title", topic.name() + " record");
        ObjectNode binding = message.putObject("bindings").putObject("kafka");
        // The webhook delivery ledger is the one topic with a plain string value.
        boolean ledger = topic.valueSerde() instanceof Serdes.StringSerde;
        if (key.isPresent()) {
            binding.set("key", avroJson(key.get()));
        } else if (ledger) {
            binding.set("key", json.createObjectNode().put("type", "string").put("description",
                    "the replay key <PLATFORM>:<base64url SHA-256 of the bytes the platform signed>, plain UTF-8"));
        } else {
            binding.set("key", plainKey(topic.keySerde()));
        }
        if (value.isPresent()) {
            message.put("schemaFormat", AVRO_SCHEMA_FORMAT);
            message.put("contentType", "application/octet-stream");
            message.put("description", "Value: Avro " + value.get().getFullName() + " (" + topic.name()
                    + "-value.avsc); key: " + key.map(k -> "Avro " + k.getFullName() + " (" + topic.name()
                    + "-key.avsc)").orElse(describe(topic.keySerde())) + ". " + WIRE_FORMAT);
            message.set("payload", avroJson(value.get()));
            binding.put("schemaIdLocation", "payload");
            binding.put("schemaIdPayloadEncoding", "confluent");
            binding.put("schemaLookupStrategy", "TopicNameStrategy");
        } else if (ledger) {
            message.put("contentType", "text/plain");
            message.put("description", "One fact of the webhook receivers' delivery ledger, plain UTF-8: "
                    + "'claimed <claim id>', 'accepted <claim id>' or 'released <claim id>'; the record time is "
                    + "when. Internal to the receivers (docs/webhooks.md).");
            message.putObject("payload").put("type", "string");
        } else {
            message.put("contentType", "application/octet-stream");
            message.put("description", "The rejected record's original key and value bytes, unchanged; the reason "
                    + "is in the pulse.dlq.reason and pulse.dlq.detail headers, the origin in pulse.dlq.source.topic, "
                    + "pulse.dlq.source.partition and pulse.dlq.source.offset.");
            message.putObject("payload").put("type", "string").put("format", "binary");
        }
        binding.put("bindingVersion", KAFKA_BINDING_VERSION);
        return message;
    }

    private static Optional<Schema> avroSchema(Serde<?> serde) {
        return serde instanceof SpecificAvroSerde<?> avro ? avro.schema() : Optional.empty();
    }

    private JsonNode avroJson(Schema schema) throws IOException {
        return json.readTree(schema.toString());
    }

    private JsonNode plainKey(Serde<?> serde) {
        ObjectNode key = json.createObjectNode();
        if (serde instanceof Serdes.StringSerde) {
            key.put("type", "string").put("description", describe(serde));
        } else {
            key.put("type", "string").put("format", "binary").put("description", describe(serde));
        }
        return key;
    }

    private static String describe(Serde<?> serde) {
        return serde instanceof Serdes.StringSerde
                ? "the community id as plain UTF-8 bytes (no schema registry framing)"
                : "raw bytes (no schema)";
    }

    /** The value record's doc, except where one record type travels on several topics. */
    private static String description(Topic<?, ?> topic, Topics topics, Optional<Schema> value) {
        if (topic == topics.activity()) {
            return "Input: every connector and importer publishes its activity events here, keyed by community id. "
                    + value.map(Schema::getDoc).orElse("");
        }
        if (topic == topics.activityLate()) {
            return "Valid activity events that arrived after the lateness horizon of their period had closed "
                    + "(written only when the pipeline is configured to keep them).";
        }
        if (topic == topics.webhookDeliveries()) {
            return "The webhook receivers' delivery ledger: every instance writes and reads it, so a replayed "
                    + "delivery is recognised by all of them and after a restart (kept for the replay horizon).";
        }
        if (topic == topics.activityDeadLetters()) {
            return "Activity records that could not be counted, as received, with the reason in headers.";
        }
        return value.map(Schema::getDoc).filter(doc -> doc != null && !doc.isBlank()).orElse(topic.name());
    }

    private static String camel(String topic) {
        StringBuilder name = new StringBuilder();
        for (String part : topic.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }

    private static Path write(Path file, Schema schema) throws IOException {
        Files.writeString(file, schema.toString(true) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
