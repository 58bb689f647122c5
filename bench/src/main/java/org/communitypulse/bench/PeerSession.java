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
                    Map<String, List<String>> fields = new LinkedHashMap<>();
                    for (PeerRecordKind kind : PeerRecordKind.values()) {
                        fields.put(kind.label, kind.fields);
                    }
                    status.put("fieldsCompared", fields);
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
    @SuppressWarnings("unchecked")
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
        double pipelineMicros = pipelineSeconds * 1e6 / events;
        row.put("breakEvenBatchEvents", Math.round(full * 1e6 / pipelineMicros));
        // The same per step of the recompute (the shared tables, then each kind), for what each kind costs.
        Map<String, Double> steps = (Map<String, Double>) peer.figures().get("fullRecomputeSecondsByStep");
        row.put("peerFullRecomputeMicrosPerEventByStep", peer.figures().get("fullRecomputeMicrosPerEventByStep"));
        Map<String, Long> breakEven = new LinkedHashMap<>();
        steps.forEach((step, seconds) -> breakEven.put(step, Math.round(seconds * 1e6 / pipelineMicros)));
        row.put("breakEvenBatchEventsByStep", breakEven);
        row.put("peer", peer.figures());
        int differing = check(row, "check", "after " + events + " events", run.records(), peer.records());
        if (run.recordsAfterIncrement() != null && peer.recordsAfterIncrement() != null) {
            differing += check(row, "checkAfterIncrement", "after the increment", run.recordsAfterIncrement(),
                    peer.recordsAfterIncrement());
        }
        row.put("differingRecords", differing);
        return Optional.of(row);
    }

    /**
     * Compares every kind, puts the totals under {@code name} with each kind's result under its
     * {@code byKind}, logs them, and returns the differing records.
     */
    private static int check(Map<String, Object> row, String name, String when,
                             Map<PeerRecordKind, Map<String, Map<String, Object>>> pipeline,
                             Map<PeerRecordKind, Map<String, Map<String, Object>>> peer) {
        PeerComparison.Result total = new PeerComparison.Result(0, 0, 0, 0, List.of());
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (PeerRecordKind kind : PeerRecordKind.values()) {
            PeerComparison.Result r = PeerComparison.compare(kind, pipeline.get(kind), peer.get(kind));
            byKind.put(kind.label, r.toMap());
            System.out.printf("[bench] batch peer check %s: %,d %s records, %,d differing (%,d only in the pipeline, "
                    + "%,d only in the peer)%n", when, r.records(), kind.label, r.differing(), r.onlyPipeline(),
                    r.onlyPeer());
            r.examples().forEach(e -> System.out.println("[bench]   " + e));
            total = total.plus(r);
        }
        Map<String, Object> check = total.toMap();
        check.put("byKind", byKind);
        row.put(name, check);
        return total.differing();
    }

    @Override
    public void close() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }
}
