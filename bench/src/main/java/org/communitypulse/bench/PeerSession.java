package org.communitypulse.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.communitypulse.streams.engagement.EngagementSettings;

/**
 * The batch peer for one suite run: a PostgreSQL cluster when one can be started, else nothing (with
 * the reason in the results). Each size is loaded and recomputed once; every Streams setting's
 * records are checked against that one result.
 */
final class PeerSession implements AutoCloseable {

    private final PostgresCluster cluster;
    private final PeerBenchmark bench;
    private final Map<String, PeerBenchmark.Run> runs = new HashMap<>();

    private PeerSession(PostgresCluster cluster) {
        this.cluster = cluster;
        this.bench = cluster == null ? null : new PeerBenchmark(cluster,
                EngagementSettings.defaults().staffRoles());
    }

    /**
     * @param mode {@code auto}: run the peer if PostgreSQL starts, else report why and go on; {@code true}:
     *             fail without it; {@code false}: do not run it
     */
    static PeerSession open(String mode, Map<String, Object> results) throws Exception {
        Map<String, Object> status = new LinkedHashMap<>();
        results.put("batchPeerStatus", status);
        switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "false" -> {
                status.put("skipped", "--peer=false");
                return new PeerSession(null);
            }
            case "auto", "true" -> {
                try {
                    PostgresCluster cluster = PostgresCluster.start();
                    status.put("postgres", cluster.version());
                    status.put("fieldsCompared", DailyComparison.FIELDS);
                    System.out.println("[bench] batch peer: " + cluster.version());
                    return new PeerSession(cluster);
                } catch (PostgresCluster.Unavailable | IOException e) {
                    // Installed but failing to start is reported like absent: the rest of the suite still runs.
                    String why = e instanceof IOException ? "PostgreSQL did not start: " + e.getMessage() : e.getMessage();
                    if (mode.equalsIgnoreCase("true")) {
                        throw new IllegalStateException("--peer=true but " + why, e);
                    }
                    status.put("skipped", why);
                    System.out.println("[bench] batch peer SKIPPED: " + why);
                    return new PeerSession(null);
                }
            }
            default -> throw new IllegalArgumentException("--peer must be auto, true or false, not " + mode);
        }
    }

    /** The peer's figures and the check of the pipeline's records for this run; empty without a peer. */
    Optional<Map<String, Object>> compare(PipelineBenchmark.Run run, long events, int members, long increment)
            throws Exception {
        if (bench == null) {
            return Optional.empty();
        }
        String key = events + "/" + members + "/" + increment;
        PeerBenchmark.Run peer = runs.get(key);
        if (peer == null) {
            peer = bench.run(events, members, increment);
            runs.put(key, peer);
        }
        Map<String, Object> f = run.figures();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("events", events);
        row.put("commitIntervalMs", f.get("commitIntervalMs"));
        row.put("streamThreads", f.get("streamThreads"));
        double pipelineSeconds = ((Number) f.get("pipelineSeconds")).doubleValue();
        row.put("pipelineMicrosPerEvent", pipelineSeconds * 1e6 / events);
        row.put("pipelineIncrementMicrosPerEvent", f.get("incrementMicrosPerEvent"));
        row.put("peerFullRecomputeSeconds", peer.figures().get("fullRecomputeSeconds"));
        row.put("peerFullRecomputeMicrosPerEvent", peer.figures().get("fullRecomputeMicrosPerEvent"));
        row.put("peerIncrementMicrosPerEvent", peer.figures().get("incrementMicrosPerEvent"));
        // Below this many new events per batch, feeding them to the pipeline costs less time than one
        // full recompute: the pipeline's amortised cost per event against the recompute of everything.
        double full = ((Number) peer.figures().get("fullRecomputeSeconds")).doubleValue();
        row.put("breakEvenBatchEvents", Math.round(full * 1e6 / (pipelineSeconds * 1e6 / events)));
        row.put("peer", peer.figures());
        DailyComparison.Result check = DailyComparison.compare(run.daily(), peer.daily());
        row.put("check", check.toMap());
        report("after " + events + " events", check);
        int differing = check.differing();
        if (run.dailyAfterIncrement() != null && peer.dailyAfterIncrement() != null) {
            DailyComparison.Result after = DailyComparison.compare(run.dailyAfterIncrement(),
                    peer.dailyAfterIncrement());
            row.put("checkAfterIncrement", after.toMap());
            report("after the increment", after);
            differing += after.differing();
        }
        row.put("differingRecords", differing);
        return Optional.of(row);
    }

    private static void report(String when, DailyComparison.Result r) {
        System.out.printf("[bench] batch peer check %s: %,d daily records, %,d differing (%,d only in the pipeline, "
                + "%,d only in the peer)%n", when, r.records(), r.differing(), r.onlyPipeline(), r.onlyPeer());
        r.examples().forEach(e -> System.out.println("[bench]   " + e));
    }

    @Override
    public void close() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }
}
