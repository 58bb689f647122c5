package org.communitypulse.connect;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.ingest.github.GitHubApiClient;

/** Configuration of {@link GitHubPollerSourceConnector}. */
public final class GitHubPollerConfig extends ApiPollerConfig {

    public static final String URL_CONFIG = "github.url";
    public static final String URL_DOC = "Base URL of GitHub's REST API: https://api.github.com, or "
            + "https://<host>/api/v3 for GitHub Enterprise Server (GraphQL is then read at /api/graphql).";

    public static final String TOKEN_CONFIG = "github.token";
    public static final String TOKEN_DOC = "Token (classic, fine-grained or an app installation token) with read "
            + "access to issues, pull requests, discussions and metadata; sent as Authorization: Bearer, never "
            + "logged. Best given through a config provider, e.g. ${file:/secrets/github.properties:token}.";

    public static final String TOKEN_FILE_CONFIG = "github.token.file";
    public static final String TOKEN_FILE_DOC = "File holding the token, instead of " + TOKEN_CONFIG + " (not both).";

    public static final String REPOSITORIES_CONFIG = "github.repositories";
    public static final String REPOSITORIES_DOC = "Comma-separated owner/repo names, or organisation (or user) "
            + "names standing for every repository they own (listed again at each poll, so new ones are followed).";

    public static final String POLL_INTERVAL_MS_DOC = "Time between two reads of the repositories. Unchanged "
            + "lists cost nothing against the rate limit (conditional requests answered 304).";
    public static final long POLL_INTERVAL_MS_DEFAULT = 60_000;

    public static final String START_SINCE_CONFIG = "github.start.since";
    public static final String START_SINCE_DOC = "On the very first start of a repository (no offset yet), read "
            + "only items updated at or after this UTC instant or day (2026-01-31T00:00:00Z or 2026-01-31); empty "
            + "reads the whole history back (held in memory until published: for a big repository, start recent).";

    public static final String DISCUSSIONS_CONFIG = "github.discussions";
    public static final String DISCUSSIONS_DOC = "Also read discussions and their comments (GraphQL; the token "
            + "needs Discussions read access). Off for repositories without discussions saves a request per poll.";

    public static final String MAX_RETRIES_CONFIG = "github.max.retries";
    public static final String MAX_RETRIES_DOC = "Retries of one request after a rate limit (waiting until "
            + "X-RateLimit-Reset or Retry-After), 502/503/504 or a network failure (backing off 1 s doubling to "
            + "60 s); then the poll is given up and tried again at the next interval.";

    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+");

    public static final String RECONCILE_ONLY_DOC = "Reconcile-only mode: each poll re-reads every list (issues and "
            + "pull requests, issue comments, review comments, reviews, discussions and their comments) updated since "
            + "00:00 UTC of the first of the last reconcile.days days and publishes, for each day of that window, the "
            + "threads and replies created then (counted with the same mapping as the events) on "
            + "<prefix>platform.counts, and no activity events. No cursor: every poll is a full recount, under its own "
            + "source partition, so it never moves the catch-up connector's position. Run it beside the catch-up "
            + "connector of the same repositories, on a longer interval, to see gaps the webhooks left while they "
            + "are open.";

    public static final String RECONCILE_DAYS_DOC = "Reconcile-only mode: UTC days (today included) recounted at "
            + "each poll.";

    public static final ConfigDef CONFIG_DEF = defineReconcile(baseConfigDef()
            .define(URL_CONFIG, Type.STRING, GitHubApiClient.PUBLIC_API.toString(), GitHubPollerConfig::httpUrl,
                    Importance.MEDIUM, URL_DOC)
            .define(TOKEN_CONFIG, Type.PASSWORD, "", Importance.HIGH, TOKEN_DOC)
            .define(TOKEN_FILE_CONFIG, Type.STRING, "", Importance.HIGH, TOKEN_FILE_DOC)
            .define(REPOSITORIES_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, GitHubPollerConfig::repositories,
                    Importance.HIGH, REPOSITORIES_DOC)
            .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, POLL_INTERVAL_MS_DEFAULT, ConfigDef.Range.atLeast(100),
                    Importance.MEDIUM, POLL_INTERVAL_MS_DOC)
            .define(START_SINCE_CONFIG, Type.STRING, "", GitHubPollerConfig::since, Importance.MEDIUM,
                    START_SINCE_DOC)
            .define(DISCUSSIONS_CONFIG, Type.BOOLEAN, true, Importance.LOW, DISCUSSIONS_DOC)
            .define(MAX_RETRIES_CONFIG, Type.INT, GitHubApiClient.Settings.DEFAULT_MAX_RETRIES,
                    ConfigDef.Range.between(0, 100), Importance.LOW, MAX_RETRIES_DOC),
            RECONCILE_ONLY_DOC, ConfigDef.Range.atLeast(1), Importance.LOW, RECONCILE_DAYS_DOC);

    public GitHubPollerConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    public URI url() {
        return URI.create(getString(URL_CONFIG).trim());
    }

    public List<String> repositories() {
        return getList(REPOSITORIES_CONFIG).stream().map(String::trim).toList();
    }

    /** Where a repository without an offset starts; {@link Instant#EPOCH} for its whole history. */
    public Instant startSince() {
        return parseSince(getString(START_SINCE_CONFIG));
    }

    public boolean discussions() {
        return getBoolean(DISCUSSIONS_CONFIG);
    }

    /**
     * Client settings; the token is read here (from the setting or its file) and stays in them.
     *
     * @throws ConfigException when no token or both are given, or the file cannot be read (never showing a token)
     */
    public GitHubApiClient.Settings apiSettings() {
        String token = token(TOKEN_CONFIG, TOKEN_FILE_CONFIG, "GitHub");
        return clientSettings(() -> new GitHubApiClient.Settings(url(), token,
                GitHubApiClient.Settings.DEFAULT_REQUEST_TIMEOUT,
                getInt(MAX_RETRIES_CONFIG), GitHubApiClient.Settings.DEFAULT_INITIAL_BACKOFF,
                GitHubApiClient.Settings.DEFAULT_MAX_BACKOFF));
    }

    static Instant parseSince(String value) {
        String since = value == null ? "" : value.trim();
        if (since.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return since.contains("T") ? Instant.parse(since) : LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a UTC instant (2026-01-31T00:00:00Z) or a day (2026-01-31)");
        }
    }

    private static void since(String name, Object value) {
        try {
            parseSince((String) value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static void repositories(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) value;
        if (names == null || names.isEmpty()) {
            throw new ConfigException(name, value, "at least one owner/repo or organisation is required");
        }
        for (String entry : names) {
            String trimmed = entry.trim();
            if (!REPOSITORY.matcher(trimmed).matches() && !OWNER.matcher(trimmed).matches()) {
                throw new ConfigException(name, entry, "must be owner/repo or an organisation name");
            }
        }
    }
}
