package org.communitypulse.ingest.webhook;

/** Platforms that push signed webhooks, with the environment variables that hold their shared secrets. */
public enum WebhookSource {
    DISCOURSE("DISCOURSE"),
    GITHUB("GITHUB"),
    SLACK("SLACK");

    private final String variable;

    WebhookSource(String name) {
        this.variable = "PULSE_" + name + "_SECRET";
    }

    /** Environment variable holding the secret itself, e.g. {@code PULSE_GITHUB_SECRET}. */
    public String secretVariable() {
        return variable;
    }

    /** Environment variable holding the path of a file containing the secret, e.g. {@code PULSE_GITHUB_SECRET_FILE}. */
    public String secretFileVariable() {
        return variable + "_FILE";
    }

    /**
     * Environment variable naming a directory of per-community secrets, one file per community named by its id,
     * e.g. {@code PULSE_GITHUB_SECRETS_DIR}.
     */
    public String secretsDirVariable() {
        return variable + "S_DIR";
    }
}
