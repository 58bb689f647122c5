package org.communitypulse.ingest;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows import progress on a console: current file, rows read, events produced, events/s, percent of
 * all bytes and ETA.
 *
 * <p>On a terminal it rewrites one status line at most {@value #INTERACTIVE_INTERVAL_MS} ms apart; when
 * the stream is redirected (CI logs, pipes) carriage returns would turn into noise, so it prints a
 * plain line at most every {@value #PLAIN_INTERVAL_MS} ms instead. A change of file is always shown.
 */
public final class ConsoleProgress implements ProgressListener {

    /** Least time between two redraws on a terminal. */
    public static final long INTERACTIVE_INTERVAL_MS = 250;
    /** Least time between two lines when not on a terminal. */
    public static final long PLAIN_INTERVAL_MS = 2_000;

    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private long lastPrintNanos;
    private boolean printedOnce;
    private String lastFile;
    private Progress last;
    private int lastWidth;

    /**
     * @param out         where to print
     * @param interactive true to redraw one line (terminal), false for one line per update (logs)
     * @param nanoClock   monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public ConsoleProgress(PrintStream out, boolean interactive, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out, "out");
        this.interactive = interactive;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(interactive ? INTERACTIVE_INTERVAL_MS : PLAIN_INTERVAL_MS);
    }

    /** Progress on standard error, redrawing one line only when the JVM has a console. */
    public static ConsoleProgress toStderr() {
        return new ConsoleProgress(System.err, System.console() != null, System::nanoTime);
    }

    @Override
    public void update(Progress progress) {
        last = progress;
        long now = nanoClock.getAsLong();
        boolean newFile = !progress.currentFile().equals(lastFile);
        if (!newFile && printedOnce && now - lastPrintNanos < intervalNanos) {
            return;
        }
        lastFile = progress.currentFile();
        lastPrintNanos = now;
        printedOnce = true;
        print(progress);
    }

    @Override
    public void finished(ImportSummary summary) {
        if (last != null) {
            print(last);
        }
        if (interactive) {
            out.println();
        }
        out.flush();
    }

    private void print(Progress progress) {
        String text = format(progress);
        if (interactive) {
            // Pad so a shorter line fully covers the previous one.
            int pad = Math.max(0, lastWidth - text.length());
            out.print('\r' + text + " ".repeat(pad));
            lastWidth = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** One status line, e.g. {@code Posts.xml: 1,200 rows, 3,400 events, 5,000 events/s, 42.0%, ETA 0:07}. */
    static String format(Progress p) {
        Duration eta = p.eta();
        return String.format(Locale.ROOT, "%s: %,d rows, %,d events, %,.0f events/s, %.1f%%, ETA %s",
                p.currentFile(), p.rowsRead(), p.eventsProduced(), p.eventsPerSecond(), p.percent(),
                eta == null ? "?" : clock(eta));
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
