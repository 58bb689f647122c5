package org.communitypulse.ingest.webhook;

/** A webhook secret is missing or misconfigured. Messages name the variable or file, never the secret. */
public class WebhookSecretException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WebhookSecretException(String message) {
        super(message);
    }

    public WebhookSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
