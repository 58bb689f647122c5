package org.communitypulse.streams.engagement;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.communitypulse.streams.PulseStreamsConfig;
import org.communitypulse.streams.common.ObjectCachingStoreBuilder;
import org.communitypulse.streams.roles.RolesModel;

/**
 * What the engagement metrics need beyond the events: when to emit, who is staff, and the member
 * level thresholds. See {@code docs/metrics.md}.
 *
 * @param emitInterval   wall-clock interval of the punctuator that emits changed periods
 * @param staffRoles     lower-case role or level ids whose holders are staff, not peers (by default those
 *                       roles.yaml marks staff, see {@link RolesModel#staffIds()})
 * @param contributorMin contributions over 28 days that make a CONTRIBUTOR
 * @param championMin    contributions over 28 days that make a CHAMPION
 * @param stateCacheEntries fold state entries kept as objects between commits, per store and task
 */
public record EngagementSettings(Duration emitInterval, Set<String> staffRoles, int contributorMin, int championMin,
                                 int stateCacheEntries) {

    public static final int DEFAULT_CONTRIBUTOR_MIN = 5;
    public static final int DEFAULT_CHAMPION_MIN = 20;
    public static final int DEFAULT_STATE_CACHE_ENTRIES = ObjectCachingStoreBuilder.DEFAULT_ENTRIES;

    public EngagementSettings {
        if (emitInterval.isNegative() || emitInterval.isZero()) {
            throw new ConfigException("emit interval must be positive: " + emitInterval);
        }
        if (championMin < contributorMin) {
            throw new ConfigException(PulseStreamsConfig.CHAMPION_MIN_CONFIG, championMin,
                    "must be at least " + PulseStreamsConfig.CONTRIBUTOR_MIN_CONFIG + " (" + contributorMin + ")");
        }
        if (stateCacheEntries < 1) {
            throw new ConfigException(PulseStreamsConfig.STATE_CACHE_ENTRIES_CONFIG, stateCacheEntries,
                    "must be at least 1");
        }
        staffRoles = normalise(staffRoles);
    }

    public static EngagementSettings defaults() {
        return new EngagementSettings(Duration.ofSeconds(1),
                RolesModel.defaults().staffIds(), DEFAULT_CONTRIBUTOR_MIN, DEFAULT_CHAMPION_MIN,
                DEFAULT_STATE_CACHE_ENTRIES);
    }

    public static EngagementSettings from(PulseStreamsConfig config) {
        return new EngagementSettings(config.metricsEmitInterval(), config.staffRoles(),
                config.contributorMin(), config.championMin(), config.stateCacheEntries());
    }

    /** The same settings with another object-cache size (1 evicts on every access: tests use it). */
    public EngagementSettings withStateCacheEntries(int entries) {
        return new EngagementSettings(emitInterval, staffRoles, contributorMin, championMin, entries);
    }

    /** Whether {@code role} (any case, surrounding blanks ignored) is a staff role. */
    public boolean isStaffRole(String role) {
        return role != null && staffRoles.contains(role.trim().toLowerCase(Locale.ROOT));
    }

    private static Set<String> normalise(Collection<String> roles) {
        return roles.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
