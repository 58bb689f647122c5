package org.communitypulse.ingest.http;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.ingest.webhook.WebhookSource;

/**
 * Settings of {@link WebhookServer}. Secrets never appear here: only the names of files holding them (the
 * secrets themselves come from the environment, see {@link org.communitypulse.ingest.webhook.WebhookSecrets}).
 */
public final class WebhookServerConfig extends AbstractConfig {

    /** Community ids become part of event ids, which are joined with ':'; keep them simple. */
    public static final Pattern COMMUNITY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public static final String HOST_CONFIG = "pulse.webhooks.host";
    public static final String HOST_DOC = "Interface to listen on. The default accepts local clients only; set "
            + "0.0.0.0 (every interface) deliberately, e.g. in a container behind a proxy or load balancer.";
    public static final String HOST_DEFAULT = "127.0.0.1";

    public static final String PORT_CONFIG = "pulse.webhooks.port";
    public static final String PORT_DOC = "HTTP port; 0 picks a free one (see WebhookServer.port()).";
    public static final int PORT_DEFAULT = 8080;

    public static final String MAX_BODY_BYTES_CONFIG = "pulse.webhooks.max.body.bytes";
    public static final String MAX_BODY_BYTES_DOC =
            "Largest accepted request body; larger ones get 413 before any signature work.";
    public static final int MAX_BODY_BYTES_DEFAULT = 2 * 1024 * 1024;

    public static final String IDLE_TIMEOUT_MS_CONFIG = "pulse.webhooks.idle.timeout.ms";
    public static final String IDLE_TIMEOUT_MS_DOC = "A connection with nothing arriving (headers or body) for this "
            + "long is closed; a request whose body stalls gets 408.";
    public static final int IDLE_TIMEOUT_MS_DEFAULT = 15_000;

    public static final String MIN_REQUEST_BYTES_PER_SECOND_CONFIG = "pulse.webhooks.min.request.bytes.per.second";
    public static final String MIN_REQUEST_BYTES_PER_SECOND_DOC = "A request body arriving slower than this on "
            + "average gets 408 and its connection is closed, so a trickling sender cannot hold a thread; 0 = no "
            + "minimum.";
    public static final int MIN_REQUEST_BYTES_PER_SECOND_DEFAULT = 1024;

    public static final String BODY_TIMEOUT_MS_CONFIG = "pulse.webhooks.body.timeout.ms";
    public static final String BODY_TIMEOUT_MS_DOC = "The whole request body must arrive within this long of the "
            + "first read, else 408 and the connection is closed (bounds a sender keeping just above the minimum rate).";
    public static final int BODY_TIMEOUT_MS_DEFAULT = 30_000;

    public static final String MAX_HEADER_BYTES_CONFIG = "pulse.webhooks.max.header.bytes";
    public static final String MAX_HEADER_BYTES_DOC = "Largest request line plus headers; larger ones get 431.";
    public static final int MAX_HEADER_BYTES_DEFAULT = 8 * 1024;

    public static final String PUBLISH_TIMEOUT_MS_CONFIG = "pulse.webhooks.publish.timeout.ms";
    public static final String PUBLISH_TIMEOUT_MS_DOC = "How long a request waits for Kafka to acknowledge its "
            + "events before answering 503; also bounds the producer's delivery timeout so a 503 means not stored.";
    public static final int PUBLISH_TIMEOUT_MS_DEFAULT = 5_000;

    public static final String RETRY_AFTER_SECONDS_CONFIG = "pulse.webhooks.retry.after.seconds";
    public static final String RETRY_AFTER_SECONDS_DOC = "Retry-After value sent with 503 when Kafka is down.";
    public static final int RETRY_AFTER_SECONDS_DEFAULT = 30;

    public static final String READY_TIMEOUT_MS_CONFIG = "pulse.webhooks.ready.timeout.ms";
    public static final String READY_TIMEOUT_MS_DOC = "How long GET /ready waits for Kafka to answer.";
    public static final int READY_TIMEOUT_MS_DEFAULT = 2_000;

    public static final String REPLAY_TTL_MS_CONFIG = "pulse.webhooks.replay.ttl.ms";
    public static final String REPLAY_TTL_MS_DOC = "How long an accepted delivery (the digest of what the platform "
            + "signed) is remembered; also the retention of the ledger topic.";
    public static final long REPLAY_TTL_MS_DEFAULT = 24L * 60 * 60 * 1000;

