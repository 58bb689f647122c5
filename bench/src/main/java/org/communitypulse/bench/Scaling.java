package org.communitypulse.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Growth shapes derived from the measured rows: how the time grows with events, and how the state
 * grows with members. Each is given as a ratio against the smallest run and as the exponent {@code k}
 * of {@code y ~ x^k} between the two ({@code k < 1}: sub-linear, {@code k = 1}: linear).
 */
final class Scaling {

    /** Decimal megabytes, as in docs/benchmarks.md. */
    private static final double MB = 1_000_000.0;

    private Scaling() {
    }

    /**
     * Per Streams setting, the pipeline's and the Streams floor's time for each size against the smallest;
     * and the peer's recompute.
     */
    static Map<String, Object> of(List<Map<String, Object>> throughput, List<Map<String, Object>> peerRows) {
        Map<String, List<Map<String, Object>>> bySetting = new TreeMap<>();
        for (Map<String, Object> r : throughput) {
            bySetting.computeIfAbsent(r.get("commitIntervalMs") + "ms x" + r.get("streamThreads"),
                    k -> new ArrayList<>()).add(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> pipeline = new LinkedHashMap<>();
        Map<String, Object> floor = new LinkedHashMap<>();
        bySetting.forEach((setting, rows) -> {
            pipeline.put(setting, growth(rows, "events", "pipelineSeconds"));
            List<Map<String, Object>> floorRows = rows.stream().filter(r -> r.containsKey("streamsFloorSeconds"))
                    .toList();
            floor.put(setting, growth(floorRows, "events", "streamsFloorSeconds"));
        });
        out.put("pipeline", pipeline);
        // The framework's own time, same settings: does the pipeline grow faster than Streams itself?
        out.put("streamsFloor", floor);
        Map<Object, Map<String, Object>> peerBySize = new TreeMap<>();
        for (Map<String, Object> r : peerRows) {
            peerBySize.putIfAbsent(((Number) r.get("events")).longValue(), r);
        }
        out.put("batchPeerFullRecompute", growth(new ArrayList<>(peerBySize.values()), "events",
                "peerFullRecomputeSeconds"));
        return out;
    }

    /** The memory figures of one run, per million events and per hundred thousand members. */
    static Map<String, Object> memoryRow(Map<String, Object> f) {
        Map<String, Object> row = new LinkedHashMap<>();
        long events = number(f, "events").longValue();
        long members = Math.max(1, number(f, "members").longValue());
        row.put("membersPerCommunity", f.get("membersPerCommunity"));
        row.put("events", events);
        row.put("members", members);
        for (String key : List.of("heapUsedBytesAfterGc", "heapGrowthBytes", "localStateDirBytesAfterClose",
                "localStateSstBytesAfterClose", "stateBytes")) {
            double bytes = number(f, key).doubleValue();
            row.put(key, (long) bytes);
            row.put(key + "PerMillionEvents", bytes * 1_000_000.0 / events);
            row.put(key + "PerHundredThousandMembers", bytes * 100_000.0 / members);
        }
        row.put("localStateMB", number(f, "localStateDirBytesAfterClose").doubleValue() / MB);
        row.put("heapGrowthMB", number(f, "heapGrowthBytes").doubleValue() / MB);
        row.put("pipelineSeconds", f.get("pipelineSeconds"));
        return row;
    }

    /** How each memory figure grows with the number of members, events fixed; failed points left out. */
    static Map<String, Object> memoryGrowth(List<Map<String, Object>> rows) {
        List<Map<String, Object>> memory = rows.stream().filter(r -> !r.containsKey("error")).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("localStateDirBytesAfterClose", "localStateSstBytesAfterClose", "stateBytes",
                "heapGrowthBytes")) {
            out.put(key, growth(memory, "members", key));
        }
        return out;
    }

    /** Each row's {@code y} against the row with the smallest {@code x}. */
    static List<Map<String, Object>> growth(List<Map<String, Object>> rows, String x, String y) {
        List<Map<String, Object>> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingDouble(r -> number(r, x).doubleValue()));
        List<Map<String, Object>> out = new ArrayList<>();
        if (sorted.isEmpty()) {
            return out;
        }
        double x0 = number(sorted.get(0), x).doubleValue();
        double y0 = number(sorted.get(0), y).doubleValue();
        for (Map<String, Object> r : sorted) {
            double xi = number(r, x).doubleValue();
            double yi = number(r, y).doubleValue();
            Map<String, Object> g = new LinkedHashMap<>();
            g.put(x, number(r, x));
            g.put(y, number(r, y));
            g.put(x + "Ratio", xi / x0);
            g.put(y + "Ratio", y0 == 0 ? null : yi / y0);
            g.put("exponent", xi == x0 || y0 <= 0 || yi <= 0 ? null : Math.log(yi / y0) / Math.log(xi / x0));
            out.add(g);
        }
        return out;
    }

    private static Number number(Map<String, Object> row, String key) {
        Object v = row.get(key);
        return v instanceof Number n ? n : 0;
    }
}
