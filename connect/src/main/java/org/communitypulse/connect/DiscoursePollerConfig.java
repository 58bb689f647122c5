package org.communitypulse.connect;

import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.ingest.discourse.DiscourseApiClient;

/** Configuration of {@link DiscoursePollerSourceConnector}. */
public final class DiscoursePollerConfig extends ApiPollerConfig {

    public static final String URL_CONFIG = "discourse.url";
    public static final String URL_DOC = "The forum's base URL, e.g. https://forum.example.org.";

    public static final String API_KEY_CONFIG = "discourse.api.key";
    public static final String API_KEY_DOC = "Discourse API key (sent as the Api-Key header, never logged); "
            + "best given through a config provider, e.g. ${file:/secrets/discourse.properties:key}.";

    public static final String API_USERNAME_CONFIG = "discourse.api.username";
    public static final String API_USERNAME_DOC = "User the key acts as (Api-Username).";
    public static final String API_USERNAME_DEFAULT = "system";

    public static final String POLL_INTERVAL_MS_DOC = "Time between two reads of the forum's latest posts.";
    public static final long POLL_INTERVAL_MS_DEFAULT = 60_000;

    public static final String START_AFTER_POST_ID_CONFIG = "discourse.start.after.post.id";
    public static final String START_AFTER_POST_ID_DOC = "On the very first start (no offset yet), publish only "
            + "posts with a greater id; 0 reads the whole forum back (held in memory until published: for a big "
            + "forum, import its history with pulse import discourse --url and start after its newest post).";

    public static final String MAX_RETRIES_CONFIG = "discourse.max.retries";
    public static final String MAX_RETRIES_DOC = "Retries of one request after HTTP 429 (waiting Retry-After), "
            + "502/503/504 or a network failure (backing off 1 s doubling to 60 s); then the poll is given up "
            + "and tried again at the next interval.";

    public static final String FOLLOW_USERS_CONFIG = "discourse.follow.users";
    public static final String FOLLOW_USERS_DOC = "Also publish new members (MEMBER_JOINED at their created_at, as "
            + "the user_created webhook) from /admin/users/list/active.json, newest first down to the last "
            + "published user; needs an admin API key (a 403 fails the task with this hint).";

    public static final String FOLLOW_LIKES_CONFIG = "discourse.follow.likes";
    public static final String FOLLOW_LIKES_DOC = "Also publish likes (REACTION_ADDED): for each post on the pages "
            + "a poll reads whose like count grew, one request to /post_action_users.json. Dated when read, as the "
            + "webhook dates them when received.";

    public static final String COUNTS_DAYS_CONFIG = "discourse.counts.days";
    public static final String COUNTS_DAYS_DOC = "Days (today included) whose running count of threads and replies "
            + "is kept in the source offset and published on <prefix>platform.counts; a post created before them "
            + "that appears later starts its day's count afresh.";
    public static final int COUNTS_DAYS_DEFAULT = 35;

    public static final String RECONCILE_ONLY_DOC = "Reconcile-only mode: each poll re-reads /posts.json back to "
            + "00:00 UTC of the first of the last reconcile.days days and publishes, for each day of that window, the "
            + "threads and replies the forum lists (counted with the same mapping as the events) on "
            + "<prefix>platform.counts, and no activity events. No cursor: every poll is a full recount, under its own "
            + "source partition, so it never moves the catch-up connector's position. Run it beside the catch-up "
            + "connector of the same forum, on a longer interval, to see gaps the webhooks left while they are open.";

    public static final String RECONCILE_DAYS_DOC = "Reconcile-only mode: UTC days (today included) recounted at "
            + "each poll.";

    public static final ConfigDef CONFIG_DEF = defineReconcile(baseConfigDef()
            .define(URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, DiscoursePollerConfig::httpUrl,
                    Importance.HIGH, URL_DOC)
            .define(API_KEY_CONFIG, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, API_KEY_DOC)
            .define(API_USERNAME_CONFIG, Type.STRING, API_USERNAME_DEFAULT, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, API_USERNAME_DOC)
            .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, POLL_INTERVAL_MS_DEFAULT, ConfigDef.Range.atLeast(100),
                    Importance.MEDIUM, POLL_INTERVAL_MS_DOC)
            .define(START_AFTER_POST_ID_CONFIG, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    START_AFTER_POST_ID_DOC)
            .define(MAX_RETRIES_CONFIG, Type.INT, DiscourseApiClient.Settings.DEFAULT_MAX_RETRIES,
                    ConfigDef.Range.between(0, 100), Importance.LOW, MAX_RETRIES_DOC)
            .define(FOLLOW_USERS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, FOLLOW_USERS_DOC)
            .define(FOLLOW_LIKES_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, FOLLOW_LIKES_DOC)
            .define(COUNTS_DAYS_CONFIG, Type.INT, COUNTS_DAYS_DEFAULT, ConfigDef.Range.between(1, 366),
                    Importance.LOW, COUNTS_DAYS_DOC),
            RECONCILE_ONLY_DOC, ConfigDef.Range.atLeast(1), Importance.LOW, RECONCILE_DAYS_DOC);

    public DiscoursePollerConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    public URI url() {
        return URI.create(getString(URL_CONFIG).trim());
    }

    public long startAfterPostId() {
        return getLong(START_AFTER_POST_ID_CONFIG);
    }

    public boolean followUsers() {
        return getBoolean(FOLLOW_USERS_CONFIG);
    }

    public boolean followLikes() {
        return getBoolean(FOLLOW_LIKES_CONFIG);
    }

    public int countsDays() {
        return getInt(COUNTS_DAYS_CONFIG);
    }

    /** Client settings; the key stays in the Password until here. */
    public DiscourseApiClient.Settings apiSettings() {
        return clientSettings(() -> new DiscourseApiClient.Settings(url(), getPassword(API_KEY_CONFIG).value(),
                getString(API_USERNAME_CONFIG), DiscourseApiClient.Settings.DEFAULT_REQUEST_TIMEOUT,
                getInt(MAX_RETRIES_CONFIG), DiscourseApiClient.Settings.DEFAULT_INITIAL_BACKOFF,
                DiscourseApiClient.Settings.DEFAULT_MAX_BACKOFF));
    }
}
