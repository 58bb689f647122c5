package org.communitypulse.ingest.internals;

import java.time.Duration;

/** Waits; {@code Thread::sleep} outside tests, a stop latch in connector tasks so that a stop ends the wait. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
