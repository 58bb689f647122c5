package org.communitypulse.connect;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * What the API pollers (GitHub, Slack, Discourse) share on top of {@link PulseConnectConfig}: the poll interval
 * and reconcile-only keys, the http(s) URL check and reading a token from its setting or its file. Docs, defaults
 * of the interval and the reconcile-days range stay each poller's own, as docs/connect.md lists them.
 */
public abstract class ApiPollerConfig extends PulseConnectConfig {

    public static final String POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";

    public static final String RECONCILE_ONLY_CONFIG = "reconcile.only";
    public static final String RECONCILE_DAYS_CONFIG = "reconcile.days";
    public static final int RECONCILE_DAYS_DEFAULT = 7;

    protected ApiPollerConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals);
    }

    /** Adds {@code reconcile.only} (off by default) and {@code reconcile.days} with the poller's docs and range. */
    protected static ConfigDef defineReconcile(ConfigDef definition, String onlyDoc, ConfigDef.Validator daysRange,
            Importance daysImportance, String daysDoc) {
        return definition
                .define(RECONCILE_ONLY_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, onlyDoc)
                .define(RECONCILE_DAYS_CONFIG, Type.INT, RECONCILE_DAYS_DEFAULT, daysRange, daysImportance, daysDoc);
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS_CONFIG));
    }

    public boolean reconcileOnly() {
        return getBoolean(RECONCILE_ONLY_CONFIG);
    }

    public int reconcileDays() {
        return getInt(RECONCILE_DAYS_CONFIG);
    }

    /**
     * The token given directly or in a file, read only here so it stays out of logs and config dumps.
     *
     * @param platform named in the error when neither is set
     * @throws ConfigException when neither or both are set, or the file cannot be read (never showing a token)
     */
    protected String token(String tokenConfig, String fileConfig, String platform) {
        String direct = getPassword(tokenConfig).value();
        String file = getString(fileConfig).trim();
        if (!direct.isEmpty() && !file.isEmpty()) {
            throw new ConfigException("Give " + tokenConfig + " or " + fileConfig + ", not both");
        }
        String token = direct;
        if (!file.isEmpty()) {
            try {
                token = Files.readString(Path.of(file)).trim();
            } catch (IOException | RuntimeException e) {
                // The path may be malformed as well as unreadable; only the exception's kind is shown.
                throw new ConfigException(fileConfig, file, "cannot be read: " + e.getClass().getSimpleName());
            }
        }
        if (token.isEmpty()) {
            throw new ConfigException("A " + platform + " token is required: set " + tokenConfig + " or "
                    + fileConfig);
        }
        return token;
    }

    /** Builds a client's Settings, its own checks failing as a ConfigException (the task then fails clearly). */
    protected static <T> T clientSettings(Supplier<T> settings) {
        try {
            return settings.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Validator of a base URL: http(s) with a host. */
    protected static void httpUrl(String name, Object value) {
        String url = value == null ? "" : ((String) value).trim();
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name, value, "must be http(s)://host[/path]");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "not a URL: " + e.getMessage());
        }
    }
}
