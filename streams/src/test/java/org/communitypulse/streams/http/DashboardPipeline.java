package org.communitypulse.streams.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.communitypulse.embedded.ApicurioRegistry;
import org.communitypulse.embedded.KafkaCluster;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;

/** Starts Streams instances with the dashboard on the real broker, feeds them events and asks their HTTP API. */
final class DashboardPipeline {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DashboardPipeline() {
    }

    /** The admin token of each instance started here, by HTTP port: what {@link #get} presents. */
    private static final Map<Integer, String> ADMIN_TOKENS = new ConcurrentHashMap<>();

    /**
     * An instance of application {@code prefix + "app"} on topics {@code prefix*}, HTTP on a free port, with the
     * tokens of {@link TestTokens} (instances that forward to each other share them).
     */
    static PulseStreamsApp start(KafkaCluster kafka, ApicurioRegistry registry, String prefix, Path state,
                                 int partitions) throws Exception {
        return start(kafka, registry, prefix, state, partitions, true);
    }

    /** As above; without {@code configuredTokens} the instance generates its admin token, as with no set-up. */
    static PulseStreamsApp start(KafkaCluster kafka, ApicurioRegistry registry, String prefix, Path state,
                                 int partitions, boolean configuredTokens) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(PulseStreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(PulseStreamsConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.ccompatUrl());
        props.put(PulseStreamsConfig.TOPIC_PREFIX_CONFIG, prefix);
        props.put(PulseStreamsConfig.APPLICATION_ID_CONFIG, prefix + "app");
        props.put(PulseStreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(PulseStreamsConfig.PARTITIONS_CONFIG, partitions);
        props.put(PulseStreamsConfig.HTTP_PORT_CONFIG, 0);
        if (configuredTokens) {
            props.put(PulseStreamsConfig.HTTP_READ_TOKEN_CONFIG, TestTokens.READ);
            props.put(PulseStreamsConfig.HTTP_ADMIN_TOKEN_CONFIG, TestTokens.ADMIN);
        }
        PulseStreamsApp app = new PulseStreamsApp(new PulseStreamsConfig(props));
        app.start();
        ADMIN_TOKENS.put(app.httpPort().orElseThrow(), configuredTokens ? TestTokens.ADMIN
                : HttpTokenFiles.read(app.generatedTokenFile().orElseThrow()));
        return app;
    }

    static void produce(KafkaCluster kafka, PulseStreamsApp app, List<ActivityEvent> events) throws Exception {
        String topic = app.topics().activity().name();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ActivityEvent event : events) {
                byte[] value = app.topics().activity().valueSerde().serializer().serialize(topic, event);
                producer.send(new ProducerRecord<>(topic, event.getCommunityId().toString()
                        .getBytes(StandardCharsets.UTF_8), value)).get(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Publishes platform counts on {@code <prefix>platform.counts}, as a poller does. */
    static void observe(KafkaCluster kafka, PulseStreamsApp app, List<org.communitypulse.schemas.avro.PlatformDayCount>
            counts) throws Exception {
        var topic = app.topics().platformCounts();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (org.communitypulse.schemas.avro.PlatformDayCount count : counts) {
                byte[] key = topic.keySerde().serializer().serialize(topic.name(),
                        new org.communitypulse.schemas.avro.CommunityDayKey(count.getCommunityId(), count.getDay()));
                byte[] value = topic.valueSerde().serializer().serialize(topic.name(), count);
                producer.send(new ProducerRecord<>(topic.name(), key, value)).get(20, TimeUnit.SECONDS);
            }
        }
    }

    /** A platform count of {@code items} for {@code community}'s {@code day}, observed now (TestEvents' source). */
    static org.communitypulse.schemas.avro.PlatformDayCount count(String community, java.time.LocalDate day,
                                                                  long items) {
        java.time.Instant now = java.time.Instant.now();
        return org.communitypulse.schemas.avro.PlatformDayCount.newBuilder().setCommunityId(community).setDay(day)
                .setSource(org.communitypulse.schemas.avro.SourcePlatform.GENERATOR).setItems(items)
                .setObservedAt(now).setCompleteThrough(now).build();
    }

    /** A GET with the instance's admin token. */
    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + adminToken(port))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The admin token of the instance listening on {@code port}. */
    static String adminToken(int port) {
        String token = ADMIN_TOKENS.get(port);
        if (token == null) {
            throw new IllegalStateException("no instance started here listens on " + port);
        }
        return token;
    }

    /** The body of a 200 answer as JSON. */
    static JsonNode json(int port, String path) throws Exception {
        HttpResponse<String> response = get(port, path);
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    /** {@code /api/communities}' entry for {@code community}, or a missing node. */
    static JsonNode summary(JsonNode communities, String community) {
        for (JsonNode c : communities.path("communities")) {
            if (c.path("communityId").asText().equals(community)) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
