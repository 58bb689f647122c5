package org.communitypulse.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.registry.RestSchemaRegistryClient;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.http.AccessTokens;
import org.communitypulse.streams.http.HttpSettings;
import org.communitypulse.streams.http.HttpTokenFiles;
import org.communitypulse.streams.maturity.MaturityRules;
import org.communitypulse.streams.roles.RoleAlertSettings;
import org.communitypulse.streams.roles.RolesModel;

/**
 * Configuration of the Community Pulse Streams application.
 *
 * <p>Only what the pipeline itself decides lives here; everything Kafka Streams offers can still
 * be passed through with the {@code streams.} prefix (e.g. {@code streams.num.stream.threads=2}).
 */
public final class PulseStreamsConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers, host:port[,host:port].";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC =
            "Base URL of a Confluent-compatible schema registry (Confluent's, or Apicurio's /apis/ccompat/v7).";

    public static final String SCHEMA_REGISTRY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
    public static final String SCHEMA_REGISTRY_USER_INFO_DOC = "user:password for HTTP basic authentication at the "
            + "schema registry; empty for none. pulse streams also reads it from a file named by "
            + "PULSE_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE.";

    public static final String SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG = "schema.registry.bearer.auth.token";
    public static final String SCHEMA_REGISTRY_BEARER_TOKEN_DOC = "Bearer token for the schema registry (instead of "
            + "basic authentication); empty for none. Also from a file named by PULSE_SCHEMA_REGISTRY_BEARER_AUTH_TOKEN_FILE.";

    public static final String APPLICATION_ID_CONFIG = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String APPLICATION_ID_DOC =
            "Streams application id: consumer group, prefix of internal topics. Instances sharing it share the work.";
    public static final String APPLICATION_ID_DEFAULT = "community-pulse";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prefix of every pipeline topic name.";

    public static final String STATE_DIR_CONFIG = StreamsConfig.STATE_DIR_CONFIG;
    public static final String STATE_DIR_DOC =
            "Directory of local state stores (RocksDB); rebuilt from changelogs if lost.";

    public static final String LATENESS_HORIZON_CONFIG = "lateness.horizon.ms";
    public static final String LATENESS_HORIZON_DOC =
            "An event whose occurredAt is more than this far behind the newest event seen on its partition goes to "
                    + "the late-events topic instead of the metrics. -1 (default) accepts any lateness, which "
                    + "replaying a history out of order needs. The deduplication store keeps every event id whatever "
                    + "the horizon: a source may repeat an id at a later time.";

    public static final String MAX_FUTURE_SKEW_CONFIG = "max.future.skew.ms";
    public static final String MAX_FUTURE_SKEW_DOC =
            "Events stamped further than this in the future (source clock skew) are dead-lettered as INVALID_TIMESTAMP.";

    public static final String COMMIT_INTERVAL_CONFIG = StreamsConfig.COMMIT_INTERVAL_MS_CONFIG;
    public static final String COMMIT_INTERVAL_DOC =
            "How often results are committed. Exactly-once output becomes visible to read_committed readers at commit.";

    public static final String NUM_STANDBY_REPLICAS_CONFIG = StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG;
    public static final String NUM_STANDBY_REPLICAS_DOC =
            "Warm copies of each state store on other instances, for fast failover.";

    public static final String PARTITIONS_CONFIG = "topic.partitions";
    public static final String PARTITIONS_DOC = "Partitions of the pipeline topics when this application creates them.";

    public static final String TOPIC_MAX_COMPACTION_LAG_CONFIG = "topic.max.compaction.lag.ms";
    public static final String TOPIC_MAX_COMPACTION_LAG_DOC =
            "max.compaction.lag.ms of the compacted (metric, identity, roles) topics: an erased member's values are "
                    + "physically gone this long after their tombstone at the latest (while the partition gets "
                    + "writes). Set on creation and on every start (docs/identity.md).";

    public static final String TOPIC_RETENTION_CONFIG = "topic.retention.ms";
    public static final String TOPIC_RETENTION_DOC =
            "retention.ms of the non-compacted topics (activity, its dead letters and late events, erasure requests, "
                    + "alerts, violations, platform counts): they cannot be rewritten, so an erased member's raw "
                    + "events are gone only after this (plus one segment, at most a day). Set on creation and on "
                    + "every start.";

    public static final String METRICS_EMIT_INTERVAL_CONFIG = "metrics.emit.interval.ms";
    public static final String METRICS_EMIT_INTERVAL_DOC =
            "How often (wall-clock) the metric records of the periods that changed are recomputed and emitted. "
                    + "Shorter: fresher dashboards; longer: fewer records when events arrive in bursts.";

    public static final String STAFF_ROLES_CONFIG = "staff.roles";
    public static final String STAFF_ROLES_DOC =
            "Roles or levels (ROLE_GRANTED/ROLE_REVOKED attributes.role or attributes.level, case-insensitive) whose "
                    + "holders are staff, not peers, in the peer-support metrics. Empty (the default): the roles and "
                    + "levels that roles.config.file marks staff, and its platform_staff_roles (see docs/roles.md); "
                    + "a list replaces that set.";
    public static final String STAFF_ROLES_DEFAULT = "";

    public static final String ROLES_CONFIG_FILE_CONFIG = "roles.config.file";
    public static final String ROLES_CONFIG_FILE_DOC =
            "YAML file with the organisation's team roles, access levels, key roles and rules (see docs/roles.md); "
                    + RolesModel.BUILT_IN + " is the documented default shipped with the pipeline.";
    public static final String MATURITY_CONFIG_FILE_CONFIG = "maturity.config.file";
    public static final String MATURITY_CONFIG_FILE_DOC =
            "YAML file with the maturity scorecard's rules (signals and thresholds per competency), declared goals, "
                    + "programmed-content attributes and the health score's weights and state thresholds (see "
                    + "docs/maturity.md); " + MaturityRules.BUILT_IN + " is the documented default shipped with the "
                    + "pipeline.";

    public static final String STATE_CACHE_ENTRIES_CONFIG = "state.object.cache.entries";
    public static final String STATE_CACHE_ENTRIES_DOC = "Entries kept as objects between commits, per store and "
            + "stream task (least recently used are written down first): the intake's event ids (deduplication), "
            + "the engagement fold's days, members, threads and cohorts, the roles family's community histories (and "
            + "four times as many activity entries), the maturity family's spans, weeks and marks, the identity "
            + "store and the reconciliation's counts and marks. Bigger saves re-reading and re-serialising busy "
            + "entries on every event; each entry "
            + "costs its size in heap (a day of a busy community is the largest, a few KB).";
    public static final String CONTRIBUTOR_MIN_CONFIG = "member.level.contributor.min";
    public static final String CONTRIBUTOR_MIN_DOC = "Contributions over 28 days from which a member is a CONTRIBUTOR.";

    public static final String CHAMPION_MIN_CONFIG = "member.level.champion.min";
    public static final String CHAMPION_MIN_DOC = "Contributions over 28 days from which a member is a CHAMPION.";

    public static final String ALERT_WALL_CLOCK_CONFIG = "alert.wall.clock";
    public static final String ALERT_WALL_CLOCK_DOC =
            "Advance the alert clock with wall-clock time as well as event time, so silence is "
                    + "detected when no event arrives. Replays turn it off: their clock is the events' time.";

    public static final String ALERT_SILENCE_DAYS_CONFIG = "alert.silence.days";
    public static final String ALERT_SILENCE_DAYS_DOC =
            "NO_ACTIVITY fires when a community had no thread or reply for this many complete "
                    + "days.";

    public static final String ALERT_BASELINE_RATIO_CONFIG = "alert.baseline.ratio";
    public static final String ALERT_BASELINE_RATIO_DOC =
            "BELOW_BASELINE fires when a day's threads and replies fall under this share of the "
                    + "same weekday's mean over the previous four weeks.";

    public static final String ALERT_BASELINE_RECOVER_RATIO_CONFIG = "alert.baseline.recover.ratio";
    public static final String ALERT_BASELINE_RECOVER_RATIO_DOC =
            "BELOW_BASELINE resolves once a day reaches this share of its baseline.";

    public static final String ALERT_BASELINE_MIN_CONFIG = "alert.baseline.min";
    public static final String ALERT_BASELINE_MIN_DOC =
            "BELOW_BASELINE is only judged when the baseline is at least this many threads and "
                    + "replies a day.";

    public static final String ALERT_RESPONSE_SHARE_MIN_CONFIG = "alert.response.share24h.min";
    public static final String ALERT_RESPONSE_SHARE_MIN_DOC =
            "SLOW_FIRST_RESPONSE fires when under this share of the threads started in the "
                    + "previous 7 days got a first response within 24 h (the median first response is then "
                    + "over 24 h).";

    public static final String ALERT_RESPONSE_RECOVER_SHARE_CONFIG = "alert.response.share24h.recover";
    public static final String ALERT_RESPONSE_RECOVER_SHARE_DOC =
            "SLOW_FIRST_RESPONSE resolves once the share reaches this.";

    public static final String ALERT_RESPONSE_MIN_THREADS_CONFIG = "alert.response.min.threads";
    public static final String ALERT_RESPONSE_MIN_THREADS_DOC =
            "SLOW_FIRST_RESPONSE is only judged on weeks with at least this many new threads.";

    public static final String ALERT_BACKLOG_MAX_CONFIG = "alert.backlog.max";
    public static final String ALERT_BACKLOG_MAX_DOC =
            "BACKLOG_GROWING fires when this many threads started in the last 28 days still have "
                    + "no response.";

    public static final String ALERT_BACKLOG_RECOVER_CONFIG = "alert.backlog.recover";
    public static final String ALERT_BACKLOG_RECOVER_DOC =
            "BACKLOG_GROWING resolves when the open backlog is at or below this.";

    public static final String ALERT_FIRE_AFTER_DAYS_CONFIG = "alert.fire.after.days";
    public static final String ALERT_FIRE_AFTER_DAYS_DOC =
            "Consecutive days a condition must hold before its alert fires.";

    public static final String ALERT_RESOLVE_AFTER_DAYS_CONFIG = "alert.resolve.after.days";
    public static final String ALERT_RESOLVE_AFTER_DAYS_DOC =
            "Consecutive recovered days before a firing alert resolves (hysteresis).";

    public static final String ALERT_BASELINE_FIRE_AFTER_DAYS_CONFIG = "alert.baseline.fire.after.days";
    public static final String ALERT_BASELINE_FIRE_AFTER_DAYS_DOC =
            "Consecutive days activity must stay under alert.baseline.ratio x the baseline before BELOW_BASELINE "
                    + "fires (instead of alert.fire.after.days): one quiet day of a busy community is noise.";

    public static final String ALERT_REBASELINE_WEEKS_CONFIG = "alert.rebaseline.weeks";
    public static final String ALERT_REBASELINE_WEEKS_DOC =
            "A firing BELOW_BASELINE, BACKLOG_GROWING or SLOW_FIRST_RESPONSE alert whose weekly value has been steady "
                    + "for this many weeks, all since it fired, is resolved as REBASELINED: the community's new level "
                    + "becomes its normal.";

    public static final String ALERT_REBASELINE_SPREAD_CONFIG = "alert.rebaseline.spread";
    public static final String ALERT_REBASELINE_SPREAD_DOC =
            "Steady: every weekly value within this share of the weeks' mean (for counts, or within 2 x sqrt(mean), "
                    + "whichever is wider).";

    public static final String ALERT_REBASELINE_MAX_WEEKS_CONFIG = "alert.rebaseline.max.weeks";
    public static final String ALERT_REBASELINE_MAX_WEEKS_DOC =
            "An alert firing this many weeks is re-baselined whatever the spread (never into silence): the longest "
                    + "lifetime of BELOW_BASELINE, BACKLOG_GROWING, SLOW_FIRST_RESPONSE and ACTIVITY_DECLINING.";

    public static final String ALERT_REJUDGE_HORIZON_DAYS_CONFIG = "alert.rejudge.horizon.days";
    public static final String ALERT_REJUDGE_HORIZON_DAYS_DOC =
            "Live convergence: a thread or reply (for the role alerts: a role, training or policy event, or a role "
                    + "holder's activity) that arrives for a day the alerts have already judged, at most this many days "
                    + "before the latest judged day, has the community's days judged again from it at the next "
                    + "emission; where the verdict changes, correcting records are written (a RESOLVED with "
                    + "resolvedBy=CORRECTED for an alert that should not be firing, the FIRING of one that should). "
                    + "Costs one small snapshot of the community's alert state per judged day within the horizon. "
                    + "Older late events change the metrics, not the alerts. 0: a decision once written stands.";

    public static final String ALERT_TREND_WEEKS_CONFIG = "alert.trend.weeks";
    public static final String ALERT_TREND_WEEKS_DOC =
            "ACTIVITY_DECLINING (early warning): the least-squares line is fitted to the weekly threads and replies "
                    + "of this many weeks, the last ending on the judged day.";

    public static final String ALERT_TREND_HORIZON_DAYS_CONFIG = "alert.trend.horizon.days";
    public static final String ALERT_TREND_HORIZON_DAYS_DOC =
            "ACTIVITY_DECLINING fires when the fitted line, read this many days after the judged day, is at or under "
                    + "the stall threshold (and falls significantly).";

    public static final String ALERT_TREND_MIN_WEEKLY_CONFIG = "alert.trend.min.weekly";
    public static final String ALERT_TREND_MIN_WEEKLY_DOC =
            "ACTIVITY_DECLINING is only judged when the weeks' mean activity is at least this many threads and "
                    + "replies a week.";

    public static final String ALERT_TREND_STALL_RATIO_CONFIG = "alert.trend.stall.ratio";
    public static final String ALERT_TREND_STALL_RATIO_DOC =
            "ACTIVITY_DECLINING's stall threshold: this share of the line's fitted level of the oldest week.";

    public static final String ALERT_TREND_RECOVER_RATIO_CONFIG = "alert.trend.recover.ratio";
    public static final String ALERT_TREND_RECOVER_RATIO_DOC =
            "ACTIVITY_DECLINING resolves once the forecast is back at or above this share of the line's fitted level "
                    + "of the oldest week (or the weeks are no longer judged).";

    public static final String ALERT_ROLE_VACANT_GRACE_DAYS_CONFIG = "alert.role.vacant.grace.days";
    public static final String ALERT_ROLE_VACANT_GRACE_DAYS_DOC =
            "REQUIRED_ROLE_VACANT fires once a required role (roles.config.file) has had no active holder for this "
                    + "many days.";

    public static final String ALERT_VIOLATION_OPEN_DAYS_CONFIG = "alert.violation.open.days";
    public static final String ALERT_VIOLATION_OPEN_DAYS_DOC =
            "VIOLATION_OPEN_TOO_LONG fires once a policy violation (other than required-role-vacant) has been "
                    + "open for this many days.";

    public static final String ALERT_HEALTH_RESOLVE_AFTER_WEEKS_CONFIG = "alert.health.resolve.after.weeks";
    public static final String ALERT_HEALTH_RESOLVE_AFTER_WEEKS_DOC =
            "HEALTH_AT_RISK (health state AT_RISK or STALLED for a completed ISO week) resolves after this many "
                    + "consecutive completed weeks that are HEALTHY or THRIVING (hysteresis).";
    public static final int DEFAULT_ALERT_HEALTH_RESOLVE_AFTER_WEEKS = 2;

    public static final String HTTP_PORT_CONFIG = "http.port";
    public static final String HTTP_PORT_DOC = "Port of the HTTP server with /metrics (Prometheus), /health and /ready "
            + "(200 only while Kafka Streams is RUNNING). 0 picks a free port; -1 disables the server.";
    public static final int HTTP_PORT_DEFAULT = 7070;
    /** {@value} as {@link #HTTP_PORT_CONFIG}: no HTTP server. */
    public static final int HTTP_PORT_DISABLED = -1;

    public static final String HTTP_ADVERTISED_HOST_CONFIG = "http.advertised.host";
    public static final String HTTP_ADVERTISED_HOST_DOC = "Host name under which the other instances reach this "
            + "instance's HTTP server, to forward dashboard and API requests for communities it holds: Kafka Streams' "
            + "application.server becomes this host and the HTTP port (a pass-through streams.application.server "
            + "wins). Empty: not advertised, so each instance answers only for the communities it holds.";
    public static final String HTTP_ADVERTISED_HOST_DEFAULT = "localhost";

    public static final String HTTP_HOST_CONFIG = "http.host";
    public static final String HTTP_HOST_DOC = "Interface the HTTP server (dashboard, API, /metrics) binds: 127.0.0.1 "
            + "(the default) answers only this machine; 0.0.0.0 every interface (containers, behind a proxy).";

    public static final String HTTP_AUTH_ENABLED_CONFIG = "http.auth.enabled";
    public static final String HTTP_AUTH_ENABLED_DOC = "Require a token for the dashboard and the /api routes. false "
            + "only behind a proxy that authenticates every request itself and is the only way in.";

    public static final String HTTP_READ_TOKEN_CONFIG = "http.read.token";
    public static final String HTTP_READ_TOKEN_DOC = "Token of the read scope (dashboard, aggregate figures), at least "
            + AccessTokens.MIN_LENGTH + " characters. Prefer http.read.token.file or a secret in the environment.";
    public static final String HTTP_READ_TOKEN_FILE_CONFIG = "http.read.token.file";
    public static final String HTTP_READ_TOKEN_FILE_DOC = "File holding the read token (a mounted secret); "
            + "surrounding white space is ignored.";
    public static final String HTTP_ADMIN_TOKEN_CONFIG = "http.admin.token";
    public static final String HTTP_ADMIN_TOKEN_DOC = "Token of the admin scope: the read scope plus per-member data "
            + "(members, roles, violations, alerts). With no token configured at all, an admin token is generated "
            + "into <state.dir>/" + HttpTokenFiles.GENERATED_ADMIN_TOKEN + " (mode 0600) and kept across restarts.";
    public static final String HTTP_ADMIN_TOKEN_FILE_CONFIG = "http.admin.token.file";
    public static final String HTTP_ADMIN_TOKEN_FILE_DOC = "File holding the admin token (a mounted secret); "
            + "surrounding white space is ignored.";

    public static final String HTTP_METRICS_PUBLIC_CONFIG = "http.metrics.public";
    public static final String HTTP_METRICS_PUBLIC_DOC = "/metrics answers without a token and whatever the Host "
            + "header (Prometheus scrapes pods by IP): it holds counters and community ids, no member data. false: "
            + "it needs the read token like the API (Prometheus authorization.credentials_file).";

    public static final String HTTP_ALLOWED_HOSTS_CONFIG = "http.allowed.hosts";
    public static final String HTTP_ALLOWED_HOSTS_DOC = "Host header names accepted besides localhost, 127.0.0.1, ::1, "
            + "http.host and http.advertised.host (the names under which people and proxies reach the server); "
            + "requests naming another host get 421, against DNS rebinding. * accepts any.";

    public static final String HTTP_CORS_ALLOWED_ORIGINS_CONFIG = "http.cors.allowed.origins";
    public static final String HTTP_CORS_ALLOWED_ORIGINS_DOC = "Origins (https://app.example.org) whose pages may "
            + "call the API from a browser with a bearer token. Empty (the default): no CORS headers at all.";

    public static final String HTTP_SSE_MAX_CLIENTS_CONFIG = "http.sse.max.clients";
    public static final String HTTP_SSE_MAX_CLIENTS_DOC = "Live-update (server-sent events) connections at once; "
            + "each holds a connection, so more are answered 503 with Retry-After.";

    public static final String HTTP_IDLE_TIMEOUT_CONFIG = "http.idle.timeout.ms";
    public static final String HTTP_IDLE_TIMEOUT_DOC = "A connection with nothing to read or write for this long "
            + "is closed (slow or stalled clients).";

    public static final String HTTP_MIN_REQUEST_DATA_RATE_CONFIG = "http.min.request.data.rate";
    public static final String HTTP_MIN_REQUEST_DATA_RATE_DOC = "Bytes per second below which a request body "
            + "upload is aborted (clients that trickle a body to hold a thread).";

    /** Prefix of pass-through Kafka Streams settings. */
    public static final String STREAMS_PREFIX = "streams.";

    /**
     * Prefix of the environment variables that set this configuration: {@code PULSE_} and the key in upper case
     * with dots as underscores, e.g. {@code PULSE_TOPIC_PREFIX}; {@code PULSE_STREAMS_NUM_STREAM_THREADS} sets the
     * pass-through {@code streams.num.stream.threads}.
     */
    public static final String ENV_PREFIX = "PULSE_";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(SCHEMA_REGISTRY_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, SCHEMA_REGISTRY_USER_INFO_DOC)
            .define(SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG, Type.PASSWORD, "", Importance.MEDIUM,
                    SCHEMA_REGISTRY_BEARER_TOKEN_DOC)
            .define(APPLICATION_ID_CONFIG, Type.STRING, APPLICATION_ID_DEFAULT, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, APPLICATION_ID_DOC)
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM, TOPIC_PREFIX_DOC)
            .define(STATE_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/community-pulse-streams",
                    Importance.MEDIUM, STATE_DIR_DOC)
            .define(LATENESS_HORIZON_CONFIG, Type.LONG, -1L, Range.atLeast(-1L), Importance.MEDIUM, LATENESS_HORIZON_DOC)
            .define(MAX_FUTURE_SKEW_CONFIG, Type.LONG, Duration.ofDays(1).toMillis(), Range.atLeast(0L),
                    Importance.LOW, MAX_FUTURE_SKEW_DOC)
            .define(COMMIT_INTERVAL_CONFIG, Type.LONG, 100L, Range.atLeast(0L), Importance.MEDIUM, COMMIT_INTERVAL_DOC)
            .define(NUM_STANDBY_REPLICAS_CONFIG, Type.INT, 0, Range.atLeast(0),
                    Importance.LOW, NUM_STANDBY_REPLICAS_DOC)
            .define(PARTITIONS_CONFIG, Type.INT, 3, Range.atLeast(1), Importance.LOW, PARTITIONS_DOC)
            .define(TOPIC_MAX_COMPACTION_LAG_CONFIG, Type.LONG,
                    org.communitypulse.schemas.TopicPolicy.DEFAULT_MAX_COMPACTION_LAG.toMillis(), Range.atLeast(1L),
                    Importance.MEDIUM, TOPIC_MAX_COMPACTION_LAG_DOC)
            .define(TOPIC_RETENTION_CONFIG, Type.LONG, org.communitypulse.schemas.TopicPolicy.DEFAULT_RETENTION.toMillis(),
                    Range.atLeast(1L), Importance.MEDIUM, TOPIC_RETENTION_DOC)
            .define(METRICS_EMIT_INTERVAL_CONFIG, Type.LONG, 1000L, Range.atLeast(10L), Importance.MEDIUM,
                    METRICS_EMIT_INTERVAL_DOC)
            .define(STAFF_ROLES_CONFIG, Type.LIST, STAFF_ROLES_DEFAULT, Importance.MEDIUM, STAFF_ROLES_DOC)
            .define(ROLES_CONFIG_FILE_CONFIG, Type.STRING, RolesModel.BUILT_IN, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, ROLES_CONFIG_FILE_DOC)
            .define(MATURITY_CONFIG_FILE_CONFIG, Type.STRING, MaturityRules.BUILT_IN, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, MATURITY_CONFIG_FILE_DOC)
            .define(STATE_CACHE_ENTRIES_CONFIG, Type.INT, EngagementSettings.DEFAULT_STATE_CACHE_ENTRIES,
                    Range.atLeast(1), Importance.LOW, STATE_CACHE_ENTRIES_DOC)
            .define(CONTRIBUTOR_MIN_CONFIG, Type.INT, EngagementSettings.DEFAULT_CONTRIBUTOR_MIN, Range.atLeast(1),
                    Importance.LOW, CONTRIBUTOR_MIN_DOC)
            .define(CHAMPION_MIN_CONFIG, Type.INT, EngagementSettings.DEFAULT_CHAMPION_MIN, Range.atLeast(1),
                    Importance.LOW, CHAMPION_MIN_DOC)
            .define(ALERT_WALL_CLOCK_CONFIG, Type.BOOLEAN, true, Importance.LOW, ALERT_WALL_CLOCK_DOC)
            .define(ALERT_SILENCE_DAYS_CONFIG, Type.INT, 3, Range.atLeast(1), Importance.LOW, ALERT_SILENCE_DAYS_DOC)
            .define(ALERT_BASELINE_RATIO_CONFIG, Type.DOUBLE, 0.3, Range.between(0.0, 1.0),
                    Importance.LOW, ALERT_BASELINE_RATIO_DOC)
            .define(ALERT_BASELINE_RECOVER_RATIO_CONFIG, Type.DOUBLE, 0.6, Range.between(0.0, 10.0),
                    Importance.LOW, ALERT_BASELINE_RECOVER_RATIO_DOC)
            .define(ALERT_BASELINE_MIN_CONFIG, Type.DOUBLE, 5.0, Range.atLeast(0.0),
                    Importance.LOW, ALERT_BASELINE_MIN_DOC)
            .define(ALERT_RESPONSE_SHARE_MIN_CONFIG, Type.DOUBLE, 0.5, Range.between(0.0, 1.0),
                    Importance.LOW, ALERT_RESPONSE_SHARE_MIN_DOC)
            .define(ALERT_RESPONSE_RECOVER_SHARE_CONFIG, Type.DOUBLE, 0.6, Range.between(0.0, 1.0),
                    Importance.LOW, ALERT_RESPONSE_RECOVER_SHARE_DOC)
            .define(ALERT_RESPONSE_MIN_THREADS_CONFIG, Type.INT, 5, Range.atLeast(1),
                    Importance.LOW, ALERT_RESPONSE_MIN_THREADS_DOC)
            .define(ALERT_BACKLOG_MAX_CONFIG, Type.INT, 10, Range.atLeast(1), Importance.LOW, ALERT_BACKLOG_MAX_DOC)
            .define(ALERT_BACKLOG_RECOVER_CONFIG, Type.INT, 7, Range.atLeast(0),
                    Importance.LOW, ALERT_BACKLOG_RECOVER_DOC)
            .define(ALERT_FIRE_AFTER_DAYS_CONFIG, Type.INT, 1, Range.atLeast(1),
                    Importance.LOW, ALERT_FIRE_AFTER_DAYS_DOC)
            .define(ALERT_RESOLVE_AFTER_DAYS_CONFIG, Type.INT, 2, Range.atLeast(1),
                    Importance.LOW, ALERT_RESOLVE_AFTER_DAYS_DOC)
            .define(ALERT_BASELINE_FIRE_AFTER_DAYS_CONFIG, Type.INT, AlertSettings.DEFAULT_BASELINE_FIRE_AFTER_DAYS,
                    Range.atLeast(1), Importance.LOW, ALERT_BASELINE_FIRE_AFTER_DAYS_DOC)
            .define(ALERT_REBASELINE_WEEKS_CONFIG, Type.INT, AlertSettings.DEFAULT_REBASELINE_WEEKS, Range.between(1, 52),
                    Importance.LOW, ALERT_REBASELINE_WEEKS_DOC)
            .define(ALERT_REBASELINE_SPREAD_CONFIG, Type.DOUBLE, AlertSettings.DEFAULT_REBASELINE_SPREAD,
                    Range.between(0, 1), Importance.LOW, ALERT_REBASELINE_SPREAD_DOC)
            .define(ALERT_REBASELINE_MAX_WEEKS_CONFIG, Type.INT, AlertSettings.DEFAULT_REBASELINE_MAX_WEEKS,
                    Range.between(1, 520), Importance.LOW, ALERT_REBASELINE_MAX_WEEKS_DOC)
            .define(ALERT_REJUDGE_HORIZON_DAYS_CONFIG, Type.INT, AlertSettings.DEFAULT_REJUDGE_HORIZON_DAYS,
                    Range.between(0, 366), Importance.LOW, ALERT_REJUDGE_HORIZON_DAYS_DOC)
            .define(ALERT_TREND_WEEKS_CONFIG, Type.INT, AlertSettings.Trend.defaults().weeks(), Range.between(3, 52),
                    Importance.LOW, ALERT_TREND_WEEKS_DOC)
            .define(ALERT_TREND_HORIZON_DAYS_CONFIG, Type.INT, AlertSettings.Trend.defaults().horizonDays(),
                    Range.between(0, 365), Importance.LOW, ALERT_TREND_HORIZON_DAYS_DOC)
            .define(ALERT_TREND_MIN_WEEKLY_CONFIG, Type.DOUBLE, AlertSettings.Trend.defaults().minWeekly(),
                    Range.atLeast(0), Importance.LOW, ALERT_TREND_MIN_WEEKLY_DOC)
            .define(ALERT_TREND_STALL_RATIO_CONFIG, Type.DOUBLE, AlertSettings.Trend.defaults().stallRatio(),
                    Range.between(0, 1), Importance.LOW, ALERT_TREND_STALL_RATIO_DOC)
            .define(ALERT_TREND_RECOVER_RATIO_CONFIG, Type.DOUBLE, AlertSettings.Trend.defaults().recoverRatio(),
                    Range.between(0, 1), Importance.LOW, ALERT_TREND_RECOVER_RATIO_DOC)
            .define(ALERT_ROLE_VACANT_GRACE_DAYS_CONFIG, Type.INT, RoleAlertSettings.DEFAULT_VACANT_GRACE_DAYS,
                    Range.atLeast(0), Importance.LOW, ALERT_ROLE_VACANT_GRACE_DAYS_DOC)
            .define(ALERT_VIOLATION_OPEN_DAYS_CONFIG, Type.INT, RoleAlertSettings.DEFAULT_VIOLATION_OPEN_DAYS,
                    Range.atLeast(0), Importance.LOW, ALERT_VIOLATION_OPEN_DAYS_DOC)
            .define(ALERT_HEALTH_RESOLVE_AFTER_WEEKS_CONFIG, Type.INT, DEFAULT_ALERT_HEALTH_RESOLVE_AFTER_WEEKS,
                    Range.atLeast(1), Importance.LOW, ALERT_HEALTH_RESOLVE_AFTER_WEEKS_DOC)
            .define(HTTP_PORT_CONFIG, Type.INT, HTTP_PORT_DEFAULT, Range.between(HTTP_PORT_DISABLED, 65_535),
                    Importance.MEDIUM, HTTP_PORT_DOC)
            .define(HTTP_ADVERTISED_HOST_CONFIG, Type.STRING, HTTP_ADVERTISED_HOST_DEFAULT, Importance.MEDIUM,
                    HTTP_ADVERTISED_HOST_DOC)
            .define(HTTP_HOST_CONFIG, Type.STRING, HttpSettings.DEFAULT_HOST, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, HTTP_HOST_DOC)
            .define(HTTP_AUTH_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH, HTTP_AUTH_ENABLED_DOC)
            .define(HTTP_READ_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, HTTP_READ_TOKEN_DOC)
            .define(HTTP_READ_TOKEN_FILE_CONFIG, Type.STRING, "", Importance.HIGH, HTTP_READ_TOKEN_FILE_DOC)
            .define(HTTP_ADMIN_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, HTTP_ADMIN_TOKEN_DOC)
            .define(HTTP_ADMIN_TOKEN_FILE_CONFIG, Type.STRING, "", Importance.HIGH, HTTP_ADMIN_TOKEN_FILE_DOC)
            .define(HTTP_METRICS_PUBLIC_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, HTTP_METRICS_PUBLIC_DOC)
            .define(HTTP_ALLOWED_HOSTS_CONFIG, Type.LIST, "", Importance.MEDIUM, HTTP_ALLOWED_HOSTS_DOC)
            .define(HTTP_CORS_ALLOWED_ORIGINS_CONFIG, Type.LIST, "", Importance.LOW, HTTP_CORS_ALLOWED_ORIGINS_DOC)
            .define(HTTP_SSE_MAX_CLIENTS_CONFIG, Type.INT, HttpSettings.DEFAULT_MAX_SSE_CLIENTS, Range.atLeast(1),
                    Importance.LOW, HTTP_SSE_MAX_CLIENTS_DOC)
            .define(HTTP_IDLE_TIMEOUT_CONFIG, Type.LONG, HttpSettings.DEFAULT_IDLE_TIMEOUT.toMillis(),
                    Range.atLeast(1000L), Importance.LOW, HTTP_IDLE_TIMEOUT_DOC)
            .define(HTTP_MIN_REQUEST_DATA_RATE_CONFIG, Type.LONG, HttpSettings.DEFAULT_MIN_REQUEST_DATA_RATE,
                    Range.atLeast(0L), Importance.LOW, HTTP_MIN_REQUEST_DATA_RATE_DOC);

    public PulseStreamsConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS_CONFIG));
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }

    /** A new client of the schema registry with the configured credentials; the caller closes it. */
    public RestSchemaRegistryClient schemaRegistryClient() {
        return new RestSchemaRegistryClient(java.util.List.of(schemaRegistryUrl().split(",")),
                getPassword(SCHEMA_REGISTRY_USER_INFO_CONFIG).value(),
                getPassword(SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG).value(),
                RestSchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT, RestSchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * The pass-through settings (streams.*, prefix removed) that an admin client understands: security.protocol,
     * sasl.*, ssl.*, ... so that the application's own admin calls reach a secured cluster as Streams does.
     */
    public Map<String, Object> adminClientProperties() {
        Map<String, Object> admin = new HashMap<>();
        originalsWithPrefix(STREAMS_PREFIX).forEach((key, value) -> {
            if (org.apache.kafka.clients.admin.AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        return admin;
    }

    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX_CONFIG);
    }

    /** Empty when any lateness is accepted. */
    public java.util.Optional<Duration> latenessHorizon() {
        long ms = getLong(LATENESS_HORIZON_CONFIG);
        return ms < 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofMillis(ms));
    }

    public Duration maxFutureSkew() {
        return Duration.ofMillis(getLong(MAX_FUTURE_SKEW_CONFIG));
    }

    public Duration metricsEmitInterval() {
        return Duration.ofMillis(getLong(METRICS_EMIT_INTERVAL_CONFIG));
    }

    /** The roles model named by {@code roles.config.file}, loaded and validated. */
    public RolesModel rolesModel() {
        return RolesModel.load(getString(ROLES_CONFIG_FILE_CONFIG));
    }

    /** The maturity rules named by {@code maturity.config.file}, loaded and validated. */
    public MaturityRules maturityRules() {
        return MaturityRules.load(getString(MATURITY_CONFIG_FILE_CONFIG));
    }

    /** {@code staff.roles}, or when it is empty the staff roles and levels of {@link #rolesModel()}. */
    public java.util.Set<String> staffRoles() {
        java.util.List<String> listed = getList(STAFF_ROLES_CONFIG);
        return listed.isEmpty() ? rolesModel().staffIds() : java.util.Set.copyOf(listed);
    }

    public int stateCacheEntries() {
        return getInt(STATE_CACHE_ENTRIES_CONFIG);
    }

    public int contributorMin() {
        return getInt(CONTRIBUTOR_MIN_CONFIG);
    }

    public int championMin() {
        return getInt(CHAMPION_MIN_CONFIG);
    }

    public int topicPartitions() {
        return getInt(PARTITIONS_CONFIG);
    }

    /** The retention and compaction bounds of the pipeline topics (the erasure's physical deadline). */
    public org.communitypulse.schemas.TopicPolicy topicPolicy() {
        return new org.communitypulse.schemas.TopicPolicy(Duration.ofMillis(getLong(TOPIC_MAX_COMPACTION_LAG_CONFIG)),
                Duration.ofMillis(getLong(TOPIC_RETENTION_CONFIG)));
    }

    /** Empty when the HTTP server is disabled; 0 means any free port. */
    public java.util.OptionalInt httpPort() {
        int port = getInt(HTTP_PORT_CONFIG);
        return port == HTTP_PORT_DISABLED ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
    }

    /** Empty when not advertised. */
    public java.util.Optional<String> httpAdvertisedHost() {
        String host = getString(HTTP_ADVERTISED_HOST_CONFIG);
        return host == null || host.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(host.trim());
    }

    /**
     * The HTTP server's settings with {@code tokens} (from {@link #httpTokens()} or generated); {@code port} is
     * the port to bind (http.port with 0 resolved).
     */
    public HttpSettings httpSettings(int port, java.util.Optional<AccessTokens> tokens) {
        return new HttpSettings(getString(HTTP_HOST_CONFIG).trim(), port, tokens,
                getBoolean(HTTP_METRICS_PUBLIC_CONFIG), java.util.Set.copyOf(getList(HTTP_ALLOWED_HOSTS_CONFIG)),
                getList(HTTP_CORS_ALLOWED_ORIGINS_CONFIG), getInt(HTTP_SSE_MAX_CLIENTS_CONFIG),
                Duration.ofMillis(getLong(HTTP_IDLE_TIMEOUT_CONFIG)), getLong(HTTP_MIN_REQUEST_DATA_RATE_CONFIG));
    }

    public boolean httpAuthEnabled() {
        return getBoolean(HTTP_AUTH_ENABLED_CONFIG);
    }

    /**
     * The configured tokens (value or file); empty when none is configured.
     *
     * @throws ConfigException when a token is given both as value and as file, a file cannot be read, or a token
     *                         is too short
     */
    public java.util.Optional<AccessTokens> httpTokens() {
        String read = token(HTTP_READ_TOKEN_CONFIG, HTTP_READ_TOKEN_FILE_CONFIG);
        String admin = token(HTTP_ADMIN_TOKEN_CONFIG, HTTP_ADMIN_TOKEN_FILE_CONFIG);
        if (read == null && admin == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(AccessTokens.of(read, admin));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private String token(String valueKey, String fileKey) {
        Password value = getPassword(valueKey);
        String file = getString(fileKey);
        boolean hasValue = value != null && !value.value().isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasValue && hasFile) {
            throw new ConfigException("Give " + valueKey + " or " + fileKey + ", not both");
        }
        if (hasFile) {
            try {
                return HttpTokenFiles.read(java.nio.file.Path.of(file.trim()));
            } catch (java.io.IOException e) {
                throw new ConfigException(fileKey, file, "cannot be read: " + e.getMessage());
            }
        }
        return hasValue ? value.value().trim() : null;
    }

    /** Where the local state lives ({@code state.dir}). */
    public java.nio.file.Path stateDir() {
        return java.nio.file.Path.of(getString(STATE_DIR_CONFIG));
    }

    /** The environment variable that sets {@code key}, e.g. {@code PULSE_TOPIC_PREFIX} for {@code topic.prefix}. */
    public static String environmentVariable(String key) {
        return org.communitypulse.schemas.config.EnvironmentVariables.variable(key);
    }

    /**
     * The settings that {@code environment} (normally {@link System#getenv()}) holds: every key of
     * {@link #configDef()} by {@link #environmentVariable} (a password also from the file its {@code _FILE}
     * variable names), and {@code PULSE_STREAMS_*} as pass-through Kafka Streams settings (Kafka's keys have
     * dots, never underscores, so the mapping back is safe). Other variables are ignored.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> settings = new TreeMap<>(
                org.communitypulse.schemas.config.EnvironmentVariables.settings(CONFIG, environment));
        settings.putAll(
                org.communitypulse.schemas.config.EnvironmentVariables.passThrough(STREAMS_PREFIX, environment));
        return settings;
    }

    /** The Kafka Streams properties this configuration implies: exactly-once v2 always. */
    public Properties streamsProperties() {
        return streamsProperties(httpPort().orElse(HTTP_PORT_DISABLED));
    }

    /**
     * As {@link #streamsProperties()}, advertising {@code boundHttpPort} (the port actually bound when
     * {@code http.port} is 0) as {@code application.server}; nothing is advertised when it is negative.
     */
    public Properties streamsProperties(int boundHttpPort) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, getString(STATE_DIR_CONFIG));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_CONFIG));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, getInt(NUM_STANDBY_REPLICAS_CONFIG));
        // Metrics are read by whoever polls the metric topics; internal topics inherit this factor.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // The intake's task also reads erasures, alert actions and reconciliation counts, nearly always empty.
        // With the default (0) Streams checks every empty partition's lag before each record, formatting log
        // text as it goes; our results do not depend on the order across those topics, so it need not wait.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // The changelogs hold the state stores' values, erased members' included until compacted: the same bound
        // as the pipeline's compacted topics (applies to internal topics Streams creates; see docs/identity.md).
        long lag = getLong(TOPIC_MAX_COMPACTION_LAG_CONFIG);
        props.put(StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
                Long.toString(lag));
        props.put(StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.SEGMENT_MS_CONFIG),
                Long.toString(Math.max(1, lag / 2)));
        if (boundHttpPort > 0) {
            httpAdvertisedHost().ifPresent(host ->
                    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, host + ":" + boundHttpPort));
        }
        Map<String, Object> passThrough = new HashMap<>(originalsWithPrefix(STREAMS_PREFIX));
        props.putAll(passThrough);
        return props;
    }
}
