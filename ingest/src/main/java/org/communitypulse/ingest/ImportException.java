package org.communitypulse.ingest;

/** An import cannot go on: the target is unreachable, a send failed, or the input is unusable. */
public class ImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
