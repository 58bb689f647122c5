package org.communitypulse.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.internals.EventRecords;
import org.communitypulse.ingest.discourse.DiscourseApiClient;
import org.communitypulse.ingest.discourse.DiscourseApiException;
import org.communitypulse.ingest.discourse.DiscourseApiImporter;
import org.communitypulse.ingest.discourse.DiscourseItems;
import org.communitypulse.ingest.discourse.DiscoursePostFeed;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.communitypulse.schemas.registry.SchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code poll.interval.ms}, reads what is new on a forum and publishes it with the event ids of the
 * webhooks ({@link DiscourseItems}), oldest first:
 * <ul>
 *   <li>posts newer than the last published one ({@link DiscoursePostFeed}, {@code /posts.json}); post 1 of a
 *       topic is the topic ({@code THREAD_CREATED} with the topic's id, as {@code topic_created}), the others
 *       replies;</li>
 *   <li>likes ({@code REACTION_ADDED}, {@code like:<post>/<user>} as {@code post_liked}) of the posts on the pages
 *       read whose like count ({@code actions_summary} entry 2) grew since the task last looked, from
 *       {@code /post_action_users.json?id=<post>&post_action_type_id=2}; dated when read, as the webhook dates
 *       them when received;</li>
 *   <li>users newer than the last published one ({@code /admin/users/list/active.json?order=created}, newest
 *       first; an admin key): {@code MEMBER_JOINED} at their {@code created_at}, as {@code user_created};</li>
 *   <li>after each poll, a {@link PlatformDayCount} for today and every day a post read was created on: the
 *       threads and replies created that day, counted from the posts read.</li>
 * </ul>
 *
 * <p>With {@code reconcile.only} the task publishes no events: each poll re-reads the posts of the last
 * {@code reconcile.days} UTC days ({@link DiscoursePostFeed#postsCreatedSince}) and publishes a
 * {@link PlatformDayCount} for every day of that window, counted with the same mapping as the events. It keeps no
 * cursor and uses its own source partition ({@code {forum, community, mode=reconcile}}), so it never moves the
 * catch-up position: what webhooks lost shows as a gap while it is open, not only once the catch-up poller read it.
 *
 * <p>Source partition {@code {forum, community}}; offset {@code {post_id, user_id, day_counts}}: the last post
 * and user published and the running count per day of the last {@code discourse.counts.days} days, so a restart
 * goes on after what Connect committed with exact counts. Like counts are kept in memory only: after a restart
 * the likes of the latest posts are read and published again, and the pipeline drops them as duplicates.
 */
public final class DiscoursePollerSourceTask extends PulseSourceTask<DiscoursePollerConfig> {

    public static final String PARTITION_FORUM = "forum";
    public static final String PARTITION_COMMUNITY = "community";
    public static final String OFFSET_POST_ID = "post_id";
    public static final String OFFSET_USER_ID = "user_id";
    /** Running threads+replies per UTC day: {@code 2026-01-31=12,2026-02-01=3}. */
    public static final String OFFSET_DAY_COUNTS = "day_counts";
    /** Only in the partition of the reconcile-only mode, which is thereby distinct from the catch-up one. */
    public static final String PARTITION_MODE = "mode";
    public static final String MODE_RECONCILE = "reconcile";
    /** The reconcile-only mode's offset (no cursor: when it last counted, for people reading offsets). */
    public static final String OFFSET_COUNTED_AT = "counted_at";

    static final String LIKERS_PATH = "/post_action_users.json";
    /** Discourse's post action type of a like. */
    static final int LIKE = 2;

    private static final Logger LOG = LoggerFactory.getLogger(DiscoursePollerSourceTask.class);
    /** The poller reads /posts.json, which holds posts alone: the topic fields come with each post. */
    private static final JsonNode NO_TOPIC = JsonNodeFactory.instance.objectNode();

    private final Clock clock;
    /** Null: the REST client of the configured registry. */
    private final SchemaRegistryClient registry;
    private DiscourseApiClient api;
    private DiscoursePostFeed feed;
    private DiscourseItems items;
    private EventRecords records;
    private Map<String, String> partition;

    private long lastPostId;
    private long lastUserId;
    /** No offset yet and history skipped: the first poll only notes the newest user. */
    private boolean usersBaseline;
    private NavigableMap<LocalDate, Long> dayCounts = new TreeMap<>();
    private final Map<Long, Long> likesSeen = new HashMap<>();
    private long published;
    private long skipped;
    private long rejected;

    public DiscoursePollerSourceTask() {
        this(Clock.systemUTC());
    }

    DiscoursePollerSourceTask(Clock clock) {
        this(clock, null);
    }

    DiscoursePollerSourceTask(Clock clock, SchemaRegistryClient registry) {
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    protected DiscoursePollerConfig parseConfig(Map<String, String> props) {
        return new DiscoursePollerConfig(props);
    }

    @Override
    protected void doStart(DiscoursePollerConfig config) {
        // Waits for retries end at once when the task is stopped.
        api = new DiscourseApiClient(config.apiSettings(), this::pauseUnlessStopped);
        feed = new DiscoursePostFeed(api);
        items = new DiscourseItems(config.pseudonymiser());
        records = closeOnStop(registry == null ? new EventRecords(config, true)
                : new EventRecords(config, true, registry));
        // A HashMap, not Map.of: see FileImportSourceTask.partition (offsets are found by the serialized map).
        partition = new HashMap<>();
        partition.put(PARTITION_FORUM, api.baseUrl());
        partition.put(PARTITION_COMMUNITY, config.community());
        if (config.reconcileOnly()) {
            partition.put(PARTITION_MODE, MODE_RECONCILE);
            LOG.info("Recounting the threads and replies of the last {} day(s) of {} for community '{}' into {} "
                    + "at every poll (reconcile only: no events)", config.reconcileDays(), api.baseUrl(),
                    config.community(), records.countsTopic());
            return;
        }
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        lastPostId = offset != null && offset.get(OFFSET_POST_ID) instanceof Number n ? n.longValue()
                : config.startAfterPostId();
        lastUserId = offset != null && offset.get(OFFSET_USER_ID) instanceof Number n ? n.longValue() : 0;
        usersBaseline = offset == null && config.startAfterPostId() > 0;
        dayCounts = offset != null && offset.get(OFFSET_DAY_COUNTS) instanceof String s ? parseCounts(s)
                : new TreeMap<>();
        LOG.info("Following {} for community '{}' into {}, after post {} and user {}{}", api.baseUrl(),
                config.community(), records.topic(), lastPostId, lastUserId,
                config.followUsers() ? "" : " (users not followed)");
    }

    @Override
    protected Duration pollInterval() {
        return config().pollInterval();
    }

    @Override
    protected String describe() {
        return api.baseUrl() + " (community '" + config().community() + "')";
    }

    /** A refused key, a forbidden or missing URL fails the task; a forum that is down or rate limits is retried. */
    @Override
    protected Failure classify(Exception e) {
        if (e instanceof DiscourseApiException apiFailure) {
            int status = apiFailure.status();
            return status == 401 || status == 403 || status == 404 ? Failure.FATAL : Failure.TRANSIENT;
        }
        return super.classify(e);
    }

    /**
     * Reads everything first, then makes the records in order while the cursors move on a copy: a failure
     * anywhere (the forum, the registry) leaves the task's position untouched for the retry.
     */
    @Override
    protected List<SourceRecord> fetch() {
        if (config().reconcileOnly()) {
            return recount();
        }
        Instant now = clock.instant();
        List<JsonNode> read = new ArrayList<>();
        List<JsonNode> posts = feed.postsAfter(lastPostId, read);
        List<JsonNode> users = config().followUsers() ? usersAfter(lastUserId) : List.of();
        Map<Long, List<JsonNode>> likers = config().followLikes() ? newLikers(read) : Map.of();

        Position at = new Position(lastPostId, lastUserId, new TreeMap<>(dayCounts));
        Set<LocalDate> touched = new TreeSet<>();
        touched.add(now.atZone(ZoneOffset.UTC).toLocalDate());
        List<SourceRecord> out = new ArrayList<>();
        for (JsonNode post : posts) {
            List<ActivityEvent> events = postEvents(post);
            at.postId = Math.max(at.postId, DiscoursePostFeed.idOf(post));
            for (LocalDate day : countedDays(events)) {
                at.counts.merge(day, 1L, Long::sum);
                touched.add(day);
            }
            add(out, events, at);
        }
        long newestUser = at.userId;
        for (JsonNode user : users) {
            long id = user.path("id").asLong(-1);
            newestUser = Math.max(newestUser, id);
            if (!usersBaseline) {
                at.userId = Math.max(at.userId, id);
                add(out, events("user " + id, () -> items.joined(user, config().community())), at);
            }
        }
        at.userId = Math.max(at.userId, newestUser);
        Map<Long, Long> likeCounts = new HashMap<>();
        for (JsonNode post : read) {
            long id = DiscoursePostFeed.idOf(post);
            List<JsonNode> who = likers.get(id);
            if (who == null) {
                continue;
            }
            likeCounts.put(id, likeCount(post));
            for (JsonNode liker : who) {
                add(out, events("like of post " + id + " by " + liker.path("id").asText("?"),
                        () -> items.like(post, liker, config().community(), now)), at);
            }
        }
        prune(at.counts, now);
        Map<String, Object> offset = at.offset();
        for (LocalDate day : touched) {
            out.add(records.dayCount(partition, offset, PlatformDayCount.newBuilder()
                    .setCommunityId(config().community()).setDay(day).setSource(SourcePlatform.DISCOURSE)
                    .setItems(at.counts.getOrDefault(day, 0L)).setObservedAt(now).setCompleteThrough(now).build()));
        }
        // Every record is made: only now does the task move on.
        lastPostId = at.postId;
        lastUserId = at.userId;
        dayCounts = at.counts;
        usersBaseline = false;
        likesSeen.putAll(likeCounts);
        long events = out.size() - touched.size();
        published += events;
        if (events > 0) {
            LOG.info("{}: {} new post(s), {} user(s), {} liked post(s): {} event(s); so far {} published, "
                    + "{} skipped, {} rejected; last post {}, last user {}", api.baseUrl(), posts.size(),
                    users.size(), likeCounts.size(), events, published, skipped, rejected, lastPostId, lastUserId);
        }
        return out;
    }

    /**
     * Reconcile-only: the threads and replies of every day of the window, recounted from the forum's listing; a
     * {@link PlatformDayCount} per day, zeros included (a day the platform lists nothing for is checked too).
     */
    private List<SourceRecord> recount() {
        Instant now = clock.instant();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(config().reconcileDays() - 1L);
        NavigableMap<LocalDate, Long> counts = new TreeMap<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            counts.put(day, 0L);
        }
        List<JsonNode> posts = feed.postsCreatedSince(first.atStartOfDay(ZoneOffset.UTC).toInstant());
        for (JsonNode post : posts) {
            // A post created after the clock was read (listed all the same) belongs to today, which is counted.
            for (LocalDate day : countedDays(postEvents(post))) {
                counts.computeIfPresent(day, (d, n) -> n + 1);
            }
        }
        Map<String, Object> offset = new HashMap<>();
        offset.put(OFFSET_COUNTED_AT, now.toEpochMilli());
        List<SourceRecord> out = new ArrayList<>();
        counts.forEach((day, n) -> out.add(records.dayCount(partition, offset, PlatformDayCount.newBuilder()
                .setCommunityId(config().community()).setDay(day).setSource(SourcePlatform.DISCOURSE)
                .setItems(n).setObservedAt(now).setCompleteThrough(now).build())));
        LOG.info("{}: {} post(s) listed since {}; threads and replies counted over {} day(s): {}", api.baseUrl(),
                posts.size(), first, counts.size(), counts.values().stream().mapToLong(Long::longValue).sum());
        return out;
    }

    /** The events of one post of {@code /posts.json}: the one mapping of both modes. */
    private List<ActivityEvent> postEvents(JsonNode post) {
        return events("post " + DiscoursePostFeed.idOf(post), () -> items.post(NO_TOPIC, post, config().community()));
    }

    /** The UTC day of each thread or reply among {@code events}: what a platform count counts. */
    private static List<LocalDate> countedDays(List<ActivityEvent> events) {
        List<LocalDate> days = new ArrayList<>();
        for (ActivityEvent event : events) {
            if (event.getType() == EventType.THREAD_CREATED || event.getType() == EventType.REPLY_CREATED) {
                days.add(event.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate());
            }
        }
        return days;
    }

    /** The users with an id greater than {@code afterUserId}, oldest first. */
    private List<JsonNode> usersAfter(long afterUserId) {
        TreeMap<Long, JsonNode> newer = new TreeMap<>();
        for (int page = 1; ; page++) {
            // Without asc the list is newest first (Discourse treats any asc value as ascending).
            String path = DiscourseApiImporter.USERS_PATH + "?order=created&page=" + page;
            JsonNode list;
            try {
                list = api.get(path);
            } catch (DiscourseApiException e) {
                if (e.status() == 403 || e.status() == 404) {
                    throw new ConnectException(api.baseUrl() + path + " answered " + e.status()
                            + ": following users needs an admin API key; set "
                            + DiscoursePollerConfig.FOLLOW_USERS_CONFIG + "=false to follow posts and likes only", e);
                }
                throw e;
            }
            if (!list.isArray() || list.isEmpty()) {
                return new ArrayList<>(newer.values());
            }
            boolean reachedKnown = false;
            for (JsonNode user : list) {
                long id = user.path("id").asLong(-1);
                if (id > afterUserId) {
                    newer.put(id, user);
                } else {
                    reachedKnown = true;
                }
            }
            if (reachedKnown || usersBaseline) {
                return new ArrayList<>(newer.values());
            }
        }
    }

    /** Who liked each post of {@code read} whose like count grew since last seen (a request per such post). */
    private Map<Long, List<JsonNode>> newLikers(List<JsonNode> read) {
        Map<Long, List<JsonNode>> likers = new LinkedHashMap<>();
        for (JsonNode post : read) {
            long id = DiscoursePostFeed.idOf(post);
            long count = likeCount(post);
            if (id < 0 || likers.containsKey(id) || count <= likesSeen.getOrDefault(id, 0L)) {
                continue;
            }
            JsonNode users = api.get(LIKERS_PATH + "?id=" + id + "&post_action_type_id=" + LIKE)
                    .path("post_action_users");
            List<JsonNode> who = new ArrayList<>();
            users.forEach(who::add);
            likers.put(id, who);
        }
        return likers;
    }

    /** The likes of a post: {@code like_count} when given, else the count of its {@code actions_summary} entry 2. */
    static long likeCount(JsonNode post) {
        if (post.path("like_count").canConvertToLong()) {
            return post.get("like_count").asLong();
        }
        for (JsonNode action : post.path("actions_summary")) {
            if (action.path("id").asInt(-1) == LIKE) {
                return action.path("count").asLong(0);
            }
        }
        return 0;
    }

    private interface Mapping {
        MappingResult map();
    }

    /** The events of one item; an item that cannot be mapped is logged with what it is and counted, never sent half. */
    private List<ActivityEvent> events(String what, Mapping mapping) {
        MappingResult result;
        try {
            result = mapping.map();
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            rejected++;
            LOG.warn("{}: {} rejected ({} so far): {}", api.baseUrl(), what, rejected, e.getMessage());
            return List.of();
        }
        if (result.isUnmapped()) {
            skipped++;
            LOG.debug("{} skipped: {}", what, result.unmapped());
            return List.of();
        }
        List<ActivityEvent> out = new ArrayList<>();
        for (ActivityEvent event : result.events()) {
            if (event.getOccurredAt() == null) {
                rejected++;
                LOG.warn("{} rejected: no created_at", what);
            } else {
                out.add(event);
            }
        }
        return out;
    }

    private void add(List<SourceRecord> out, List<ActivityEvent> events, Position at) {
        Map<String, Object> offset = at.offset();
        for (ActivityEvent event : events) {
            out.add(records.record(partition, offset, event));
        }
    }

    /** Keeps the counts of the last {@code discourse.counts.days} days: the offset stays small. */
    private void prune(NavigableMap<LocalDate, Long> counts, Instant now) {
        LocalDate oldest = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(config().countsDays() - 1L);
        counts.headMap(oldest, false).clear();
    }

    static NavigableMap<LocalDate, Long> parseCounts(String encoded) {
        NavigableMap<LocalDate, Long> counts = new TreeMap<>();
        for (String entry : encoded.split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                counts.put(LocalDate.parse(entry.substring(0, eq).trim()), Long.parseLong(entry.substring(eq + 1).trim()));
            }
        }
        return counts;
    }

    static String formatCounts(Map<LocalDate, Long> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((day, n) -> out.append(out.length() == 0 ? "" : ",").append(day).append('=').append(n));
        return out.toString();
    }

    /** Where the task is once the records made so far are published. */
    private static final class Position {
        long postId;
        long userId;
        final NavigableMap<LocalDate, Long> counts;

        Position(long postId, long userId, NavigableMap<LocalDate, Long> counts) {
            this.postId = postId;
            this.userId = userId;
            this.counts = counts;
        }

        /** Connect offsets hold primitives only: the counts as one string. */
        Map<String, Object> offset() {
            Map<String, Object> offset = new HashMap<>();
            offset.put(OFFSET_POST_ID, postId);
            offset.put(OFFSET_USER_ID, userId);
            offset.put(OFFSET_DAY_COUNTS, formatCounts(counts));
            return offset;
        }
    }
}
