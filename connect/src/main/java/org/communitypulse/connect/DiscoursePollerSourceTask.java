package org.communitypulse.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
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
public final class DiscoursePollerSourceTask extends SourceTask {

    public static final String PARTITION_FORUM = "forum";
    public static final String PARTITION_COMMUNITY = "community";
    public static final String OFFSET_POST_ID = "post_id";

    private static final Logger LOG = LoggerFactory.getLogger(DiscoursePollerSourceTask.class);
    private static final Duration MAX_WAIT = Duration.ofMillis(500);
    /** The poller reads /posts.json, which holds posts alone: the topic fields come with each post. */
    private static final JsonNode NO_TOPIC = JsonNodeFactory.instance.objectNode();

    private DiscoursePollerConfig config;
    private DiscourseApiClient api;
    private DiscoursePostFeed feed;
    private DiscourseItems items;
    private EventRecords records;
    private Map<String, String> partition;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private long lastPostId;
    private long nextPollNanos;
    private List<SourceRecord> pending = List.of();
    private long published;
    private long skipped;
    private long rejected;

    @Override
    public String version() {
        return Versions.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new DiscoursePollerConfig(props);
        // Waits for retries end at once when the task is stopped.
        api = new DiscourseApiClient(config.apiSettings(), wait -> {
            if (stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new InterruptedException("task stopped");
            }
        });
        feed = new DiscoursePostFeed(api);
        items = new DiscourseItems(config.pseudonymiser());
        records = new EventRecords(config);
        // A HashMap, not Map.of: see FileImportSourceTask.partition (offsets are found by the serialized map).
        partition = new HashMap<>();
        partition.put(PARTITION_FORUM, api.baseUrl());
        partition.put(PARTITION_COMMUNITY, config.community());
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        lastPostId = offset != null && offset.get(OFFSET_POST_ID) instanceof Number n ? n.longValue()
                : config.startAfterPostId();
        nextPollNanos = System.nanoTime();
        LOG.info("Following {} for community '{}' into {}, after post {}", api.baseUrl(), config.community(),
                records.topic(), lastPostId);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (!pending.isEmpty()) {
            return handOver();
        }
        long wait = nextPollNanos - System.nanoTime();
        if (wait > 0) {
            // Return now and then even while idle, so Connect can pause, stop and commit offsets.
            stopped.await(Math.min(TimeUnit.NANOSECONDS.toMillis(wait) + 1, MAX_WAIT.toMillis()),
                    TimeUnit.MILLISECONDS);
            return null;
        }
        nextPollNanos = System.nanoTime() + config.pollInterval().toNanos();
        List<JsonNode> posts;
        try {
            posts = feed.postsAfter(lastPostId);
        } catch (DiscourseApiException e) {
            if (e.status() == 401 || e.status() == 403 || e.status() == 404) {
                throw new ConnectException(e.getMessage(), e);
            }
            if (stopped.getCount() == 0) {
                return null;
            }
            LOG.warn("Could not read {}: {}; trying again in {} ms", api.baseUrl(), e.getMessage(),
                    config.pollInterval().toMillis());
            return null;
        }
        List<SourceRecord> out = new ArrayList<>();
        try {
            for (JsonNode post : posts) {
                out.addAll(map(post));
            }
        } catch (SerializationException e) {
            // Nothing was handed over and lastPostId has not moved: the next poll reads the same posts again.
            nextPollNanos = System.nanoTime();
            throw new RetriableException("Could not serialize events for " + records.topic() + ": "
                    + e.getMessage(), e);
        }
        for (JsonNode post : posts) {
            lastPostId = Math.max(lastPostId, DiscoursePostFeed.idOf(post));
        }
        if (!posts.isEmpty()) {
            LOG.info("{}: {} new post(s), {} event(s); so far {} published, {} skipped, {} rejected; last post {}",
                    api.baseUrl(), posts.size(), out.size(), published + out.size(), skipped, rejected, lastPostId);
        }
        pending = out;
        return handOver();
    }

    /** Hands over at most a batch, keeping the rest for the next poll. */
    private List<SourceRecord> handOver() {
        int n = Math.min(pending.size(), config.batchSize());
        List<SourceRecord> batch = new ArrayList<>(pending.subList(0, n));
        pending = new ArrayList<>(pending.subList(n, pending.size()));
        published += batch.size();
        return batch.isEmpty() ? null : batch;
    }

    private List<SourceRecord> map(JsonNode post) {
        long id = DiscoursePostFeed.idOf(post);
        MappingResult result;
        try {
            result = items.post(NO_TOPIC, post, config.community());
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
    public void stop() {
        stopped.countDown();
        if (records != null) {
            records.close();
        }
    }
}
