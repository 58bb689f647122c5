package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.communitypulse.schemas.avro.PlatformDayCount;

/** Starting a poller task outside Connect, as the pollers' unit tests do: its context, offsets and registry. */
final class PollerTasks {

    private PollerTasks() {
    }

    /** Initializes and starts {@code task} with no stored offsets. */
    static <T extends SourceTask> T started(T task, Map<String, String> props) {
        return started(task, props, new ArrayList<>(), partition -> null);
    }

    /**
     * Initializes and starts {@code task}; its offset reader adds each partition asked for to {@code reads} (a
     * mutable list, unless none are expected to be kept) and answers {@code offset} for it (null for none).
     */
    static <T extends SourceTask> T started(T task, Map<String, String> props, List<Map<String, ?>> reads,
            Function<Map<String, ?>, Map<String, Object>> offset) {
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <P> Map<String, Object> offset(Map<String, P> partition) {
                        reads.add(partition);
                        return offset.apply(partition);
                    }

                    @Override
                    public <P> Map<Map<String, P>, Map<String, Object>> offsets(
                            Collection<Map<String, P>> partitions) {
                        reads.addAll(partitions);
                        return Map.of();
                    }
                };
            }
        });
        task.start(props);
        return task;
    }

    /** The records of the next complete poll (all its batches), failing on any poll failure or after 10 s. */
    static List<SourceRecord> pollOnce(PulseSourceTask<?> task) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long before = task.handedOver();
        List<SourceRecord> out = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            List<SourceRecord> batch = task.poll();
            assertThat(task.lastFailure()).isEmpty();
            if (batch != null) {
                out.addAll(batch);
            }
            if (task.handedOver() > before && task.caughtUp()) {
                return out;
            }
        }
        throw new AssertionError("no poll within 10 s");
    }

    /** The value of a day-count record: Avro after the Confluent wire format's magic byte and schema id. */
    static PlatformDayCount decodeDayCount(byte[] framed) {
        assertThat(framed[0]).isZero();
        try {
            return new SpecificDatumReader<>(PlatformDayCount.class).read(null, DecoderFactory.get().binaryDecoder(
                    Arrays.copyOfRange(framed, 5, framed.length), null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Registers any schema under a fresh id, as a schema registry's {@code POST /subjects/../versions} does. */
    static final class Registry implements AutoCloseable {

        private final HttpServer server;

        Registry() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int[] ids = {0};
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body;
                synchronized (ids) {
                    body = ("{\"id\":" + ++ids[0] + "}").getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
