package org.communitypulse.ingest.http.internals;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * A request body whose read failures tell a too-slow sender (Jetty's idle timeout or minimum data rate, both
 * surfacing as some IOException) apart from a broken one, so the receiver can answer 408 rather than 400.
 */
public final class TimeoutAwareInputStream extends FilterInputStream {

    public TimeoutAwareInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw classify(e);
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
