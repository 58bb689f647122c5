package org.communitypulse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.MemberDay;
import org.communitypulse.schemas.avro.Responder;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.api.Test;

/**
 * The serdes switch on Avro's generated coders for the state records: the bytes must be exactly those of
 * Avro's schema-walking writer (so state written before and after reads the same), and must read back.
 */
class GeneratedCodersTest {

    private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);

    private static DailyEngagementState day() {
        Map<String, MemberDay> members = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            members.put("member-" + i, new MemberDay(i + 1, i % 3));
        }
        Map<String, Integer> accepted = new HashMap<>(Map.of("member-1", 2, "member-7", 1));
        List<String> threads = new ArrayList<>(List.of("t1", "t2", "t3"));
        return new DailyEngagementState(12L, 40L, 20L, 15L, 5L, 9L, 3L, 2L, 70L, members, accepted, threads);
    }

    private static ThreadState thread() {
        return new ThreadState("alice", 1_714_564_800_000L, null,
                new ArrayList<>(List.of(new Responder("bob", 1_714_564_900_000L), new Responder("carol", 1_714_565_000_000L))));
    }

    /** Avro's schema-walking path: a fresh model, generated coders off. */
    private static byte[] walkingSchema(org.apache.avro.specific.SpecificRecordBase record) throws IOException {
        SpecificData plain = new SpecificData();
        assertThat(plain.useCustomCoders()).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(record.getSchema(), plain).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] body(byte[] wire) {
        // Magic byte and schema id first; the Avro body follows.
        return Arrays.copyOfRange(wire, 5, wire.length);
    }

    @Test
    void shouldWriteTheSchemaWalkingBytesWhenGeneratedCodersAreOn() throws IOException {
        Serde<DailyEngagementState> days = serdes.forValue(DailyEngagementState.class);
        Serde<ThreadState> threads = serdes.forValue(ThreadState.class);

        byte[] dayBytes = days.serializer().serialize("state", day());
        byte[] threadBytes = threads.serializer().serialize("threads", thread());

        assertThat(SpecificData.getForClass(DailyEngagementState.class).useCustomCoders()).isTrue();
        assertThat(body(dayBytes)).isEqualTo(walkingSchema(day()));
        assertThat(body(threadBytes)).isEqualTo(walkingSchema(thread()));
        assertThat(days.deserializer().deserialize("state", dayBytes)).isEqualTo(day());
        assertThat(threads.deserializer().deserialize("threads", threadBytes)).isEqualTo(thread());
    }
}
