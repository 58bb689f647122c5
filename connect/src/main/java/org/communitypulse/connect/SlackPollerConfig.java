package org.communitypulse.connect;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.ingest.slack.SlackApiClient;

/** Configuration of {@link SlackPollerSourceConnector}. */
public final class SlackPollerConfig extends ApiPollerConfig {

    public static final String API_URL_CONFIG = "slack.api.url";
    public static final String API_URL_DOC = "Base URL of Slack's Web API (methods are appended to it).";
    public static final String API_URL_DEFAULT = SlackApiClient.DEFAULT_BASE;

    public static final String TOKEN_CONFIG = "slack.token";
    public static final String TOKEN_DOC = "Bot (xoxb-) or user (xoxp-) token with channels:history (groups:history "
            + "for private channels) and users:read, sent as Authorization: Bearer and never logged; best given "
            + "through a config provider, e.g. ${file:/secrets/slack.properties:token}.";

    public static final String TOKEN_FILE_CONFIG = "slack.token.file";
    public static final String TOKEN_FILE_DOC = "File holding the token, instead of " + TOKEN_CONFIG + " (not both).";

    public static final String CHANNELS_CONFIG = "slack.channels";
    public static final String CHANNELS_DOC = "Ids of the channels to follow (C..., G... for private ones), comma "
            + "separated; the app must be a member of each (else not_in_channel fails the task).";

    public static final String POLL_INTERVAL_MS_DOC = "Time between the starts of two polls of every channel.";
    public static final long POLL_INTERVAL_MS_DEFAULT = 300_000;

    public static final String LOOKBACK_HOURS_CONFIG = "slack.initial.lookback.hours";
    public static final String LOOKBACK_HOURS_DOC = "On the very first start (no offset yet), read the channels "
            + "back this far; older history is for pulse import slack (an export).";
    public static final int LOOKBACK_HOURS_DEFAULT = 24;

    public static final String THREAD_WINDOW_HOURS_CONFIG = "slack.thread.window.hours";
    public static final String THREAD_WINDOW_HOURS_DOC = "Replies never show in the history, only their "
            + "parent's latest_reply moves: each poll re-reads this much history and reads the new replies of "
            + "every thread there that moved. A reply to a thread started earlier is not caught up (its webhook "
            + "delivery still counts it); the per-day counts cover these days. 0 reads replies of new threads only.";
    public static final int THREAD_WINDOW_HOURS_DEFAULT = 72;

    public static final String MEMBERS_CONFIG = "slack.members.enabled";
    public static final String MEMBERS_DOC = "Also read users.list each poll and publish admin/owner roles and "
            + "deactivations changed since the last read, as the webhook's user_change does (Slack lists no join "
            + "time, so a lost team_join is not recreated).";

    public static final String TIER2_CONFIG = "slack.tier2.calls.per.minute";
    public static final String TIER2_DOC = "Most users.list calls a minute (Slack's Tier 2 allows 20+); the "
            + "client spaces its calls to stay under it and waits Retry-After when Slack still answers 429.";

    public static final String TIER3_CONFIG = "slack.tier3.calls.per.minute";
    public static final String TIER3_DOC = "Most conversations.history and conversations.replies calls a minute, "
            + "each (Slack's Tier 3 allows 50+; apps outside the Marketplace may get far less: lower it then).";

    public static final String MAX_RETRIES_CONFIG = "slack.max.retries";
    public static final String MAX_RETRIES_DOC = "Retries of one call after HTTP 429 or ratelimited (waiting "
            + "Retry-After), a 5xx, internal_error or a network failure (backing off 1 s doubling to 60 s); then "
            + "the poll is given up and tried again at the next interval. invalid_auth, missing_scope, "
            + "not_in_channel and channel_not_found fail the task at once.";

    public static final String RECONCILE_ONLY_DOC = "Reconcile-only mode: publish no events, only one "
            + "PlatformDayCount per UTC day of the last reconcile.days days, recounted in full at each poll "
            + "(history and the replies of the threads started in that window) with no cursor, so the "
            + "reconciliation sees gaps the webhooks left; run it beside the catch-up connector, on a longer "
            + "interval.";

    public static final String RECONCILE_DAYS_DOC = "Reconcile-only mode: how many UTC days (today included, from "
            + "00:00 UTC of the first) each poll recounts.";

    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");