    public static final String REPLAY_MAX_ENTRIES_CONFIG = "pulse.webhooks.replay.max.entries";
    public static final String REPLAY_MAX_ENTRIES_DOC = "Most deliveries remembered (oldest forgotten first).";
    public static final int REPLAY_MAX_ENTRIES_DEFAULT = 100_000;

    public static final String SLACK_TOLERANCE_SECONDS_CONFIG = "pulse.webhooks.slack.tolerance.seconds";
    public static final String SLACK_TOLERANCE_SECONDS_DOC =
            "Largest distance between X-Slack-Request-Timestamp and now (Slack recommends 5 minutes).";
    public static final int SLACK_TOLERANCE_SECONDS_DEFAULT = 300;

    public static final String DEFAULT_COMMUNITY_CONFIG = "pulse.webhooks.default.community";
    public static final String DEFAULT_COMMUNITY_DOC = "Community for requests whose path names none and whose "
            + "platform key is not in the platform's communities list; unset: such requests get 422.";

    public static final String PSEUDONYMISE_CONFIG = "pulse.webhooks.pseudonymise";
    public static final String PSEUDONYMISE_DOC = "Hash member ids with the pseudonymisation key (PULSE_PSEUDONYM_KEY "
            + "or PULSE_PSEUDONYM_KEY_FILE, or " + "pulse.webhooks.pseudonym.key.file) before publishing. Unset: on "
            + "whenever a key is configured, ids as the platform gives them otherwise (the start-up line says which). "
            + "Set to true (or PULSE_PSEUDONYMISE=true): a key is required and the server refuses to start without "
            + "one. false: off.";
    /** Environment variable that makes pseudonymisation required (webhooks and importers): no key, no start. */
    public static final String PSEUDONYMISE_ENV = "PULSE_PSEUDONYMISE";
    public static final boolean PSEUDONYMISE_DEFAULT = true;

    public static final String PSEUDONYM_KEY_FILE_CONFIG = "pulse.webhooks.pseudonym.key.file";
    public static final String PSEUDONYM_KEY_FILE_DOC = "File holding the pseudonymisation key (at least 16 bytes); "
            + "an alternative to the PULSE_PSEUDONYM_KEY / PULSE_PSEUDONYM_KEY_FILE environment variables.";

    public static final String ANY_COMMUNITY_CONFIG = "pulse.webhooks.platform.secret.any.community";
    public static final String ANY_COMMUNITY_DOC = "Let a platform-wide secret (PULSE_<PLATFORM>_SECRET) sign for "
            + "any community named in the path. Off: a platform-wide secret only delivers to the community its signed "
            + "payload maps to (or the default community), so a body signed for one community cannot be sent to "
            + "another. Only for a single-tenant set-up (pulse run turns it on for its generated local secrets).";
    public static final boolean ANY_COMMUNITY_DEFAULT = false;

    /** Environment variable holding the pseudonymisation key itself. */
    public static final String PSEUDONYM_KEY_ENV = "PULSE_PSEUDONYM_KEY";
    /** Environment variable naming a file holding the pseudonymisation key. */
    public static final String PSEUDONYM_KEY_FILE_ENV = "PULSE_PSEUDONYM_KEY_FILE";

    private static final ConfigDef CONFIG = define();

    public WebhookServerConfig(Map<String, ?> props) {
        super(CONFIG, props, false);
        String fallback = defaultCommunity();
        if (fallback != null) {
            requireCommunityId(DEFAULT_COMMUNITY_CONFIG, fallback);
        }
        for (WebhookSource source : WebhookSource.values()) {
            communities(source);
        }
    }

    /** Name of the setting naming a secret file for {@code source}, e.g. {@code pulse.webhooks.github.secret.file}. */
    public static String secretFileConfig(WebhookSource source) {
        return "pulse.webhooks." + source.name().toLowerCase(Locale.ROOT) + ".secret.file";
    }

    /**
     * Name of the setting naming a directory of per-community secrets for {@code source}, e.g.
     * {@code pulse.webhooks.github.secrets.dir}: one file per community, named exactly as the community id.
     */
    public static String secretsDirConfig(WebhookSource source) {
        return "pulse.webhooks." + source.name().toLowerCase(Locale.ROOT) + ".secrets.dir";
    }

