package org.communitypulse.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle the base class owns, with a source whose fetches are scripted. */
class PollingSourceTaskTest {

    /** What each fetch does: records to return, or an exception to throw. */
    private final Deque<Object> script = new ArrayDeque<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger stops = new AtomicInteger();
    private final Scripted task = new Scripted();

    @AfterEach
    void stop() {
        task.stop();
    }

    final class Scripted extends PollingSourceTask<PulseConnectConfig> {
        Duration interval = Duration.ofMillis(200);

        @Override
        protected PulseConnectConfig parseConfig(Map<String, String> props) {
            return new PulseConnectConfig(PulseConnectConfig.baseConfigDef(), props) {
            };
        }

        @Override
        protected void doStart(PulseConnectConfig config) {
        }

        @Override
        protected List<SourceRecord> fetch() throws Exception {
            fetches.incrementAndGet();
            Object next = script.isEmpty() ? List.of() : script.poll();
            if (next instanceof Exception e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<SourceRecord> records = (List<SourceRecord>) next;
            return records;
        }

        @Override
        protected void doStop() {
            stops.incrementAndGet();
        }

        @Override
        protected Duration pollInterval() {
            return interval;
        }

        @Override
        protected String describe() {
            return "the scripted source";
        }
    }

    private void start(int batchSize) {
        Map<String, String> props = new HashMap<>();
        props.put(PulseConnectConfig.COMMUNITY_CONFIG, "c");
        props.put(PulseConnectConfig.REGISTRY_URL_CONFIG, "http://localhost:1");
        props.put(PulseConnectConfig.BATCH_SIZE_CONFIG, Integer.toString(batchSize));
        task.start(props);
    }

    private static List<SourceRecord> records(int n) {
        List<SourceRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SourceRecord(Map.of("p", "x"), Map.of("o", i), "t", Schema.INT32_SCHEMA, i));
        }
        return out;
    }

    @Test
    void shouldHandOverInBatchesThenWaitTheIntervalBeforeFetchingAgain() throws Exception {
        script.add(records(5));
        start(2);
        assertThat(task.poll()).hasSize(2);
        assertThat(task.caughtUp()).isFalse();
        assertThat(task.poll()).hasSize(2);
        assertThat(task.poll()).hasSize(1);
        assertThat(task.caughtUp()).isTrue();
        assertThat(fetches).hasValue(1);
        long started = System.nanoTime();
        // Within the interval: no fetch, and each poll returns after a slice at most.
        assertThat(task.poll()).isNull();
        assertThat(fetches).hasValue(1);
        while (fetches.get() == 1) {
            assertThat(task.poll()).isNull();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(task.handedOver()).isEqualTo(5);
    }

    @Test
    void shouldEndAWaitAtOnceWhenStopped() throws Exception {
        task.interval = Duration.ofMinutes(10);
        start(10);
        assertThat(task.poll()).isNull();
        CompletableFuture<List<SourceRecord>> waiting = new CompletableFuture<>();
        Thread poller = new Thread(() -> {
            try {
                waiting.complete(task.poll());
            } catch (Throwable e) {
                waiting.completeExceptionally(e);
            }
        });
        poller.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> poller.getState() == Thread.State.TIMED_WAITING);
        long stopped = System.nanoTime();
        task.stop();
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isNull();
        // Well within the slice the wait would otherwise have lasted.
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofMillis(400));
        assertThat(stops).hasValue(1);
    }

    @Test
    void shouldLogATransientFailureAndFetchAgainAfterTheInterval() throws Exception {
        task.interval = Duration.ofMillis(100);
        script.add(new IOException("connection refused"));
        script.add(records(1));
        start(10);
        assertThat(task.poll()).isNull();
        assertThat(task.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("connection refused");
        assertThat(task.caughtUp()).isFalse();
        List<SourceRecord> next = null;
        while (next == null) {
            next = task.poll();
        }
        assertThat(next).hasSize(1);
        assertThat(task.lastFailure()).isEmpty();
    }

    @Test
    void shouldFailTheTaskNamingTheSourceWhenAFailureIsFatal() throws Exception {
        script.add(new IllegalStateException("401 from https://forum.example.org/posts.json"));
        start(10);
        assertThatThrownBy(task::poll).isInstanceOf(ConnectException.class)
                .hasMessage("Reading the scripted source failed: 401 from https://forum.example.org/posts.json");
    }

    @Test
    void shouldThrowRetriableAndFetchTheSameAgainWhenRecordsCannotBeSerialized() throws Exception {
        task.interval = Duration.ofMinutes(10);
        script.add(new SerializationException("registry down"));
        script.add(records(3));
        start(10);
        assertThatThrownBy(task::poll).isInstanceOf(RetriableException.class)
                .hasMessageContaining("the scripted source").hasMessageContaining("registry down");
        // Fetched again soon, not after the ten-minute interval.
        List<SourceRecord> next = null;
        long started = System.nanoTime();
        while (next == null && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5)) {
            next = task.poll();
        }
        assertThat(next).hasSize(3);
        assertThat(fetches).hasValue(2);
    }
}
