package org.communitypulse.bench;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.schemas.avro.ActivityEvent;

/**
 * The batch peer's side of a throughput run: the same first {@code events} events of the same plan
 * loaded into PostgreSQL and every compared record (daily, trailing, retention) recomputed from all of
 * them, then the same increment appended and everything recomputed again, which is what a batch system
 * pays per new batch.
 */
final class PeerBenchmark {

    /** The peer's figures and its rows of every kind before and after the increment, keyed like the pipeline's. */
    record Run(Map<String, Object> figures, Map<PeerRecordKind, Map<String, Map<String, Object>>> records,
               Map<PeerRecordKind, Map<String, Map<String, Object>>> recordsAfterIncrement) {
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
            Map<String, Double> steps = peer.recompute();
            double full = total(steps);
            f.put("fullRecomputeSeconds", full);
            f.put("fullRecomputeMicrosPerEvent", full * 1e6 / loaded);
            f.put("fullRecomputeSecondsByStep", steps);
            f.put("fullRecomputeMicrosPerEventByStep", perEvent(steps, loaded));
            Map<PeerRecordKind, Map<String, Map<String, Object>>> before = peer.records();
            Map<String, Integer> rows = rowCounts(before);
            f.put("rows", rows.values().stream().mapToInt(Integer::intValue).sum());
            f.put("rowsByKind", rows);
            log("batch peer: %,d events loaded in %.1f s, every compared record recomputed in %.2f s (%.2f µs per "
                    + "event: %s), rows %s", loaded, f.get("loadSeconds"), full, full * 1e6 / loaded,
                    describe(perEvent(steps, loaded)), rows);
            Map<PeerRecordKind, Map<String, Map<String, Object>>> after = null;
            if (increment > 0) {
                long t2 = System.nanoTime();
                long appended = peer.load(generated, increment);
                double load = seconds(t2);
                Map<String, Double> again = peer.recompute();
                double recompute = total(again);
                f.put("incrementEvents", appended);
                f.put("incrementLoadSeconds", load);
                f.put("incrementRecomputeSeconds", recompute);
                f.put("incrementRecomputeSecondsByStep", again);
                f.put("incrementMicrosPerEvent", (load + recompute) * 1e6 / Math.max(1, appended));
                after = peer.records();
                log("batch peer: %,d more events appended in %.2f s and everything recomputed in %.2f s (%.0f µs per "
                        + "new event)", appended, load, recompute, (load + recompute) * 1e6 / Math.max(1, appended));
            }
            f.put("rejectedAsThePipelineWould", peer.rejected());
            f.put("databaseBytes", peer.databaseBytes());
            return new Run(f, before, after);
        }
    }

    private static double total(Map<String, Double> steps) {
        return steps.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static Map<String, Double> perEvent(Map<String, Double> steps, long events) {
        Map<String, Double> m = new LinkedHashMap<>();
        steps.forEach((step, s) -> m.put(step, s * 1e6 / events));
        return m;
    }

    private static Map<String, Integer> rowCounts(Map<PeerRecordKind, Map<String, Map<String, Object>>> records) {
        Map<String, Integer> m = new LinkedHashMap<>();
        records.forEach((kind, rows) -> m.put(kind.label, rows.size()));
        return m;
    }

    private static String describe(Map<String, Double> micros) {
        return micros.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(),
                e.getValue())).collect(Collectors.joining(", "));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
