package org.communitypulse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.communitypulse.schemas.avro.DailyEngagement;

/**
 * Field-by-field comparison of the pipeline's latest {@code pulse.engagement.daily} records with the
 * batch peer's rows for the same events: every field but {@code updatedAt} (a wall-clock stamp).
 * Counts must be equal; ratios are both {@code a / (double) b} of equal counts, so they are compared
 * exactly too, up to 1e-12 for the text round trip.
 */
public final class DailyComparison {

    /** DailyEngagement fields the peer does not compute: the key fields and the wall-clock stamp. */
    private static final List<String> NOT_COMPARED = List.of("communityId", "day", "updatedAt");
    private static final double RATIO_TOLERANCE = 1e-12;
    private static final int EXAMPLES = 5;

    /** Fields compared, in schema order. */
    public static final List<String> FIELDS = DailyEngagement.getClassSchema().getFields().stream()
            .map(Schema.Field::name).filter(f -> !NOT_COMPARED.contains(f)).toList();

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
    }

    private DailyComparison() {
    }

    /** The key both sides use: community and epoch day. */
    public static String key(String communityId, long epochDay) {
        return communityId + "/" + epochDay;
    }

    /** A pipeline record as the compared fields, by name. */
    public static Map<String, Object> fields(DailyEngagement value) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : FIELDS) {
            m.put(f, value.get(f));
        }
        return m;
    }

    public static Result compare(Map<String, Map<String, Object>> pipeline, Map<String, Map<String, Object>> peer) {
        java.util.Set<String> keys = new java.util.TreeSet<>(pipeline.keySet());
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
                difference = key + ": no peer row";
            } else if (a == null) {
                onlyPeer++;
                difference = key + ": no pipeline record";
            } else {
                for (String f : FIELDS) {
                    if (!same(a.get(f), b.get(f))) {
                        difference = key + ": " + f + " pipeline=" + a.get(f) + " peer=" + b.get(f);
                        break;
                    }
                }
            }
            if (difference != null) {
                differing++;
                if (examples.size() < EXAMPLES) {
                    examples.add(difference);
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
