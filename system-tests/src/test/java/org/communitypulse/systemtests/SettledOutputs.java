package org.communitypulse.systemtests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.communitypulse.schemas.avro.CommunityState;
import org.communitypulse.streams.StreamsCatchUp;
import org.communitypulse.streams.engagement.EngagementTopology;
import org.communitypulse.streams.maturity.MaturityTopology;

/**
 * When a Streams application in another process is finished with its input: the state stores that
 * {@code PulseStreamsApp#awaitCaughtUp} asks are out of reach there, so the broker has to tell. Finished
 * means every input record committed; no community with pending (processed, not yet emitted) periods
 * in the committed changelog of the community store; and the output topics' ends unchanged for longer
 * than {@value #QUIET_INTERVALS} emission intervals with no transaction open on them.
 *
 * <p>The changelog check is what makes this safe after a restart: a quiet period alone passes while a
 * restarted instance is still rejoining its group and restoring, before it emits what was pending when
 * its predecessor was killed (measured: a run read too early missed the last day of three communities).
 * Under exactly-once the pending marks are cleared in the same transaction that writes the emitted
 * records, so "none pending, committed" means "everything emitted, committed".
 */
final class SettledOutputs {

    static final int QUIET_INTERVALS = 3;
    private static final long POLL_MS = 200;

    private SettledOutputs() {
    }

    /**
     * Blocks until settled; fails early (with {@code diagnostics}) if {@code alive} turns false.
     *
     * @param emitInterval the application's {@code metrics.emit.interval.ms}
     */
    static void await(Admin admin, StreamsCatchUp catchUp, List<String> outputs, Duration emitInterval,
                      Supplier<Long> pendingCommunities, Duration timeout, Supplier<Boolean> alive,
                      Supplier<String> diagnostics) throws Exception {
        long quietNanos = emitInterval.multipliedBy(QUIET_INTERVALS).toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> last = Map.of();
        long unchangedSince = System.nanoTime();
        while (true) {
            if (!alive.get()) {
                throw new IllegalStateException("Streams process died before its outputs settled:\n" + diagnostics.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Outputs did not settle within " + timeout + " (progress "
                        + catchUp.progress() + "):\n" + diagnostics.get());
            }
            Map<TopicPartition, Long> ends = highWatermarks(admin, outputs);
            if (!ends.equals(last) || !catchUp.progress().done()) {
                last = ends;
                unchangedSince = System.nanoTime();
            } else if (System.nanoTime() - unchangedSince > quietNanos && catchUp.noOpenTransactions(outputs)
                    && pendingCommunities.get() == 0) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        }
    }

    /** Blocks until {@code catchUp} reports at least {@code records} input records committed. */
    static void awaitProcessed(StreamsCatchUp catchUp, long records, Duration timeout, Supplier<Boolean> alive,
                               Supplier<String> diagnostics) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            StreamsCatchUp.Progress progress = catchUp.progress();
            if (progress.processed() >= records || progress.done()) {
                return;
            }
            if (!alive.get()) {
                throw new IllegalStateException("Streams process died at " + progress + ":\n" + diagnostics.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Streams did not commit " + records + " records within " + timeout
                        + " (" + progress + "):\n" + diagnostics.get());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * Communities with periods not yet emitted according to the committed changelogs: marks in the
     * dirty-period store or the maturity dirty store, or a clock move whose member levels are not
     * re-evaluated yet. The broker's
     * copy of what {@link EngagementTopology#pendingCommunities} asks the stores.
     */
    static long pendingInChangelog(String bootstrapServers, String applicationId,
                                   Deserializer<CommunityState> deserializer) {
        String communities = applicationId + "-" + EngagementTopology.COMMUNITY_STORE + "-changelog";
        Set<String> pending = new HashSet<>();
        for (String mark : latest(bootstrapServers, applicationId + "-" + EngagementTopology.DIRTY_STORE
                + "-changelog").keySet()) {
            pending.add(mark.substring(0, mark.indexOf('\u0000')));
        }
        // The maturity family scores a community after its engagement records are out: its own marks
        // (community -> earliest week to re-score) must be gone too.
        pending.addAll(latest(bootstrapServers, applicationId + "-" + MaturityTopology.DIRTY_STORE + "-changelog")
                .keySet());
        latest(bootstrapServers, communities).forEach((community, bytes) -> {
            CommunityState cs = deserializer.deserialize(communities, bytes);
            if (cs.getLatestDay() != null && !cs.getLatestDay().equals(cs.getLevelsAsOf())) {
                pending.add(community);
            }
        });
        return pending.size();
    }

    /** The latest value per key of a changelog, tombstones removing their key. */
    private static Map<String, byte[]> latest(String bootstrapServers, String changelog) {
        Map<String, byte[]> latest = new HashMap<>();
        try {
            OutputSnapshot.readAll(bootstrapServers, changelog, Duration.ofMinutes(1), r -> {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (r.value() == null) {
                    latest.remove(key);
                } else {
                    latest.put(key, r.value());
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read " + changelog + ": " + e.getMessage(), e);
        }
        return latest;
    }

    /** Read_uncommitted ends: they move with every record written, committed or not. */
    private static Map<TopicPartition, Long> highWatermarks(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartition tp : StreamsCatchUp.partitions(admin, topics)) {
            latest.put(tp, OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                .get(20, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
