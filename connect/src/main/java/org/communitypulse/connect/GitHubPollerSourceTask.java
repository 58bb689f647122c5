package org.communitypulse.connect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.internals.EventRecords;
import org.communitypulse.ingest.github.GitHubApiClient;
import org.communitypulse.ingest.github.GitHubApiException;
import org.communitypulse.ingest.github.GitHubCatchUp;
import org.communitypulse.ingest.github.GitHubCatchUp.Item;
import org.communitypulse.ingest.github.GitHubCatchUp.Position;
import org.communitypulse.ingest.github.GitHubPayloadMapper;
import org.communitypulse.ingest.github.GitHubRestItems;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code poll.interval.ms}, reads what changed in each repository since its offset ({@link GitHubCatchUp})
 * and publishes it with the webhook's event ids.
 *
 * <p>Source partition {@code {api, repository, community}}; offset: per list (issues and pull requests, issue
 * comments, review comments, discussions) the newest {@code updated_at} read and the ids updated at exactly then
 * ({@link Position#toOffset()}), so a restart goes on where Connect committed and loses nothing that shares a
 * timestamp. An item updated again (edited, labelled, commented) is published again with the same event id: the
 * pipeline counts it as a duplicate, not as new activity.
 *
 * <p>It also counts, per UTC day, the threads and replies the API lists as created that day
 * ({@link #dayCounts()}), for reconciliation: the first read of a task starts each list at its cursor's day so the
 * counts of the days from then on are complete.
 *
 * <p>With {@code reconcile.only} the task publishes no events: each poll re-reads every list of the last
 * {@code reconcile.days} UTC days ({@link GitHubCatchUp#recount}) and publishes a {@link PlatformDayCount} for every
 * day of that window, counted with the same mapping as the events. It keeps no cursor and uses its own source
 * partition ({@code {api, community, mode=reconcile}}, offset only {@code counted_at}), so it never moves the
 * catch-up position: what webhooks lost shows as a gap while it is open, not only once the catch-up poller read it.
 *
 * <p>A refused token, a forbidden or unknown repository (401/403/404) fails the task with the URL; GitHub being
 * down or a rate limit that outlasts the retries is logged and tried again at the next interval.
 */
public final class GitHubPollerSourceTask extends PulseSourceTask<GitHubPollerConfig> {

    public static final String PARTITION_API = "api";
    public static final String PARTITION_REPOSITORY = "repository";
    public static final String PARTITION_COMMUNITY = "community";
    /** Partition key of the day-count records (value {@code days}), beside api and community. */
    public static final String PARTITION_COUNTS = "counts";
    public static final String OFFSET_OBSERVED_AT = "observed_at";
    /** Only in the partition of the reconcile-only mode, which is thereby distinct from the catch-up ones. */
    public static final String PARTITION_MODE = "mode";
    public static final String MODE_RECONCILE = "reconcile";
    /** The reconcile-only mode's offset (no cursor: when it last counted, for people reading offsets). */
    public static final String OFFSET_COUNTED_AT = "counted_at";
    /** Days of counts kept in memory (and so published when an old item is touched). */
    static final int COUNT_DAYS = 31;

    private static final Logger LOG = LoggerFactory.getLogger(GitHubPollerSourceTask.class);

    private final Clock clock;
    private GitHubApiClient api;
    private GitHubCatchUp catchUp;
    private EventRecords records;
    private final Map<String, Position> positions = new HashMap<>();
    private final Set<String> recounted = new HashSet<>();
    /** Per UTC day, the event ids of the threads and replies listed as created then. */
    private final TreeMap<LocalDate, Set<String>> dayItems = new TreeMap<>();
    private LocalDate countsFrom = LocalDate.EPOCH;
    private SortedMap<LocalDate, Long> lastCounts = new TreeMap<>();
    private long published;
    private long rejected;

    public GitHubPollerSourceTask() {
        this(Clock.systemUTC());
    }

    GitHubPollerSourceTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected GitHubPollerConfig parseConfig(Map<String, String> props) {
        return new GitHubPollerConfig(props);
    }

    @Override
    protected void doStart(GitHubPollerConfig config) {
        // Waits for rate limits and retries end at once when the task is stopped.
        api = new GitHubApiClient(config.apiSettings(), this::pauseUnlessStopped, clock);
        catchUp = new GitHubCatchUp(api, new GitHubRestItems(new GitHubPayloadMapper(config.pseudonymiser())), clock,
                config.discussions());
        records = closeOnStop(new EventRecords(config, true));
        if (config.reconcileOnly()) {
            LOG.info("Recounting the threads and replies of the last {} day(s) of {} at {} for community '{}' into "
                    + "{} at every poll (reconcile only: no events)", config.reconcileDays(), config.repositories(),
                    api.baseUrl(), config.community(), records.countsTopic());
            return;
        }
        LOG.info("Following {} at {} for community '{}' into {}", config.repositories(), api.baseUrl(),
                config.community(), records.topic());
    }

    @Override
    protected Duration pollInterval() {
        return config().pollInterval();
    }

    @Override
    protected String describe() {
        return "GitHub " + config().repositories() + " at " + (api == null ? config().url() : api.baseUrl())
                + " (community '" + config().community() + "'" + (config().reconcileOnly() ? ", reconcile-only" : "")
                + ")";
    }

    @Override
    protected Failure classify(Exception e) {
        if (e instanceof GitHubApiException github) {
            return github.isFatal() ? Failure.FATAL : Failure.TRANSIENT;
        }
        return super.classify(e);
    }

    /** A HashMap, not Map.of: see FileImportSourceTask.partition (offsets are found by the serialized map). */
    private Map<String, String> partition(String repository) {
        Map<String, String> partition = new HashMap<>();
        partition.put(PARTITION_API, api.baseUrl());
        partition.put(PARTITION_REPOSITORY, repository);
        partition.put(PARTITION_COMMUNITY, config().community());
        return partition;
    }

    private Position committed(String repository) {
        Map<String, Object> offset = context.offsetStorageReader().offset(partition(repository));
        return Position.fromOffset(offset, config().startSince());
    }

    @Override
    protected List<SourceRecord> fetch() {
        if (config().reconcileOnly()) {
            return recount();
        }
        Instant readAt = clock.instant();
        String community = config().community();
        List<SourceRecord> out = new ArrayList<>();
        Map<String, Position> next = new HashMap<>();
        Map<LocalDate, Set<String>> counted = new HashMap<>();
        LocalDate from = countsFrom;
        int read = 0;
        for (String repository : catchUp.repositories(config().repositories())) {
            Position position = positions.containsKey(repository) ? positions.get(repository)
                    : committed(repository);
            boolean recount = !recounted.contains(repository);
            if (recount) {
                LocalDate complete = GitHubCatchUp.countsFrom(position);
                from = complete.isAfter(from) ? complete : from;
            }
            GitHubCatchUp.Read result = catchUp.read(repository, position, recount, community);
            Map<String, String> partition = partition(repository);
            for (Item item : result.items()) {
                read++;
                if (item.isRejected()) {
                    if (!item.counted()) {
                        rejected++;
                        LOG.warn("{} {} {} rejected ({} so far): {}", repository, item.stream().key(), item.key(),
                                rejected, item.rejected());
                    }
                    continue;
                }
                for (ActivityEvent event : item.mapping().events()) {
                    if (GitHubCatchUp.dayCounted(event)) {
                        counted.computeIfAbsent(LocalDate.ofInstant(event.getOccurredAt(), ZoneOffset.UTC),
                                day -> new HashSet<>()).add(event.getEventId());
                    }
                    if (!item.counted()) {
                        out.add(records.record(partition, item.after().toOffset(), event));
                    }
                }
            }
            next.put(repository, result.position());
        }
        LocalDate today = LocalDate.ofInstant(readAt, ZoneOffset.UTC);
        LocalDate oldestKept = today.minusDays(COUNT_DAYS);
        LocalDate complete = oldestKept.isAfter(from) ? oldestKept : from;
        Set<LocalDate> touched = new TreeSet<>(counted.keySet());
        touched.add(today);
        touched.removeIf(day -> day.isBefore(complete));
        SortedMap<LocalDate, Long> counts = new TreeMap<>();
        for (LocalDate day : touched) {
            Set<String> ids = new HashSet<>(dayItems.getOrDefault(day, Set.of()));
            ids.addAll(counted.getOrDefault(day, Set.of()));
            counts.put(day, (long) ids.size());
        }
        out.addAll(countRecords(counts, readAt));
        // Every record was made: only now does the state move (a failed fetch reads the same items again).
        positions.putAll(next);
        recounted.addAll(next.keySet());
        countsFrom = complete;
        counted.forEach((day, ids) -> dayItems.computeIfAbsent(day, d -> new HashSet<>()).addAll(ids));
        dayItems.headMap(complete).clear();
        lastCounts = counts;
        published += out.size() - counts.size();
        if (out.size() > counts.size()) {
            LOG.info("{}: {} item(s) read, {} event(s) to publish; so far {} published, {} rejected; {} requests "
                            + "({} not modified, {} rate-limit waits)", describe(), read, out.size() - counts.size(),
                    published, rejected, api.requests(), api.notModified(), api.rateLimitWaits());
        }
        return out;
    }

    /**
     * Reconcile-only: the threads and replies of every day of the window, recounted from every repository's lists;
     * a {@link PlatformDayCount} per day, zeros included (a day the platform lists nothing for is checked too).
     * Every repository is read before anything is published: a failure publishes no partial sum.
     */
    private List<SourceRecord> recount() {
        Instant readAt = clock.instant();
        LocalDate today = LocalDate.ofInstant(readAt, ZoneOffset.UTC);
        LocalDate first = today.minusDays(config().reconcileDays() - 1L);
        Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        NavigableMap<LocalDate, Set<String>> ids = new TreeMap<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            ids.put(day, new HashSet<>());
        }
        int read = 0;
        for (String repository : catchUp.repositories(config().repositories())) {
            GitHubCatchUp.Recount recount = catchUp.recount(repository, from, config().community());
            read += recount.items();
            // An item created after the clock was read (listed all the same) belongs to today, which is counted.
            recount.days().forEach((day, created) -> {
                Set<String> sum = ids.get(day);
                if (sum != null) {
                    sum.addAll(created);
                }
            });
        }
        Map<String, String> partition = new HashMap<>();
        partition.put(PARTITION_API, api.baseUrl());
        partition.put(PARTITION_COMMUNITY, config().community());
        partition.put(PARTITION_MODE, MODE_RECONCILE);
        Map<String, Object> offset = new HashMap<>();
        offset.put(OFFSET_COUNTED_AT, readAt.toEpochMilli());
        SortedMap<LocalDate, Long> counts = new TreeMap<>();
        ids.forEach((day, created) -> counts.put(day, (long) created.size()));
        Instant now = clock.instant();
        List<SourceRecord> out = new ArrayList<>();
        counts.forEach((day, items) -> out.add(records.dayCount(partition, offset, PlatformDayCount.newBuilder()
                .setCommunityId(config().community()).setDay(day).setSource(SourcePlatform.GITHUB).setItems(items)
                .setObservedAt(now).setCompleteThrough(readAt).build())));
        lastCounts = counts;
        LOG.info("{}: {} item(s) listed since {}, {} thread(s) and replies counted over {} day(s); {} requests",
                describe(), read, first, counts.values().stream().mapToLong(Long::longValue).sum(), counts.size(),
                api.requests());
        return out;
    }

    /**
     * The threads and replies the API listed as created on each day the last fetch touched (today and the days of
     * the items it read), from the first day this task has read in full (at most {@value #COUNT_DAYS} days back).
     */
    public SortedMap<LocalDate, Long> dayCounts() {
        return Collections.unmodifiableSortedMap(lastCounts);
    }

    /**
     * A {@link PlatformDayCount} per counted day, {@code completeThrough} the instant the fetch began (every item
     * updated before it has been read). Their partition is the community's (not a
     * repository's): the counts are of all its repositories together, rebuilt by each task from the API, so the
     * offset only records when they were observed.
     */
    private List<SourceRecord> countRecords(SortedMap<LocalDate, Long> counts, Instant readAt) {
        Map<String, String> partition = new HashMap<>();
        partition.put(PARTITION_API, api.baseUrl());
        partition.put(PARTITION_COMMUNITY, config().community());
        partition.put(PARTITION_COUNTS, "days");
        Map<String, Object> offset = new HashMap<>();
        offset.put(OFFSET_OBSERVED_AT, readAt.toString());
        List<SourceRecord> out = new ArrayList<>();
        Instant now = clock.instant();
        counts.forEach((day, items) -> out.add(records.dayCount(partition, offset, PlatformDayCount.newBuilder()
                .setCommunityId(config().community()).setDay(day).setSource(SourcePlatform.GITHUB).setItems(items)
                .setObservedAt(now).setCompleteThrough(readAt).build())));
        return out;
    }
}
