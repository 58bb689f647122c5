package org.communitypulse.connect.standalone;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.communitypulse.connect.PulseSourceTask;

/**
 * Runs one {@link PulseSourceTask} without a Connect worker, for {@code pulse poll}: what Connect would do with
 * the task, in one thread. Each batch the task hands over is sent with an idempotent producer (acks=all); only
 * once the broker acknowledged every record of the batch are their source offsets written to a JSON file
 * ({@link FileOffsetStore}), and only then is the next batch asked for. A crash therefore re-sends at most the
 * last batch, which the pipeline's event-id deduplication absorbs, and never skips one.
 *
 * <p>Records carry their keys and values already serialized (the pass-through converters of the connectors): a
 * {@code byte[]}/{@code ByteBuffer} is sent as is, a {@code String} as UTF-8, as {@code StringConverter} would.
 */
public final class StandaloneSourceRunner {

    /** How often the progress line is printed while records flow. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final PulseSourceTask<?> task;
    private final Map<String, String> taskProps;
    private final FileOffsetStore offsets;
    private final Producer<byte[], byte[]> producer;
    private final Consumer<String> progress;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    private long sent;
    private long lastProgressNanos;

    public StandaloneSourceRunner(PulseSourceTask<?> task, Map<String, String> taskProps, Path offsetsFile,
                                  Producer<byte[], byte[]> producer, Consumer<String> progress) {
        this.task = Objects.requireNonNull(task, "task");
        this.taskProps = Map.copyOf(taskProps);
        this.offsets = new FileOffsetStore(offsetsFile);
        this.producer = Objects.requireNonNull(producer, "producer");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** An idempotent producer of raw bytes, as a Connect worker's (acks=all, ordered per partition). */
    public static Producer<byte[], byte[]> producer(String bootstrapServers, Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-poll");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.putAll(overrides);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Starts the task and runs it until {@link #stop()} or, with {@code once}, until it is caught up. Stops the
     * task and closes the producer before returning.
     *
     * @return the number of records sent (and acknowledged)
     * @throws ConnectException when the task fails, a record cannot be sent, or (with {@code once}) a fetch
     *                          fails: then nothing unacknowledged was recorded as done
     */
    public long run(boolean once) throws InterruptedException {
        try {
            task.initialize(new Context(taskProps, offsets));
            task.start(taskProps);
            lastProgressNanos = System.nanoTime();
            while (!stopping.get()) {
                List<SourceRecord> batch;
                try {
                    batch = task.poll();
                } catch (RetriableException e) {
                    progress.accept("Retrying: " + e.getMessage());
                    continue;
                }
                if (batch != null && !batch.isEmpty()) {
                    send(batch);
                }
                if (once) {
                    if (task.lastFailure().isPresent()) {
                        Exception failure = task.lastFailure().get();
                        throw new ConnectException("Poll failed: " + failure.getMessage(), failure);
                    }
                    if (task.caughtUp()) {
                        break;
                    }
                }
                report(false);
            }
            report(true);
            return sent;
        } finally {
            // Idempotent: stop() may have stopped the task already.
            task.stop();
            producer.close(Duration.ofSeconds(30));
            finished.countDown();
        }
    }

    private void send(List<SourceRecord> batch) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        try {
            for (SourceRecord record : batch) {
                acks.add(producer.send(new ProducerRecord<>(record.topic(), record.kafkaPartition(),
                        record.timestamp(), bytes(record.key(), "key"), bytes(record.value(), "value"),
                        headers(record))));
            }
            producer.flush();
        } catch (ConnectException e) {
            throw e;
        } catch (KafkaException e) {
            throw new ConnectException("Could not send records to Kafka: " + e.getMessage(), e);
        }
        List<RecordMetadata> metadata = new ArrayList<>(batch.size());
        for (int i = 0; i < acks.size(); i++) {
            try {
                metadata.add(acks.get(i).get());
            } catch (ExecutionException e) {
                throw new ConnectException("Could not send a record to " + batch.get(i).topic() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
        // Only now: the offsets of acknowledged records, as a Connect worker commits them.
        for (SourceRecord record : batch) {
            offsets.put(record.sourcePartition(), record.sourceOffset());
        }
        offsets.save();
        for (int i = 0; i < batch.size(); i++) {
            task.commitRecord(batch.get(i), metadata.get(i));
        }
        task.commit();
        sent += batch.size();
    }

    private static byte[] bytes(Object value, String what) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] out = new byte[buffer.remaining()];
            buffer.duplicate().get(out);
            return out;
        }
        if (value instanceof String string) {
            return string.getBytes(StandardCharsets.UTF_8);
        }
        throw new ConnectException("The runner sends serialized records only; a " + what + " of type "
                + value.getClass().getName() + " is not");
    }

    private static RecordHeaders headers(SourceRecord record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header.key(), bytes(header.value(), "header " + header.key()));
        }
        return headers;
    }

    private void report(boolean last) {
        long now = System.nanoTime();
        if (last || now - lastProgressNanos >= PROGRESS_EVERY.toNanos()) {
            lastProgressNanos = now;
            progress.accept(sent + " record(s) sent" + (task.caughtUp() ? ", caught up" : "")
                    + "; offsets in " + offsets.file());
        }
    }

    /** Ends the run: waits end at once, the batch in flight is still sent and its offsets saved. */
    public void stop() {
        stopping.set(true);
        task.stop();
    }

    /** Waits for {@link #run} to return after {@link #stop()} (for a shutdown hook). */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public long sent() {
        return sent;
    }

    /** The task's view of its surroundings: its properties and the offsets of the file. */
    private record Context(Map<String, String> configs, OffsetStorageReader offsetStorageReader)
            implements SourceTaskContext {

        @Override
        public PluginMetrics pluginMetrics() {
            throw new UnsupportedOperationException("No Connect plugin metrics outside a worker");
        }
    }
}
