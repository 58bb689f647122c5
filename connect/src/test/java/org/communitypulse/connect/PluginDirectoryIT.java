package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.ingest.CollectingEventSink;
import org.communitypulse.ingest.ProgressListener;
import org.communitypulse.ingest.webhook.MemberPseudonymiser;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin directory ({@code target/plugin}, as docker-compose mounts it) in a real standalone Connect
 * worker in its own JVM whose class path holds Connect but none of this project's classes, Avro or the CSV
 * reader: the connectors must load from {@code plugin.path} alone (service-loader discovery, isolated class
 * loader) and publish.
 */
class PluginDirectoryIT {

    private static final Path PLUGIN_PATH = Path.of("target", "plugin").toAbsolutePath();
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private EmbeddedKafkaCluster kafka;
    private ApicurioRegistry registry;
    private Process worker;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.destroy();
            if (!worker.waitFor(20, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    /** The test class path less what the plugin directory must bring itself. */
    private static String workerClassPath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> !entry.contains(File.separator + "target" + File.separator + "classes")
                        && !entry.contains(File.separator + "target" + File.separator + "test-classes")
                        && !entry.contains("pulse-") && !entry.contains("avro-") && !entry.contains("commons-compress")
                        && !entry.contains("jackson-dataformat-csv"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Path write(Path file, Properties props) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, null);
        }
        return file;
    }

    private Properties connector(String name, String source, Path file) {
        Properties props = new Properties();
        props.setProperty("name", name);
        props.setProperty("connector.class", name.startsWith("register") ? "FileImportSourceConnector"
                : FileImportSourceConnector.class.getName());
        props.setProperty("tasks.max", "1");
        props.setProperty(FileImportConfig.SOURCE_CONFIG, source);
        props.setProperty(FileImportConfig.PATHS_CONFIG, file.toString());
        props.setProperty(PulseConnectConfig.COMMUNITY_CONFIG, "acme");
        props.setProperty(PulseConnectConfig.TOPIC_PREFIX_CONFIG, "plugin.");
        props.setProperty(PulseConnectConfig.REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.setProperty(Converters.KEY_CONVERTER_CONFIG, PulseConnectConfig.KEY_CONVERTER);
        props.setProperty(Converters.VALUE_CONVERTER_CONFIG, PulseConnectConfig.VALUE_CONVERTER);
        return props;
    }

    @Test
    void shouldLoadConnectorsFromPluginPathAloneWhenWorkerRunsInItsOwnJvm() throws Exception {
        assertThat(PLUGIN_PATH.resolve("pulse-connect")).as("built by the package phase").isDirectory();
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        kafka.createTopic("plugin.activity", 1);
        registry = ApicurioRegistry.start();

        Path events = dir.resolve("events.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            lines.add("{\"specversion\":\"1.0\",\"id\":\"p-" + i + "\",\"source\":\"https://forum.example.org/\","
                    + "\"type\":\"org.communitypulse.activity\",\"time\":\"2024-03-01T10:15:00Z\",\"data\":"
                    + "{\"type\":\"REPLY_CREATED\",\"actorId\":\"m" + i % 7 + "\",\"threadId\":\"t-" + i / 4 + "\"}}");
        }
        Files.write(events, lines);
        Path roles = Files.writeString(dir.resolve("roles.csv"), """
                member,role,granted_at,revoked_at,account
                ann,Sponsor,2024-01-01,,
                bob,account-manager,2024-02-01T09:00:00Z,2024-03-01T09:00:00Z,@acme
                """);

        Properties workerProps = new Properties();
        workerProps.setProperty("bootstrap.servers", kafka.bootstrapServers());
        workerProps.setProperty("key.converter", PulseConnectConfig.KEY_CONVERTER);
        workerProps.setProperty("value.converter", PulseConnectConfig.VALUE_CONVERTER);
        workerProps.setProperty("offset.storage.file.filename", dir.resolve("offsets").toString());
        workerProps.setProperty("offset.flush.interval.ms", "500");
        workerProps.setProperty("plugin.path", PLUGIN_PATH.toString());
        workerProps.setProperty("plugin.discovery", "service_load");
        workerProps.setProperty("listeners", "http://127.0.0.1:0");
        Path log = Path.of("target", "plugin-directory-it-worker.log").toAbsolutePath();
        worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", workerClassPath(), "org.apache.kafka.connect.cli.ConnectStandalone",
                write(dir.resolve("worker.properties"), workerProps).toString(),
                write(dir.resolve("events.properties"), connector("events", "cloudevents", events)).toString(),
                write(dir.resolve("register.properties"), connector("register", "register", roles)).toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        List<String> expected = new ArrayList<>(importedIds(ImportSource.CLOUDEVENTS, events));
        expected.addAll(importedIds(ImportSource.REGISTER, roles));
        TopicPartition partition = new TopicPartition("plugin.activity", 0);
        await().atMost(PATIENCE).until(() -> !worker.isAlive() || kafka.endOffset(partition) >= expected.size());
        assertThat(worker.isAlive()).as("worker alive; its log: " + log).isTrue();
        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> kafka.endOffset(partition) == expected.size());

        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.ccompatUrl())) {
            Deserializer<ActivityEvent> values = new AvroSerdes(client, false).forValue(ActivityEvent.class)
                    .deserializer();
            List<String> ids = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.consumeAll(PATIENCE.toMillis(), "plugin.activity")) {
                ids.add(values.deserialize("plugin.activity", record.value()).getEventId());
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(Files.readString(log)).contains("Loading plugin from: " + PLUGIN_PATH.resolve("pulse-connect"));
    }

    private static List<String> importedIds(ImportSource source, Path file) {
        CollectingEventSink imported = new CollectingEventSink();
        source.run(file, "acme", imported, ProgressListener.NONE, MemberPseudonymiser.none());
        return imported.events().stream().map(ActivityEvent::getEventId).toList();
    }
}
