package org.communitypulse.bench;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The activity value serde in the Confluent wire format: every event crosses it twice in the pipeline. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerdeBenchmark {

    private Serializer<ActivityEvent> serializer;
    private Deserializer<ActivityEvent> deserializer;
    private ActivityEvent event;
    private byte[] bytes;

    @Setup
    public void setUp() {
        Topics topics = new Topics("jmh.", new AvroSerdes(new InMemorySchemaRegistryClient(), true));
        serializer = topics.activity().valueSerde().serializer();
        deserializer = topics.activity().valueSerde().deserializer();
        event = ActivityEvent.newBuilder().setEventId("5f0c7d4e-2b1a-5c3d-9e8f-0a1b2c3d4e5f")
                .setCommunityId("bicycles.meta").setSource(SourcePlatform.STACK_EXCHANGE)
                .setType(EventType.REPLY_CREATED).setActorId("12345").setThreadId("678").setParentId("678")
                .setOccurredAt(Instant.parse("2014-05-06T07:08:09.123Z")).setAttributes(Map.of("kind", "answer"))
                .build();
        bytes = serializer.serialize("jmh.activity", event);
    }

    @Benchmark
    public byte[] serialize() {
        return serializer.serialize("jmh.activity", event);
    }

    @Benchmark
    public ActivityEvent deserialize() {
        return deserializer.deserialize("jmh.activity", bytes);
    }
}
