package org.communitypulse.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.streams.StreamsConfig;
import org.communitypulse.schemas.Topics;

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

    public static final String APPLICATION_ID_CONFIG = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String APPLICATION_ID_DOC =
            "Streams application id: consumer group, prefix of internal topics. Instances sharing it share the work.";
    public static final String APPLICATION_ID_DEFAULT = "community-pulse";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prefix of every pipeline topic name.";

    public static final String STATE_DIR_CONFIG = StreamsConfig.STATE_DIR_CONFIG;
    public static final String STATE_DIR_DOC = "Directory of local state stores (RocksDB); rebuilt from changelogs if lost.";

    public static final String LATENESS_HORIZON_CONFIG = "lateness.horizon.ms";
    public static final String LATENESS_HORIZON_DOC =
            "An event whose occurredAt is more than this far behind the newest event seen on its partition goes to "
                    + "the late-events topic instead of the metrics. -1 (default) accepts any lateness, which "
                    + "replaying a history out of order needs; the deduplication store then keeps every event id.";

    public static final String MAX_FUTURE_SKEW_CONFIG = "max.future.skew.ms";
    public static final String MAX_FUTURE_SKEW_DOC =
            "Events stamped further than this in the future (source clock skew) are dead-lettered as INVALID_TIMESTAMP.";

    public static final String COMMIT_INTERVAL_CONFIG = StreamsConfig.COMMIT_INTERVAL_MS_CONFIG;
    public static final String COMMIT_INTERVAL_DOC =
            "How often results are committed. Exactly-once output becomes visible to read_committed readers at commit.";

    public static final String NUM_STANDBY_REPLICAS_CONFIG = StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG;
    public static final String NUM_STANDBY_REPLICAS_DOC = "Warm copies of each state store on other instances, for fast failover.";

    public static final String PARTITIONS_CONFIG = "topic.partitions";
    public static final String PARTITIONS_DOC = "Partitions of the pipeline topics when this application creates them.";

    public static final String METRICS_EMIT_INTERVAL_CONFIG = "metrics.emit.interval.ms";
    public static final String METRICS_EMIT_INTERVAL_DOC =
            "How often (wall-clock) the metric records of the periods that changed are recomputed and emitted. "
                    + "Shorter: fresher dashboards; longer: fewer records when events arrive in bursts.";

    public static final String STAFF_ROLES_CONFIG = "staff.roles";
    public static final String STAFF_ROLES_DOC =
            "Roles (ROLE_GRANTED/ROLE_REVOKED attributes.role, case-insensitive) whose holders are staff, not peers, "
                    + "in the peer-support metrics.";
    public static final String STAFF_ROLES_DEFAULT = "sponsor,community-manager,moderator,admin,staff";

    public static final String CONTRIBUTOR_MIN_CONFIG = "member.level.contributor.min";
    public static final String CONTRIBUTOR_MIN_DOC = "Contributions over 28 days from which a member is a CONTRIBUTOR.";

    public static final String CHAMPION_MIN_CONFIG = "member.level.champion.min";
    public static final String CHAMPION_MIN_DOC = "Contributions over 28 days from which a member is a CHAMPION.";

    /** Prefix of pass-through Kafka Streams settings. */
    public static final String STREAMS_PREFIX = "streams.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(APPLICATION_ID_CONFIG, Type.STRING, APPLICATION_ID_DEFAULT, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, APPLICATION_ID_DOC)
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM, TOPIC_PREFIX_DOC)
            .define(STATE_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/community-pulse-streams",
                    Importance.MEDIUM, STATE_DIR_DOC)
            .define(LATENESS_HORIZON_CONFIG, Type.LONG, -1L, Range.atLeast(-1L), Importance.MEDIUM, LATENESS_HORIZON_DOC)
            .define(MAX_FUTURE_SKEW_CONFIG, Type.LONG, Duration.ofDays(1).toMillis(), Range.atLeast(0L),
                    Importance.LOW, MAX_FUTURE_SKEW_DOC)
            .define(COMMIT_INTERVAL_CONFIG, Type.LONG, 100L, Range.atLeast(0L), Importance.MEDIUM, COMMIT_INTERVAL_DOC)
            .define(NUM_STANDBY_REPLICAS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW, NUM_STANDBY_REPLICAS_DOC)
            .define(PARTITIONS_CONFIG, Type.INT, 3, Range.atLeast(1), Importance.LOW, PARTITIONS_DOC)
            .define(METRICS_EMIT_INTERVAL_CONFIG, Type.LONG, 1000L, Range.atLeast(10L), Importance.MEDIUM,
                    METRICS_EMIT_INTERVAL_DOC)
            .define(STAFF_ROLES_CONFIG, Type.LIST, STAFF_ROLES_DEFAULT, Importance.MEDIUM, STAFF_ROLES_DOC)
            .define(CONTRIBUTOR_MIN_CONFIG, Type.INT, EngagementSettings.DEFAULT_CONTRIBUTOR_MIN, Range.atLeast(1),
                    Importance.LOW, CONTRIBUTOR_MIN_DOC)
            .define(CHAMPION_MIN_CONFIG, Type.INT, EngagementSettings.DEFAULT_CHAMPION_MIN, Range.atLeast(1),
                    Importance.LOW, CHAMPION_MIN_DOC);

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

    public java.util.List<String> staffRoles() {
        return getList(STAFF_ROLES_CONFIG);
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

    /** The Kafka Streams properties this configuration implies: exactly-once v2 always. */
    public Properties streamsProperties() {
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
        Map<String, Object> passThrough = new HashMap<>(originalsWithPrefix(STREAMS_PREFIX));
        props.putAll(passThrough);
        return props;
    }
}
