package org.communitypulse.ingest.github;

import org.communitypulse.ingest.ImportException;

/**
 * A GitHub API request that failed for good: the message names the method, the URL (never the token, which
 * travels in a header) and what to check; {@link #status()} is the HTTP status, or 0 when no answer came.
 */
public final class GitHubApiException extends ImportException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public GitHubApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GitHubApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, 0 when GitHub did not answer. */
    public int status() {
        return status;
    }

    /** A refused token, a forbidden or unknown repository: polling again will not help. */
    public boolean isFatal() {
        return status == 401 || status == 403 || status == 404;
    }
}