    /** Name of the setting mapping platform keys to communities for {@code source}. */
    public static String communitiesConfig(WebhookSource source) {
        return "pulse.webhooks." + source.name().toLowerCase(Locale.ROOT) + ".communities";
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef()
                .define(HOST_CONFIG, Type.STRING, HOST_DEFAULT, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        HOST_DOC)
                .define(PORT_CONFIG, Type.INT, PORT_DEFAULT, Range.between(0, 65_535), Importance.HIGH, PORT_DOC)
                .define(MAX_BODY_BYTES_CONFIG, Type.INT, MAX_BODY_BYTES_DEFAULT, Range.atLeast(1024),
                        Importance.MEDIUM, MAX_BODY_BYTES_DOC)
                .define(IDLE_TIMEOUT_MS_CONFIG, Type.INT, IDLE_TIMEOUT_MS_DEFAULT, Range.between(100, 600_000),
                        Importance.LOW, IDLE_TIMEOUT_MS_DOC)
                .define(MIN_REQUEST_BYTES_PER_SECOND_CONFIG, Type.INT, MIN_REQUEST_BYTES_PER_SECOND_DEFAULT,
                        Range.atLeast(0), Importance.LOW, MIN_REQUEST_BYTES_PER_SECOND_DOC)
                .define(BODY_TIMEOUT_MS_CONFIG, Type.INT, BODY_TIMEOUT_MS_DEFAULT, Range.between(100, 600_000),
                        Importance.LOW, BODY_TIMEOUT_MS_DOC)
                .define(MAX_HEADER_BYTES_CONFIG, Type.INT, MAX_HEADER_BYTES_DEFAULT, Range.between(1024, 64 * 1024),
                        Importance.LOW, MAX_HEADER_BYTES_DOC)
                .define(PUBLISH_TIMEOUT_MS_CONFIG, Type.INT, PUBLISH_TIMEOUT_MS_DEFAULT, Range.between(100, 120_000),
                        Importance.MEDIUM, PUBLISH_TIMEOUT_MS_DOC)
                .define(RETRY_AFTER_SECONDS_CONFIG, Type.INT, RETRY_AFTER_SECONDS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, RETRY_AFTER_SECONDS_DOC)
                .define(READY_TIMEOUT_MS_CONFIG, Type.INT, READY_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, READY_TIMEOUT_MS_DOC)
                .define(REPLAY_TTL_MS_CONFIG, Type.LONG, REPLAY_TTL_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                        REPLAY_TTL_MS_DOC)
                .define(REPLAY_MAX_ENTRIES_CONFIG, Type.INT, REPLAY_MAX_ENTRIES_DEFAULT, Range.atLeast(1),
                        Importance.LOW, REPLAY_MAX_ENTRIES_DOC)
                .define(SLACK_TOLERANCE_SECONDS_CONFIG, Type.INT, SLACK_TOLERANCE_SECONDS_DEFAULT,
                        Range.between(1, 3600), Importance.LOW, SLACK_TOLERANCE_SECONDS_DOC)
                .define(DEFAULT_COMMUNITY_CONFIG, Type.STRING, null, Importance.HIGH, DEFAULT_COMMUNITY_DOC)
                .define(PSEUDONYMISE_CONFIG, Type.BOOLEAN, PSEUDONYMISE_DEFAULT, Importance.HIGH, PSEUDONYMISE_DOC)
                .define(PSEUDONYM_KEY_FILE_CONFIG, Type.STRING, null, Importance.MEDIUM, PSEUDONYM_KEY_FILE_DOC)
                .define(ANY_COMMUNITY_CONFIG, Type.BOOLEAN, ANY_COMMUNITY_DEFAULT, Importance.HIGH,
                        ANY_COMMUNITY_DOC);
        for (WebhookSource source : WebhookSource.values()) {
            def.define(secretFileConfig(source), Type.STRING, null, Importance.HIGH,
                    "File holding the " + source + " signing secret; an alternative to " + source.secretVariable()
                            + " / " + source.secretFileVariable() + " (setting it and either variable is an error).");
            def.define(secretsDirConfig(source), Type.STRING, null, Importance.HIGH,
                    "Directory of per-community " + source + " signing secrets, one file per community named by its "
                            + "id; an alternative to " + source.secretsDirVariable() + ".");
            def.define(communitiesConfig(source), Type.LIST, List.of(), Importance.MEDIUM,
                    "Comma-separated <key>=<community> pairs resolving a request without a community in its path: "
                            + communityKeyDoc(source) + ".");
        }
        return def;
    }

