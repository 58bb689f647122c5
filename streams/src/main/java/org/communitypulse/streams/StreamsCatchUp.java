package org.communitypulse.streams;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a Streams application has got through its input, from the broker's point of view: the
 * committed offsets of its consumer group (group id = application id) against the end offsets of
 * every topic it reads (the input topic and any repartition topics of its own).
 *
 * <p>Under exactly-once the offsets are committed in the same transaction as the output they caused,
 * so "every input offset committed" means "every output record committed", which is what a
 * replay has to wait for before reading the outputs.
 */
public final class StreamsCatchUp {

    private static final long CALL_TIMEOUT_SECONDS = 20;
    /** How old the listing of repartition topics behind a "done" may be. */
    static final long RELIST_WHEN_DONE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Admin admin;
    private final String applicationId;
    private final String inputTopic;
    /** Repartition topics (internal inputs: records there are not processed until consumed too), as last listed. */
    private Set<String> repartitionTopics = Set.of();
    private long listedAt;

    /**
     * @param admin         an admin client of the cluster; the caller closes it
     * @param applicationId the Streams application id, which is also its consumer group id
     * @param inputTopic    the topic whose records are counted in {@link Progress}
     */
    public StreamsCatchUp(Admin admin, String applicationId, String inputTopic) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.inputTopic = inputTopic;
    }

    /**
     * Where processing stands now.
     *
     * @param processed input records whose processing is committed
     * @param total     input records in the topic
     * @param done      true when every read topic (input and repartition) is committed to its end
     */
    public record Progress(long processed, long total, boolean done) {
    }

    public synchronized Progress progress() {
        try {
            if (repartitionTopics.isEmpty()) {
                // Not created yet, or none: looked for again at every call until there are some.
                repartitionTopics = repartitionTopics();
            }
            Progress progress = progress(repartitionTopics);
            if (progress.done() && System.nanoTime() - listedAt > RELIST_WHEN_DONE_NANOS) {
                // "Done" is only said over a recent listing: one made before the application created all its
                // repartition topics would miss records still waiting in one of them.
                Set<String> before = repartitionTopics;
                repartitionTopics = repartitionTopics();
                if (!before.equals(repartitionTopics)) {
                    progress = progress(repartitionTopics);
                }
            }
            return progress;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read the progress of Streams application " + applicationId + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + CALL_TIMEOUT_SECONDS
                    + " s while reading the progress of Streams application " + applicationId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading Streams progress", e);
        }
    }

    /**
     * The application's repartition topics, from a listing of every topic of the cluster: an answer that grows with
     * the cluster, so it is not asked for at every call (a shared test broker holds thousands of topics, and
     * callers poll ten times a second).
     */
    private Set<String> repartitionTopics() throws ExecutionException, TimeoutException, InterruptedException {
        Set<String> found = new HashSet<>();
        for (String name : admin.listTopics().names().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            if (name.startsWith(applicationId + "-") && name.endsWith("-repartition")) {
                found.add(name);
            }
        }
        listedAt = System.nanoTime();
        return Set.copyOf(found);
    }

    private Progress progress(Set<String> repartition)
            throws ExecutionException, TimeoutException, InterruptedException {
        Set<String> topics = new HashSet<>(repartition);
        topics.add(inputTopic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        described.values().forEach(d -> d.partitions().forEach(
                p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        // read_committed: the end a reader can reach (last stable offset), not past open transactions.
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin
                .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return compare(ends, committed);
    }

    private Progress compare(Map<TopicPartition, ListOffsetsResultInfo> ends,
                             Map<TopicPartition, OffsetAndMetadata> committed) {
        long processed = 0;
        long total = 0;
        boolean done = true;
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : ends.entrySet()) {
            long end = e.getValue().offset();
            OffsetAndMetadata offset = committed.get(e.getKey());
            // No commit yet: nothing of this partition is processed (the group starts at the earliest offset).
            long committedOffset = offset == null ? 0 : offset.offset();
            if (committedOffset < end) {
                done = false;
            }
            if (e.getKey().topic().equals(inputTopic)) {
                processed += Math.min(committedOffset, end);
                total += end;
            }
        }
        return new Progress(processed, total, done);
    }

    /**
     * Whether no partition of {@code topics} has an open transaction: its read_committed end (last
     * stable offset) equals its read_uncommitted end (high watermark).
     */
    public boolean noOpenTransactions(List<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartition tp : partitions(admin, topics)) {
                latest.put(tp, OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResultInfo> stable = admin
                    .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> high = admin
                    .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return stable.entrySet().stream()
                    .allMatch(e -> e.getValue().offset() == high.get(e.getKey()).offset());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot read the end offsets of " + topics + ": " + e.getMessage(), e);
        }
    }

    /** Partitions of {@code topics}, for callers that read them to their end. */
    public static List<TopicPartition> partitions(Admin admin, List<String> topics) throws Exception {
        return admin.describeTopics(topics).allTopicNames().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).values()
                .stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .toList();
    }
}