    public static final ConfigDef CONFIG_DEF = defineReconcile(baseConfigDef()
            .define(API_URL_CONFIG, Type.STRING, API_URL_DEFAULT, SlackPollerConfig::httpUrl, Importance.LOW,
                    API_URL_DOC)
            .define(TOKEN_CONFIG, Type.PASSWORD, "", Importance.HIGH, TOKEN_DOC)
            .define(TOKEN_FILE_CONFIG, Type.STRING, "", Importance.HIGH, TOKEN_FILE_DOC)
            .define(CHANNELS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, SlackPollerConfig::channels,
                    Importance.HIGH, CHANNELS_DOC)
            .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, POLL_INTERVAL_MS_DEFAULT, ConfigDef.Range.atLeast(100),
                    Importance.MEDIUM, POLL_INTERVAL_MS_DOC)
            .define(LOOKBACK_HOURS_CONFIG, Type.INT, LOOKBACK_HOURS_DEFAULT, ConfigDef.Range.between(0, 24 * 365),
                    Importance.MEDIUM, LOOKBACK_HOURS_DOC)
            .define(THREAD_WINDOW_HOURS_CONFIG, Type.INT, THREAD_WINDOW_HOURS_DEFAULT,
                    ConfigDef.Range.between(0, 24 * 90), Importance.MEDIUM, THREAD_WINDOW_HOURS_DOC)
            .define(MEMBERS_CONFIG, Type.BOOLEAN, true, Importance.LOW, MEMBERS_DOC)
            .define(TIER2_CONFIG, Type.INT, SlackApiClient.Settings.DEFAULT_TIER2_PER_MINUTE,
                    ConfigDef.Range.between(1, 6000), Importance.LOW, TIER2_DOC)
            .define(TIER3_CONFIG, Type.INT, SlackApiClient.Settings.DEFAULT_TIER3_PER_MINUTE,
                    ConfigDef.Range.between(1, 6000), Importance.LOW, TIER3_DOC)
            .define(MAX_RETRIES_CONFIG, Type.INT, SlackApiClient.Settings.DEFAULT_MAX_RETRIES,
                    ConfigDef.Range.between(0, 100), Importance.LOW, MAX_RETRIES_DOC),
            RECONCILE_ONLY_DOC, ConfigDef.Range.between(1, 366), Importance.MEDIUM, RECONCILE_DAYS_DOC);

    public SlackPollerConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    public URI apiUrl() {
        return URI.create(getString(API_URL_CONFIG).trim());
    }

    public List<String> channels() {
        return getList(CHANNELS_CONFIG).stream().map(String::trim).toList();
    }

    public Duration initialLookback() {
        return Duration.ofHours(getInt(LOOKBACK_HOURS_CONFIG));
    }

    public Duration threadWindow() {
        return Duration.ofHours(getInt(THREAD_WINDOW_HOURS_CONFIG));
    }

    public boolean members() {
        return getBoolean(MEMBERS_CONFIG);
    }

    /**
     * Client settings; the token stays in the Password (or its file) until here.
     *
     * @throws ConfigException when no token, or both, are given, or the file cannot be read (never showing it)
     */
    public SlackApiClient.Settings apiSettings() {
        String token = token(TOKEN_CONFIG, TOKEN_FILE_CONFIG, "Slack");
        return clientSettings(() -> new SlackApiClient.Settings(apiUrl(), token,
                SlackApiClient.Settings.DEFAULT_REQUEST_TIMEOUT,
                getInt(MAX_RETRIES_CONFIG), SlackApiClient.Settings.DEFAULT_INITIAL_BACKOFF,
                SlackApiClient.Settings.DEFAULT_MAX_BACKOFF, getInt(TIER2_CONFIG), getInt(TIER3_CONFIG)));
    }

    private static void channels(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> channels = (List<String>) value;
        if (channels == null || channels.isEmpty()) {
            throw new ConfigException(name, value, "at least one channel id is required");
        }
        for (String channel : channels) {
            if (!CHANNEL_ID.matcher(channel.trim()).matches()) {
                throw new ConfigException(name, channel, "not a Slack channel id (e.g. C0123ABCD; names such as "
                        + "#general are not accepted)");
            }
        }
    }
}
