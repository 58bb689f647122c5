package org.communitypulse.ingest.http.internals;

import java.io.IOException;

/** The request body stopped arriving, or arrived slower than the server's minimum rate: answered 408. */
public final class BodyTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    public BodyTimeoutException(Throwable cause) {
        super("request body too slow", cause);
    }
}
