package org.communitypulse.streams;

/**
 * Holds alert evaluation back until the history is complete. An alert judges each day once, with
 * what is known by then; a backfill that arrives out of time order (an importer reads users, then
 * posts, then votes) must not be judged half-loaded. A replay closes the gate, imports, waits for
 * Streams to catch up, then opens it: every day is then judged on the whole history, as if watched
 * live. Live applications keep it open (the default).
 */
public final class AlertGate {

    private volatile boolean open;

    private AlertGate(boolean open) {
        this.open = open;
    }

    public static AlertGate opened() {
        return new AlertGate(true);
    }

    public static AlertGate closed() {
        return new AlertGate(false);
    }

    public void open() {
        open = true;
    }

    public boolean isOpen() {
        return open;
    }
}
