package org.communitypulse.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command ({@code pulse streams}, {@code pulse webhooks}) ends on Ctrl-C or SIGTERM: a shutdown
 * hook ends {@link #await()}, then holds the JVM, for at most the given wait, until {@link #close()} says that the
 * command has closed what it runs. The JVM halts as soon as its hooks return, so without the wait a service would
 * be cut off in its close (Streams would not commit and leave its group, requests in flight would go unanswered).
 * Open it first in a try-with-resources, so that it is closed last.
 */
final class SignalStop implements AutoCloseable {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    private SignalStop() {
    }

    /** Installs the hook (thread {@code name}); it waits up to {@code closeWait} for {@link #close()}. */
    static SignalStop install(String name, Duration closeWait) {
        SignalStop stop = new SignalStop();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.stopped.countDown();
            try {
                stop.closed.await(closeWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name));
        return stop;
    }

    /** Blocks until the signal. */
    void await() throws InterruptedException {
        stopped.await();
    }

    /** The command has closed what it ran: the hook may return and the JVM exit. */
    @Override
    public void close() {
        closed.countDown();
    }
}
