package org.communitypulse.connect.internals;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.communitypulse.ingest.ProgressListener;
import org.slf4j.Logger;

/** Import progress in the worker's log, at most every {@value #INTERVAL_SECONDS} s. */
public final class LoggingProgress implements ProgressListener {

    public static final long INTERVAL_SECONDS = 30;

    private final Logger log;
    private long lastNanos = System.nanoTime();

    public LoggingProgress(Logger log) {
        this.log = log;
    }

    @Override
    public void update(Progress p) {
        long now = System.nanoTime();
        if (now - lastNanos < TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS)) {
            return;
        }
        lastNanos = now;
        log.info(String.format(Locale.ROOT, "%s: %,d rows, %,d events made, %.1f%%", p.currentFile(), p.rowsRead(),
                p.eventsProduced(), p.percent()));
    }
}
