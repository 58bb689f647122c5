package org.communitypulse.ingest.http.internals;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A request body with a deadline, whose read failures tell a too-slow sender apart from a broken one, so the
 * receiver can answer 408 rather than 400. Jetty's minimum data rate alone would let a sender keeping just
 * above it hold a thread for max body / rate (half an hour at the defaults); the deadline bounds the whole
 * body. A read already blocked ends at the latest with the connection's idle timeout.
 */
public final class TimeoutAwareInputStream extends FilterInputStream {

    private final long deadline;

    /** {@code in} must be read completely within {@code timeout} from now. */
    public TimeoutAwareInputStream(InputStream in, Duration timeout) {
        super(in);
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public int read() throws IOException {
        checkDeadline();
        try {
            return super.read();
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkDeadline();
        try {
            return super.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
    }

    private void checkDeadline() throws BodyTimeoutException {
        if (System.nanoTime() - deadline > 0) {
            throw new BodyTimeoutException(new TimeoutException("request body not complete in time"));
        }
    }

    /** Jetty reports a rate failure as its own 408 exception (unchecked), an idle one as a TimeoutException. */
    private static IOException classify(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException
                    || cause instanceof HttpException http && http.getCode() == HttpStatus.REQUEST_TIMEOUT_408) {
                return new BodyTimeoutException(e);
            }
        }
        return e instanceof IOException io ? io : new IOException(e);
    }
}
