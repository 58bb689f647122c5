package org.communitypulse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;

/**
 * Field-by-field comparison of the pipeline's latest records of one {@link PeerRecordKind} with the batch
 * peer's rows for the same events, on the kind's {@link PeerRecordKind#fields fields}. Counts and flags must
 * be equal; ratios are both {@code a / (double) b} of equal counts, so they are compared exactly too, up to
 * 1e-12 for the text round trip.
 */
public final class PeerComparison {

    private static final double RATIO_TOLERANCE = 1e-12;
    private static final int EXAMPLES = 5;

    /**
     * @param records      keys on both sides together
     * @param differing    keys whose records differ or that one side lacks
     * @param onlyPipeline keys the peer has no row for
     * @param onlyPeer     keys the pipeline emitted no record for
     * @param examples     the first few differences, for the log
     */
    public record Result(int records, int differing, int onlyPipeline, int onlyPeer, List<String> examples) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("records", records);
            m.put("differingRecords", differing);
            m.put("onlyInPipeline", onlyPipeline);
            m.put("onlyInPeer", onlyPeer);
            m.put("examples", examples);
            return m;
        }

        /** This result and {@code other} together, examples of both (up to the usual few) in order. */
        Result plus(Result other) {
            List<String> both = new ArrayList<>(examples);
            both.addAll(other.examples);
            return new Result(records + other.records, differing + other.differing, onlyPipeline + other.onlyPipeline,
                    onlyPeer + other.onlyPeer, both.subList(0, Math.min(EXAMPLES, both.size())));
        }
    }

    private PeerComparison() {
    }

    /** The key both sides use: community and epoch day (a Monday for retention). */
    public static String key(String communityId, long epochDay) {
        return communityId + "/" + epochDay;
    }

    /** A pipeline record as its kind's compared fields, by name. */
    public static Map<String, Object> fields(PeerRecordKind kind, GenericRecord value) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : kind.fields) {
            m.put(f, value.get(f));
        }
        return m;
    }

    /** Compares every key of either side; examples name the kind, the key and the first differing field. */
    public static Result compare(PeerRecordKind kind, Map<String, Map<String, Object>> pipeline,
                                 Map<String, Map<String, Object>> peer) {
        Set<String> keys = new TreeSet<>(pipeline.keySet());
        keys.addAll(peer.keySet());
        int differing = 0;
        int onlyPipeline = 0;
        int onlyPeer = 0;
        List<String> examples = new ArrayList<>();
        for (String key : keys) {
            Map<String, Object> a = pipeline.get(key);
            Map<String, Object> b = peer.get(key);
            String difference = null;
            if (b == null) {
                onlyPipeline++;
                difference = "no peer row";
            } else if (a == null) {
                onlyPeer++;
                difference = "no pipeline record";
            } else {
                for (String f : kind.fields) {
                    if (!same(a.get(f), b.get(f))) {
                        difference = f + " pipeline=" + a.get(f) + " peer=" + b.get(f);
                        break;
                    }
                }
            }
            if (difference != null) {
                differing++;
                if (examples.size() < EXAMPLES) {
                    examples.add(kind.label + " " + key + ": " + difference);
                }
            }
        }
        return new Result(keys.size(), differing, onlyPipeline, onlyPeer, examples);
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
                return Math.abs(x.doubleValue() - y.doubleValue()) <= RATIO_TOLERANCE;
            }
            return x.longValue() == y.longValue();
        }
        return Objects.equals(a, b);
    }
}
