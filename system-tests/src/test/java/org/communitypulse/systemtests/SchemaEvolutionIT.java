package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.communitypulse.ingest.KafkaEventSink;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.schemas.registry.SchemaRegistryException;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseStreamsApp;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.StreamsCatchUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution on the real registry (Apicurio, BACKWARD) and broker, on the activity subject:
 * a newer producer adds an optional field and the running Streams application counts its events; an
 * older consumer, compiled before {@code channel} and {@code attributes} existed, reads today's records;
 * an incompatible change is refused by the registry with a clear error, and no record with it is written.
 * The schemas are in {@code src/test/resources/evolution}.
 */
class SchemaEvolutionIT extends PlatformTestBase {

    private static final String COMMUNITY = "evolving";
    private static final Instant DAY = Instant.parse("2026-03-02T10:00:00Z");


    @Test
    void shouldCountNewerProducersEventsAndLetOlderReadersReadCurrentOnesWhenSchemasEvolveCompatibly(
            @TempDir Path state) throws Exception {
        String prefix = "evolve-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String appId = prefix + "app";
        Schema v2 = schema("ActivityEvent-v2.avsc");
        Schema v0 = schema("ActivityEvent-v0.avsc");
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.ccompatUrl());
             PulseStreamsApp app = new PulseStreamsApp(SharedPlatform.streamsConfig(prefix, appId, state,
                     Map.of(PulseStreamsConfig.PARTITIONS_CONFIG, 1,
                             PulseStreamsConfig.ALERT_WALL_CLOCK_CONFIG, false)))) {
            app.start();
            app.awaitRunning(Duration.ofSeconds(90));
            String topic = app.topics().activity().name();
            String subject = topic + "-value";

            // Today's producer first: its schema is version 1 of the subject.
            try (KafkaEventSink sink = new KafkaEventSink(kafka.bootstrapServers(), app.topics().activity(), Map.of())) {
                sink.send(ActivityEvent.newBuilder().setEventId("cur-1").setCommunityId(COMMUNITY)
                        .setSource(SourcePlatform.DISCOURSE).setType(EventType.THREAD_CREATED).setActorId("m1")
                        .setThreadId("t1").setOccurredAt(DAY).setChannel("general")
                        .setAttributes(Map.of("kind", "question")).build());
                sink.flush();
            }
            // A newer producer: the registry accepts its schema as the next version under BACKWARD.
            assertThat(client.isCompatible(subject, v2)).as("v2 compatible with the current schema").isTrue();
            byte[] reply = serialize(client, topic, v2Event(v2, "new-1", "REPLY_CREATED", "m2", "nl"));
            byte[] reaction = serialize(client, topic, v2Event(v2, "new-2", "REACTION_ADDED", "m3", null));
            send(topic, reply, reaction);
            assertThat(client.getId(subject, v2)).as("v2 registered under " + subject).isPositive();

            try (Admin admin = Admin.create(kafka.clientConfig())) {
                app.awaitCaughtUp(new StreamsCatchUp(admin, appId, topic), Duration.ofMinutes(2), false);
            }
            OutputSnapshot out = OutputSnapshot.read(kafka.bootstrapServers(), app.topics(), appId, Duration.ofMinutes(1));
            assertThat(out.deadLetters()).as("dead letters").isZero();
            assertThat(out.acceptedEvents()).as("events counted, whatever schema wrote them").isEqualTo(3);
            String daily = out.latest().get("engagement.daily").values().iterator().next();
            assertThat(daily).contains("\"threads\":1", "\"replies\":1", "\"reactions\":1");
            assertThat(PlatformTestBase.metric(app, "accepted-total")).isEqualTo(3);

            // An older consumer resolves every record of the topic, of either writer, against its own schema.
            List<GenericRecord> old = new ArrayList<>();
            OutputSnapshot.readAll(kafka.bootstrapServers(), topic, Duration.ofMinutes(1),
                    r -> old.add(readAs(client, v0, r.value())));
            assertThat(old).extracting(r -> r.get("eventId").toString()).containsExactly("cur-1", "new-1", "new-2");
            assertThat(old.get(0).get("type").toString()).isEqualTo("THREAD_CREATED");
            assertThat(old.get(0).get("occurredAt")).isEqualTo(DAY.toEpochMilli());
            assertThat(old.get(0).getSchema().getField("attributes")).as("a field the old reader does not know").isNull();
        }
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWithAClearErrorWhenTheSubjectIsBackward() throws Exception {
        String topic = "evolve-" + UUID.randomUUID().toString().substring(0, 8) + ".activity";
        String subject = topic + "-value";
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.ccompatUrl())) {
            client.register(subject, ActivityEvent.getClassSchema());
            for (String file : List.of("ActivityEvent-required-field.avsc", "ActivityEvent-type-change.avsc")) {
                Schema incompatible = schema(file);
                assertThat(client.isCompatible(subject, incompatible)).as(file).isFalse();
                assertThatThrownBy(() -> client.register(subject, incompatible)).as(file)
                        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                            assertThat(e.status()).isEqualTo(409);
                            assertThat(e.getMessage()).startsWith("Schema registry at " + registry.ccompatUrl()
                                    + " rejected schema for subject " + subject + ": 409");
                        });
                // A producer with that schema fails at serialisation: nothing reaches the topic.
                GenericRecord record = new GenericData.Record(incompatible);
                assertThatThrownBy(() -> serialize(client, topic, record)).as(file)
                        .isInstanceOf(SerializationException.class).hasMessageContaining(subject).hasMessageContaining("409");
                assertThatThrownBy(() -> client.getId(subject, incompatible)).as(file + " registered")
                        .isInstanceOf(SchemaRegistryException.class);
            }
        }
    }

    private static GenericRecord v2Event(Schema v2, String id, String type, String actor, String language) {
        GenericRecord r = new GenericData.Record(v2);
        r.put("eventId", id);
        r.put("communityId", COMMUNITY);
        r.put("source", new GenericData.EnumSymbol(v2.getField("source").schema(), "DISCOURSE"));
        r.put("type", new GenericData.EnumSymbol(v2.getField("type").schema(), type));
        r.put("actorId", actor);
        r.put("threadId", "t1");
        r.put("parentId", "t1");
        r.put("occurredAt", DAY.plusSeconds(600).toEpochMilli());
        r.put("channel", "general");
        r.put("attributes", Map.of("kind", "answer"));
        r.put("language", language);
        return r;
    }

    /** As a producer with {@code record}'s schema writes it: registered on first use, Confluent wire format. */
    private static byte[] serialize(RestSchemaRegistryClient client, String topic, GenericRecord record) {
        return new AvroSerdes(client, true).genericValue().serializer().serialize(topic, record);
    }

    private static void send(String topic, byte[]... values) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, COMMUNITY, value));
            }
            producer.flush();
        }
    }

    /**
     * What a consumer built against {@code reader} does: the writer's schema from the id in the record,
     * then Avro schema resolution into its own.
     */
    private static GenericRecord readAs(RestSchemaRegistryClient client, Schema reader, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertThat(buffer.get()).as("magic byte").isZero();
        Schema writer = client.getById(buffer.getInt());
        try {
            return new GenericDatumReader<GenericRecord>(writer, reader).read(null,
                    DecoderFactory.get().binaryDecoder(value, buffer.position(), buffer.remaining(), null));
        } catch (IOException e) {
            throw new IllegalStateException("old reader could not read a record", e);
        }
    }

    private static Schema schema(String file) throws IOException {
        try (InputStream in = SchemaEvolutionIT.class.getResourceAsStream("/evolution/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }
}
