package org.communitypulse.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How long an erased person's values may physically stay in the pipeline's topics (see docs/identity.md,
 * "Erasure"): the topic configuration every pipeline topic is created (and re-aligned) with.
 *
 * <ul>
 *   <li>Compacted topics: a tombstone removes older values only when the log cleaner has run over them, and the
 *       cleaner skips the active segment and any log below {@code min.cleanable.dirty.ratio}. So
 *       {@code max.compaction.lag.ms} forces a segment to become eligible within {@code maxCompactionLag},
 *       {@code segment.ms} rolls the active segment at least that often, and tombstones themselves go
 *       {@code delete.retention.ms} later (one day, Kafka's default).</li>
 *   <li>Every other topic (raw activity, its dead letters and late events, the erasure requests, alerts,
 *       violations, the platforms' counts) cannot be rewritten in place: {@code retention.ms} bounds it.</li>
 * </ul>
 *
 * @param maxCompactionLag longest time an overwritten or tombstoned value stays in a compacted topic
 * @param retention        retention of the non-compacted topics
 */
public record TopicPolicy(Duration maxCompactionLag, Duration retention) {

    /** Compacted values gone within 7 days of their tombstone. */
    public static final Duration DEFAULT_MAX_COMPACTION_LAG = Duration.ofDays(7);
    /** Raw, dead-letter and lifecycle records gone 30 days after they were written. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    /** A tombstone stays this long after compaction (Kafka's default), so readers that lag see it. */
    public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(1);

    public TopicPolicy {
        Objects.requireNonNull(maxCompactionLag, "maxCompactionLag");
        Objects.requireNonNull(retention, "retention");
        if (maxCompactionLag.isNegative() || maxCompactionLag.isZero()) {
            throw new IllegalArgumentException("maxCompactionLag must be positive");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }

    public static TopicPolicy defaults() {
        return new TopicPolicy(DEFAULT_MAX_COMPACTION_LAG, DEFAULT_RETENTION);
    }

    /** The configuration of topic {@code name}: compacted when it is in {@code compacted}. */
    public Map<String, String> configFor(String name, Set<String> compacted) {
        if (compacted.contains(name)) {
            long lag = maxCompactionLag.toMillis();
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(lag),
                    // A segment is cleaned only once rolled: roll it at least as often as the lag allows.
                    TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(1, lag / 2)),
                    TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(
                            Math.min(TOMBSTONE_RETENTION.toMillis(), lag)));
        }
        long ms = retention.toMillis();
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(ms),
                // Retention deletes whole segments: a segment rolled at most a tenth of it later is gone in time.
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(1, Math.min(ms / 10, Duration.ofDays(1).toMillis()))));
    }
}
