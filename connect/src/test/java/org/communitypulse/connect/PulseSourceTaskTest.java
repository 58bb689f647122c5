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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.PulseSourceTask.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle the base class owns, with a source whose fetches are scripted. */
class PulseSourceTaskTest {

    /** What each fetch does: records to return, an exception to throw, or a Duration to wait as a client would. */
    private final Deque<Object> script = new ArrayDeque<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger stops = new AtomicInteger();
    /** The calls the base made, in order, and the closing of the resource doStart registered. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Scripted task = new Scripted();

    /** What doStart does after registering its resource (e.g. fail, or block). */
    private interface StartAction {
        void run() throws Exception;
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    final class Scripted extends PulseSourceTask<PulseConnectConfig> {
        Duration interval = Duration.ofMillis(200);

        StartAction onStart = () -> {
        };

        @Override
        protected PulseConnectConfig parseConfig(Map<String, String> props) {
            calls.add("parseConfig");
            return new PulseConnectConfig(PulseConnectConfig.baseConfigDef(), props) {
            };
        }

        @Override
        protected void doStart(PulseConnectConfig config) {
            calls.add("doStart");
            closeOnStop(() -> calls.add("resource closed"));
            try {
                onStart.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected List<SourceRecord> fetch() throws Exception {
            fetches.incrementAndGet();
            calls.add("fetch");
            Object next = script.isEmpty() ? List.of() : script.poll();
            if (next instanceof Exception e) {
                throw e;
            }
            if (next instanceof Duration wait) {
                pauseUnlessStopped(wait);
                return List.of();
            }
            @SuppressWarnings("unchecked")
            List<SourceRecord> records = (List<SourceRecord>) next;
            return records;
        }

        @Override
        protected void doStop() {
            stops.incrementAndGet();
            calls.add("doStop");
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

    @Test
    void shouldRunTheLifecycleInOrderAndStopOnlyOnce() throws Exception {
        script.add(records(1));
        assertThat(task.state()).isEqualTo(State.CREATED);
        start(10);
        assertThat(task.state()).isEqualTo(State.RUNNING);
        assertThat(task.poll()).hasSize(1);

        task.stop();
        task.stop();

        assertThat(task.state()).isEqualTo(State.STOPPED);
        assertThat(calls).containsExactly("parseConfig", "doStart", "fetch", "doStop", "resource closed");
        assertThatThrownBy(() -> start(10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start again");
    }

    @Test
    void shouldReturnNullFromPollAfterStopAlsoWithRecordsPending() throws Exception {
        script.add(records(5));
        start(2);
        assertThat(task.poll()).hasSize(2);

        task.stop();

        assertThat(task.poll()).isNull();
        assertThat(task.poll()).isNull();
        // The three not handed over have no committed offsets: a restarted task reads them again.
        assertThat(task.handedOver()).isEqualTo(2);
        assertThat(fetches).hasValue(1);
    }

    @Test
    void shouldEndAFetchWaitingLikeAClientWhenStoppedDuringPoll() throws Exception {
        script.add(Duration.ofMinutes(10));
        start(10);
        CompletableFuture<List<SourceRecord>> polled = CompletableFuture.supplyAsync(() -> {
            try {
                return task.poll();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> fetches.get() == 1);

        task.stop();

        assertThat(polled.get(2, TimeUnit.SECONDS)).isNull();
        assertThat(task.lastFailure()).isEmpty();
        assertThat(stops).hasValue(1);
        assertThat(task.state()).isEqualTo(State.STOPPED);
    }

    @Test
    void shouldCloseWhatWasOpenedAndRethrowWhenStartFails() throws Exception {
        IllegalStateException refused = new IllegalStateException("401 from https://forum.example.org/session");
        task.onStart = () -> {
            throw refused;
        };

        assertThatThrownBy(() -> start(10)).isSameAs(refused);

        assertThat(task.state()).isEqualTo(State.FAILED);
        assertThat(calls).containsExactly("parseConfig", "doStart", "doStop", "resource closed");
        assertThat(task.poll()).isNull();
        task.stop();
        assertThat(stops).hasValue(1);
        assertThat(task.state()).isEqualTo(State.FAILED);
    }

    @Test
    void shouldLetTheStartCloseWhenStoppedWhileStarting() throws Exception {
        CountDownLatch inStart = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        task.onStart = () -> {
            inStart.countDown();
            release.await();
        };
        CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> start(10));
        assertThat(inStart.await(5, TimeUnit.SECONDS)).isTrue();

        task.stop();
        assertThat(task.state()).isEqualTo(State.STOPPED);
        // Nothing closed under the feet of a doStart still opening things.
        assertThat(calls).doesNotContain("doStop");
        release.countDown();
        starting.get(5, TimeUnit.SECONDS);

        assertThat(calls).containsExactly("parseConfig", "doStart", "doStop", "resource closed");
        assertThat(task.poll()).isNull();
    }
}
