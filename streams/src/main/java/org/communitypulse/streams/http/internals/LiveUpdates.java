package org.communitypulse.streams.http.internals;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a snapshot to every connected server-sent-events client whenever it changes. The snapshot is
 * recomputed every poll interval, only while someone listens: the view stores offer no change
 * notification, and comparing a small JSON document twice a second is cheap.
 */
public final class LiveUpdates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
    /** Ticks between comments sent to idle clients (5 s): how soon a gone client's slot is found free. */
    private static final int KEEP_ALIVE_TICKS = 10;

    private final String event;
    private final Supplier<String> snapshot;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final Semaphore slots;
    private final ScheduledExecutorService poller;
    private volatile String last;
    private int ticks;

    /**
     * @param event    SSE event name of the pushes
     * @param snapshot   the current document; throwing means "not available now" (rebalancing): try next tick
     * @param maxClients clients at once; each holds a connection, so more are turned away ({@link #reserve()})
     */
    public LiveUpdates(String event, Supplier<String> snapshot, Duration interval, int maxClients) {
        this.event = event;
        this.slots = new Semaphore(maxClients);
        this.snapshot = snapshot;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pulse-dashboard-live");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes a client slot; false when every slot is taken. A slot is given back when its client goes. */
    public boolean reserve() {
        return slots.tryAcquire();
    }

    /** Gives back a slot {@link #reserve() reserved} for a client that never connected. */
    public void release() {
        slots.release();
    }

    /**
     * Registers a client that holds a {@link #reserve() reserved} slot; it gets the latest snapshot now (if any)
     * and every change after.
     */
    public void connectReserved(SseClient client) {
        client.keepAlive();
        client.onClose(() -> drop(client));
        clients.add(client);
        String current = last;
        if (current != null) {
            send(client, current);
        }
    }

    public int clients() {
        return clients.size();
    }

    private void tick() {
        if (clients.isEmpty()) {
            last = null;
            return;
        }
        // Counted whether or not a snapshot is available: keep-alives are also how gone clients are found and
        // their slots freed, rebalancing or not.
        boolean keepAlive = ++ticks % KEEP_ALIVE_TICKS == 0;
        String now = null;
        try {
            now = snapshot.get();
        } catch (RuntimeException e) {
            LOG.debug("Live snapshot not available now: {}", e.toString());
        }
        if (now != null && !Objects.equals(now, last)) {
            String changed = now;
            last = changed;
            clients.forEach(client -> send(client, changed));
        } else if (keepAlive) {
            clients.forEach(client -> {
                try {
                    client.sendComment("keep-alive");
                } catch (RuntimeException e) {
                    drop(client);
                }
            });
        }
    }

    private void send(SseClient client, String data) {
        try {
            client.sendEvent(event, data);
        } catch (RuntimeException e) {
            drop(client);
        }
    }

    /** Forgets a client and frees its slot, once however many ways it is found gone. */
    private void drop(SseClient client) {
        if (clients.remove(client)) {
            slots.release();
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        clients.forEach(client -> {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing an SSE client: {}", e.toString());
            }
        });
        clients.clear();
    }
}
