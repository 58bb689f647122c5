package org.communitypulse.connect;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Connect lifecycle of every Pulse source task (in the manner of Debezium's {@code BaseSourceTask}): a subclass
 * says how to start, what one {@link #fetch()} returns and how to stop; this class owns the rest, as a state
 * machine {@link State#CREATED} → {@link State#RUNNING} → {@link State#STOPPED} (or {@link State#FAILED} when the
 * start fails).
 *
 * <ul>
 *   <li>{@link #start} parses the configuration and calls {@link #doStart}. If either throws, what was opened is
 *       closed ({@link #doStop}, {@link #closeOnStop} resources) and the exception reaches Connect unchanged.</li>
 *   <li>{@link #poll} hands over what a fetch returned in batches of at most {@code batch.size} records; between
 *       fetches it waits for the poll interval in slices of at most {@link #MAX_WAIT}, returning {@code null}
 *       after each, so Connect can commit offsets, pause and stop a task that is idle.</li>
 *   <li>A failed fetch is classified ({@link #classify}): {@link Failure#FATAL} fails the task with a
 *       {@link ConnectException} naming the source; {@link Failure#TRANSIENT} is logged and tried again after the
 *       interval; {@link Failure#SERIALIZATION} (the registry is down or refuses the schema) throws a
 *       {@link RetriableException} and fetches again soon. A subclass moves its cursor only once every record of
 *       a fetch was made, so a retried fetch reads the same items again.</li>
 *   <li>{@link #stop} ends every wait at once (also waits of the subclass through {@link #awaitStop} and
 *       {@link #pauseUnlessStopped}), then calls {@link #doStop} and closes the {@link #closeOnStop} resources,
 *       once: a second stop does nothing. A stop during {@link #start} is finished by the start once
 *       {@link #doStart} returns. After a stop {@link #poll} returns {@code null}, also when records were still
 *       pending (they were not handed over, so their offsets are not committed and a restart reads them again).</li>
 * </ul>
 *
 * <p>{@link #caughtUp()} and {@link #lastFailure()} let a runner without Connect (the standalone runner of
 * {@code pulse poll}) stop once the source has nothing more to give.
 *
 * @param <C> the connector's configuration
 */
public abstract class PulseSourceTask<C extends PulseConnectConfig> extends SourceTask {

    /** Where the task is in its lifecycle. */
    public enum State {
        /** Made, not started. */
        CREATED,
        /** In {@link #start}. */
        STARTING,
        /** Started: polls fetch and hand over records. */
        RUNNING,
        /** Stopped: polls return null; resources are closed. */
        STOPPED,
        /** {@link #start} threw; resources are closed. */
        FAILED
    }

    /** Longest one poll() blocks, so Connect regains control (offset commits, pause, stop). */
    public static final Duration MAX_WAIT = Duration.ofMillis(500);
    /** Wait before fetching again after a serialization failure, so a registry outage is not hammered. */
    static final Duration SERIALIZATION_RETRY = Duration.ofSeconds(1);

    /** What a failed fetch means for the task. */
    public enum Failure {
        /** Cannot get better by waiting (refused credentials, missing resource, bad configuration). */
        FATAL,
        /** The source is down, slow or rate limiting: try again at the next interval. */
        TRANSIENT,
        /** Records could not be made (schema registry): retry soon without moving the cursor. */
        SERIALIZATION
    }

    private static final Logger LOG = LoggerFactory.getLogger(PulseSourceTask.class);

    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private C config;
    private Duration interval = Duration.ZERO;
    private long nextFetchNanos;
    private List<SourceRecord> pending = List.of();
    private boolean fetchedOnce;
    private boolean againNow;
    private volatile Exception lastFailure;
    private long handedOver;

    @Override
    public String version() {
        return Versions.VERSION;
    }

    @Override
    public final void start(Map<String, String> props) {
        if (!state.compareAndSet(State.CREATED, State.STARTING)) {
            throw new IllegalStateException("A task " + state.get() + " cannot start again: Connect makes a new "
                    + "task instance for every start");
        }
        try {
            config = parseConfig(props);
            doStart(config);
            interval = pollInterval();
            nextFetchNanos = System.nanoTime();
        } catch (RuntimeException | Error e) {
            state.set(State.FAILED);
            stopped.countDown();
            release();
            throw e;
        }
        if (!state.compareAndSet(State.STARTING, State.RUNNING)) {
            // stop() came while doStart ran and left the closing to this thread, which opened the resources.
            release();
        }
    }

    /** The configuration of the task's properties; throws ConfigException when they do not parse. */
    protected abstract C parseConfig(Map<String, String> props);

    /** Opens clients and reads the committed offsets ({@code context.offsetStorageReader()}). */
    protected abstract void doStart(C config);

    /**
     * The next records, or an empty list when there is nothing new. Called at most once per
     * {@link #pollInterval()} (at once again after {@link #fetchAgainNow()}), never while records of the last
     * fetch are still pending.
     *
     * @throws InterruptedException when the task is stopped during a wait
     * @throws Exception            classified by {@link #classify}
     */
    protected abstract List<SourceRecord> fetch() throws Exception;

    /**
     * Closes what {@link #doStart} opened beyond the {@link #closeOnStop} resources (closed after it); called once,
     * possibly while a {@link #fetch()} is running, also when {@link #doStart} threw half-way.
     */
    protected void doStop() {
    }

    /** Time between the starts of two fetches; zero fetches again as soon as the last one was handed over. */
    protected Duration pollInterval() {
        return Duration.ZERO;
    }

    /** What the task reads, for messages (e.g. the forum's URL and the community); never holds secrets. */
    protected abstract String describe();

    /**
     * What a fetch failure means. By default a {@link ConnectException} or any other unchecked exception is fatal
     * (a bug or a bad configuration does not mend itself), {@link SerializationException} is
     * {@link Failure#SERIALIZATION} and other checked exceptions (I/O) are transient.
     */
    protected Failure classify(Exception e) {
        if (e instanceof SerializationException) {
            return Failure.SERIALIZATION;
        }
        if (e instanceof RuntimeException) {
            return Failure.FATAL;
        }
        return Failure.TRANSIENT;
    }

    @Override
    public final List<SourceRecord> poll() throws InterruptedException {
        if (state.get() != State.RUNNING) {
            return null;
        }
        if (!pending.isEmpty()) {
            return handOver();
        }
        long wait = nextFetchNanos - System.nanoTime();
        if (wait > 0) {
            awaitStop(Duration.ofNanos(Math.min(wait, MAX_WAIT.toNanos())));
            return null;
        }
        nextFetchNanos = System.nanoTime() + interval.toNanos();
        againNow = false;
        List<SourceRecord> fetched;
        try {
            fetched = fetch();
        } catch (InterruptedException e) {
            if (isStopping()) {
                return null;
            }
            throw e;
        } catch (Exception e) {
            if (isStopping()) {
                return null;
            }
            return failed(e);
        }
        lastFailure = null;
        fetchedOnce = true;
        if (againNow) {
            nextFetchNanos = System.nanoTime();
        }
        pending = fetched == null ? List.of() : fetched;
        return handOver();
    }

    private List<SourceRecord> failed(Exception e) {
        lastFailure = e;
        switch (classify(e)) {
            case SERIALIZATION -> {
                nextFetchNanos = System.nanoTime() + Math.min(interval.toNanos(), SERIALIZATION_RETRY.toNanos());
                throw new RetriableException("Could not serialize the records of " + describe() + ": "
                        + e.getMessage(), e);
            }
            case TRANSIENT -> {
                LOG.warn("Could not read {}: {}; trying again in {} ms", describe(), e.getMessage(),
                        interval.toMillis());
                return null;
            }
            default -> {
                if (e instanceof ConnectException connect) {
                    throw connect;
                }
                throw new ConnectException("Reading " + describe() + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Hands over at most a batch, keeping the rest for the next poll. */
    private List<SourceRecord> handOver() {
        int n = Math.min(pending.size(), config.batchSize());
        if (n == 0) {
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>(pending.subList(0, n));
        pending = n == pending.size() ? List.of() : new ArrayList<>(pending.subList(n, pending.size()));
        handedOver += batch.size();
        return batch;
    }

    /** Asks for the next fetch right after this one's records were handed over (more is ready to read). */
    protected final void fetchAgainNow() {
        againNow = true;
    }

    /**
     * Waits up to {@code timeout} unless the task is stopped.
     *
     * @return true when the task was stopped
     */
    protected final boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /**
     * A client's wait (a retry, {@code Retry-After}, pacing) that a stop ends at once: give it to the API clients
     * as their sleeper ({@code this::pauseUnlessStopped}).
     *
     * @throws InterruptedException when the task is stopped before or during the wait
     */
    protected final void pauseUnlessStopped(Duration wait) throws InterruptedException {
        if (awaitStop(wait)) {
            throw new InterruptedException("task stopped");
        }
    }

    /** Registers {@code resource} (opened in {@link #doStart}) to be closed when the task stops, last first. */
    protected final <R extends AutoCloseable> R closeOnStop(R resource) {
        synchronized (resources) {
            resources.push(resource);
        }
        return resource;
    }

    protected final boolean isStopping() {
        return stopped.getCount() == 0;
    }

    protected final C config() {
        return config;
    }

    /**
     * True once a fetch succeeded, did not ask to {@linkplain #fetchAgainNow() fetch again at once}, and all its
     * records were handed over: the source has nothing more to give until it changes.
     */
    public final boolean caughtUp() {
        return fetchedOnce && !againNow && pending.isEmpty();
    }

    /** The failure of the last fetch, empty once a fetch succeeded. */
    public final Optional<Exception> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Records handed over since start. */
    public final long handedOver() {
        return handedOver;
    }

    /** Where the task is now. */
    public final State state() {
        return state.get();
    }

    @Override
    public final void stop() {
        State before = state.getAndUpdate(now -> now == State.FAILED ? State.FAILED : State.STOPPED);
        stopped.countDown();
        // Only a running task is closed here: a starting one closes itself when doStart returns (see start),
        // a failed start closed itself, and a second stop finds STOPPED.
        if (before == State.RUNNING) {
            release();
        }
    }

    /** doStop, then the registered resources, last first; a failure to close one is logged, the rest still close. */
    private void release() {
        try {
            doStop();
        } catch (RuntimeException e) {
            LOG.warn("Closing {} failed: {}", describeSafely(), e.toString());
        }
        while (true) {
            AutoCloseable resource;
            synchronized (resources) {
                resource = resources.poll();
            }
            if (resource == null) {
                return;
            }
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} of {} failed: {}", resource, describeSafely(), e.toString());
            }
        }
    }

    /** describe() may need what a failed start never set. */
    private String describeSafely() {
        try {
            return describe();
        } catch (RuntimeException e) {
            return getClass().getSimpleName();
        }
    }
}