    private static String communityKeyDoc(WebhookSource source) {
        return switch (source) {
            case DISCOURSE -> "key = the X-Discourse-Instance header (forum base URL)";
            case SLACK -> "key = the payload's team_id";
            case GITHUB -> "key = repository full_name (owner/repo), else organization login, else repository owner";
        };
    }

    private static void requireCommunityId(String setting, String value) {
        if (!COMMUNITY_ID.matcher(value).matches()) {
            throw new ConfigException(setting, value, "community ids match " + COMMUNITY_ID.pattern());
        }
    }

    /** The definition, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public String host() {
        return getString(HOST_CONFIG);
    }

    public int port() {
        return getInt(PORT_CONFIG);
    }

    public int maxBodyBytes() {
        return getInt(MAX_BODY_BYTES_CONFIG);
    }

    public int idleTimeoutMs() {
        return getInt(IDLE_TIMEOUT_MS_CONFIG);
    }

    public int minRequestBytesPerSecond() {
        return getInt(MIN_REQUEST_BYTES_PER_SECOND_CONFIG);
    }

    public int bodyTimeoutMs() {
        return getInt(BODY_TIMEOUT_MS_CONFIG);
    }

    public int maxHeaderBytes() {
        return getInt(MAX_HEADER_BYTES_CONFIG);
    }

    public int publishTimeoutMs() {
        return getInt(PUBLISH_TIMEOUT_MS_CONFIG);
    }

    public int retryAfterSeconds() {
        return getInt(RETRY_AFTER_SECONDS_CONFIG);
    }

    public int readyTimeoutMs() {
        return getInt(READY_TIMEOUT_MS_CONFIG);
    }

    public long replayTtlMs() {
        return getLong(REPLAY_TTL_MS_CONFIG);
    }

    public int replayMaxEntries() {
        return getInt(REPLAY_MAX_ENTRIES_CONFIG);
    }

    public int slackToleranceSeconds() {
        return getInt(SLACK_TOLERANCE_SECONDS_CONFIG);
    }

    public String defaultCommunity() {
        return getString(DEFAULT_COMMUNITY_CONFIG);
    }

    /**
     * What requires pseudonymisation in {@code env}, for the error message, or null when nothing does: only
     * {@value #PSEUDONYMISE_ENV}{@code =true}.
     */
    public static String requiredBy(Map<String, String> env) {
        return "true".equalsIgnoreCase(env.getOrDefault(PSEUDONYMISE_ENV, "").strip())
                ? PSEUDONYMISE_ENV + "=true" : null;
    }

    /** What requires pseudonymisation: {@link #PSEUDONYMISE_CONFIG} set to true explicitly, or the environment. */
    public String pseudonymisationRequiredBy(Map<String, String> env) {
        if (originals().containsKey(PSEUDONYMISE_CONFIG) && pseudonymise()) {
            return PSEUDONYMISE_CONFIG + "=true";
        }
        return requiredBy(env);
    }

    public boolean pseudonymise() {
        return getBoolean(PSEUDONYMISE_CONFIG);
    }

    public String pseudonymKeyFile() {
        return getString(PSEUDONYM_KEY_FILE_CONFIG);
    }

    public String secretFile(WebhookSource source) {
        return getString(secretFileConfig(source));
    }

    public String secretsDir(WebhookSource source) {
        return getString(secretsDirConfig(source));
    }

    public boolean platformSecretAnyCommunity() {
        return getBoolean(ANY_COMMUNITY_CONFIG);
    }

    /** Platform key to community for {@code source}. */
    public Map<String, String> communities(WebhookSource source) {
        String setting = communitiesConfig(source);
        Map<String, String> map = new HashMap<>();
        for (String pair : getList(setting)) {
            int eq = pair.lastIndexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new ConfigException(setting, pair, "entries are <key>=<community>");
            }
            String community = pair.substring(eq + 1).strip();
            requireCommunityId(setting, community);
            map.put(pair.substring(0, eq).strip(), community);
        }
        return map;
    }
}
