package org.communitypulse.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.communitypulse.connect.internals.EventRecords;
import org.communitypulse.ingest.discourse.DiscourseApiClient;
import org.communitypulse.ingest.discourse.DiscourseApiException;
import org.communitypulse.ingest.discourse.DiscourseItems;
import org.communitypulse.ingest.discourse.DiscoursePostFeed;
import org.communitypulse.ingest.webhook.MalformedPayloadException;
import org.communitypulse.ingest.webhook.MappingResult;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code poll.interval.ms}, reads the posts newer than the last published one ({@link DiscoursePostFeed})
 * and publishes them oldest first, mapped by {@link DiscourseItems} (post 1 of a topic is the topic).
 *
 * <p>Source partition {@code {forum, community}}; offset {@code {post_id}} of the post a record came from, so a
 * restart goes on after the last post Connect committed. A post that cannot be mapped is logged with its id and
 * counted, never published half; one the pipeline does not count (whispers, small actions) is counted as
 * skipped. A refused key, a forbidden or missing URL (401/403/404) fails the task with the URL; a forum that is
 * down or keeps rate limiting is logged and tried again at the next interval.
 */
public final class DiscoursePollerSourceTask extends PollingSourceTask<DiscoursePollerConfig> {

    public static final String PARTITION_FORUM = "forum";
    public static final String PARTITION_COMMUNITY = "community";
    public static final String OFFSET_POST_ID = "post_id";

    private static final Logger LOG = LoggerFactory.getLogger(DiscoursePollerSourceTask.class);
    /** The poller reads /posts.json, which holds posts alone: the topic fields come with each post. */
    private static final JsonNode NO_TOPIC = JsonNodeFactory.instance.objectNode();

    private DiscourseApiClient api;
    private DiscoursePostFeed feed;
    private DiscourseItems items;
    private EventRecords records;
    private Map<String, String> partition;

    private long lastPostId;
    private long published;
    private long skipped;
    private long rejected;

    @Override
    protected DiscoursePollerConfig parseConfig(Map<String, String> props) {
        return new DiscoursePollerConfig(props);
    }

    @Override
    protected void doStart(DiscoursePollerConfig config) {
        // Waits for retries end at once when the task is stopped.
        api = new DiscourseApiClient(config.apiSettings(), wait -> {
            if (awaitStop(wait)) {
                throw new InterruptedException("task stopped");
            }
        });
        feed = new DiscoursePostFeed(api);
        items = new DiscourseItems(config().pseudonymiser());
        records = new EventRecords(config);
        // A HashMap, not Map.of: see FileImportSourceTask.partition (offsets are found by the serialized map).
        partition = new HashMap<>();
        partition.put(PARTITION_FORUM, api.baseUrl());
        partition.put(PARTITION_COMMUNITY, config().community());
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        lastPostId = offset != null && offset.get(OFFSET_POST_ID) instanceof Number n ? n.longValue()
                : config.startAfterPostId();
        LOG.info("Following {} for community '{}' into {}, after post {}", api.baseUrl(), config().community(),
                records.topic(), lastPostId);
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
        if (e instanceof DiscourseApiException api) {
            return api.status() == 401 || api.status() == 403 || api.status() == 404 ? Failure.FATAL
                    : Failure.TRANSIENT;
        }
        return super.classify(e);
    }

    @Override
    protected List<SourceRecord> fetch() {
        List<JsonNode> posts = feed.postsAfter(lastPostId);
        List<SourceRecord> out = new ArrayList<>();
        // A SerializationException here leaves lastPostId where it was: the retry reads the same posts again.
        for (JsonNode post : posts) {
            out.addAll(map(post));
        }
        for (JsonNode post : posts) {
            lastPostId = Math.max(lastPostId, DiscoursePostFeed.idOf(post));
        }
        published += out.size();
        if (!posts.isEmpty()) {
            LOG.info("{}: {} new post(s), {} event(s); so far {} published, {} skipped, {} rejected; last post {}",
                    api.baseUrl(), posts.size(), out.size(), published, skipped, rejected, lastPostId);
        }
        return out;
    }

    private List<SourceRecord> map(JsonNode post) {
        long id = DiscoursePostFeed.idOf(post);
        MappingResult result;
        try {
            result = items.post(NO_TOPIC, post, config().community());
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            rejected++;
            LOG.warn("{}/posts.json: post {} rejected ({} so far): {}", api.baseUrl(), id, rejected, e.getMessage());
            return List.of();
        }
        if (result.isUnmapped()) {
            skipped++;
            LOG.debug("post {} skipped: {}", id, result.unmapped());
            return List.of();
        }
        Map<String, Object> offset = new HashMap<>();
        offset.put(OFFSET_POST_ID, id);
        List<SourceRecord> out = new ArrayList<>();
        for (ActivityEvent event : result.events()) {
            if (event.getOccurredAt() == null) {
                rejected++;
                LOG.warn("post {} rejected: no created_at", id);
                continue;
            }
            out.add(records.record(partition, offset, event));
        }
        return out;
    }

    @Override
    protected void doStop() {
        if (records != null) {
            records.close();
        }
    }
}
