package org.communitypulse.bench;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * The batch peer's side of a throughput run: the same first {@code events} events of the same plan
 * loaded into PostgreSQL and the daily metrics recomputed from all of them, then the same increment
 * appended and everything recomputed again, which is what a batch system pays per new batch.
 */
final class PeerBenchmark {

    /** The peer's figures and its rows before and after the increment, keyed like the pipeline's records. */
    record Run(Map<String, Object> figures, Map<String, Map<String, Object>> daily,
               Map<String, Map<String, Object>> dailyAfterIncrement) {
    }

    private final PostgresCluster cluster;
    private final Collection<String> staffRoles;

    PeerBenchmark(PostgresCluster cluster, Collection<String> staffRoles) {
        this.cluster = cluster;
        this.staffRoles = staffRoles;
    }

    Run run(long events, int membersPerCommunity, long increment) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("postgres", cluster.version());
        Iterator<ActivityEvent> generated = new SimulatedActivity(PipelineBenchmark.plan(membersPerCommunity))
                .iterator();
        try (BatchPeer peer = new BatchPeer(cluster.connect(), staffRoles)) {
            long t0 = System.nanoTime();
            long loaded = peer.load(generated, events);
            f.put("events", loaded);
            // Generating the events is part of this figure (they are streamed into COPY, not staged in a file).
            f.put("loadSeconds", seconds(t0));
            long t1 = System.nanoTime();
            peer.recompute();
            double full = seconds(t1);
            f.put("fullRecomputeSeconds", full);
            f.put("fullRecomputeMicrosPerEvent", full * 1e6 / loaded);
            Map<String, Map<String, Object>> before = peer.daily();
            f.put("rows", before.size());
            log("batch peer: %,d events loaded in %.1f s, daily metrics recomputed in %.2f s (%.2f µs per event), "
                    + "%,d rows", loaded, f.get("loadSeconds"), full, full * 1e6 / loaded, before.size());
            Map<String, Map<String, Object>> after = null;
            if (increment > 0) {
                long t2 = System.nanoTime();
                long appended = peer.load(generated, increment);
                double load = seconds(t2);
                long t3 = System.nanoTime();
                peer.recompute();
                double recompute = seconds(t3);
                f.put("incrementEvents", appended);
                f.put("incrementLoadSeconds", load);
                f.put("incrementRecomputeSeconds", recompute);
                f.put("incrementMicrosPerEvent", (load + recompute) * 1e6 / Math.max(1, appended));
                after = peer.daily();
                log("batch peer: %,d more events appended in %.2f s and everything recomputed in %.2f s (%.0f µs per "
                        + "new event)", appended, load, recompute, (load + recompute) * 1e6 / Math.max(1, appended));
            }
            f.put("rejectedAsThePipelineWould", peer.rejected());
            f.put("databaseBytes", peer.databaseBytes());
            return new Run(f, before, after);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
