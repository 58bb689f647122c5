package org.communitypulse.connect.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.PulseSourceTask;
import org.communitypulse.connect.PulseConnectConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner does what a Connect worker does with a task: send, and record offsets only once acknowledged. */
class StandaloneSourceRunnerTest {

    private static final Map<String, String> PARTITION = Map.of("forum", "f");

    @TempDir
    Path dir;

    private final Deque<Object> script = new ArrayDeque<>();
    private final List<Long> committed = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    /** Returns the scripted fetches, then nothing; the committed offset it started from is kept. */
    class Scripted extends PulseSourceTask<PulseConnectConfig> {
        Map<String, Object> startedAt;

        @Override
        protected PulseConnectConfig parseConfig(Map<String, String> props) {
            return new PulseConnectConfig(PulseConnectConfig.baseConfigDef(), props) {
            };
        }

        @Override
        protected void doStart(PulseConnectConfig config) {
            startedAt = context.offsetStorageReader().offset(PARTITION);
        }

        @Override
        protected List<SourceRecord> fetch() throws Exception {
            Object next = script.isEmpty() ? List.of() : script.poll();
            if (next instanceof Exception e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<SourceRecord> records = (List<SourceRecord>) next;
            return records;
        }

        @Override
        public void commitRecord(SourceRecord record, RecordMetadata metadata) {
            committed.add((Long) record.sourceOffset().get("id"));
        }

        @Override
        protected void doStop() {
        }

        @Override
        protected Duration pollInterval() {
            return Duration.ofMillis(100);
        }

        @Override
        protected String describe() {
            return "the scripted source";
        }
    }

    private static Map<String, String> props() {
        return Map.of(PulseConnectConfig.COMMUNITY_CONFIG, "c", PulseConnectConfig.REGISTRY_URL_CONFIG,
                "http://localhost:1", PulseConnectConfig.BATCH_SIZE_CONFIG, "2");
    }

    private static List<SourceRecord> records(long from, long to) {
        List<SourceRecord> out = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            out.add(new SourceRecord(PARTITION, Map.of("id", id), "t", null, Schema.STRING_SCHEMA, "c",
                    Schema.BYTES_SCHEMA, ("v" + id).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void shouldSendEverythingSaveOffsetsAndStopWhenCaughtUpOnce() throws Exception {
        script.add(records(1, 5));
        Path offsets = dir.resolve("poll/x.offsets.json");
        MockProducer<byte[], byte[]> producer = producer();
        long sent = new StandaloneSourceRunner(new Scripted(), props(), offsets, producer, progress::add).run(true);

        assertThat(sent).isEqualTo(5);
        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("v1", "v2", "v3", "v4", "v5");
        assertThat(new String(producer.history().get(0).key(), StandardCharsets.UTF_8)).isEqualTo("c");
        assertThat(committed).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(((Number) new FileOffsetStore(offsets).offset(PARTITION).get("id")).longValue()).isEqualTo(5);
        assertThat(progress).last().asString().startsWith("5 record(s) sent, caught up");

        // A second run starts from the saved offset.
        Scripted again = new Scripted();
        new StandaloneSourceRunner(again, props(), offsets, producer(), progress::add).run(true);
        assertThat(((Number) again.startedAt.get("id")).longValue()).isEqualTo(5);
    }

    @Test
    void shouldSaveNoOffsetOfARecordTheBrokerDidNotAcknowledge() throws IOException {
        script.add(records(1, 2));
        script.add(records(3, 4));
        Path offsets = dir.resolve("x.offsets.json");
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            private int sends;

            @Override
            public synchronized java.util.concurrent.Future<RecordMetadata> send(
                    org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record) {
                if (++sends == 3) {
                    throw new KafkaException("broker gone");
                }
                return super.send(record);
            }
        };
        StandaloneSourceRunner runner = new StandaloneSourceRunner(new Scripted(), props(), offsets, producer,
                progress::add);
        assertThatThrownBy(() -> runner.run(false)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("broker gone");
        assertThat(((Number) new FileOffsetStore(offsets).offset(PARTITION).get("id")).longValue())
                .as("the first batch was acknowledged, the second not").isEqualTo(2);
        assertThat(Files.readString(offsets)).doesNotContain("\"id\" : 3");
    }

    @Test
    void shouldReturnPromptlyWhenStoppedWhileWaitingForTheNextPoll() throws Exception {
        script.add(records(1, 1));
        StandaloneSourceRunner runner = new StandaloneSourceRunner(new Scripted() {
            @Override
            protected Duration pollInterval() {
                return Duration.ofMinutes(10);
            }
        }, props(), dir.resolve("x.offsets.json"), producer(), progress::add);
        CompletableFuture<Long> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.sent() == 1);
        runner.stop();
        assertThat(run.get(2, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(runner.awaitFinished(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void shouldFailOnceWhenAPollFails() {
        script.add(new IOException("forum down"));
        StandaloneSourceRunner runner = new StandaloneSourceRunner(new Scripted(), props(),
                dir.resolve("x.offsets.json"), producer(), progress::add);
        assertThatThrownBy(() -> runner.run(true)).isInstanceOf(ConnectException.class)
                .hasMessage("Poll failed: forum down");
    }
}
