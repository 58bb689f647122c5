package org.communitypulse.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.CompetencyScore;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.streams.common.View;
import org.communitypulse.streams.common.ViewKeys;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.maturity.MaturityViews;
import org.communitypulse.streams.query.RecordJson;

/**
 * The maturity scorecard and health score of a community, week by week, from the maturity view stores
 * ({@link MaturityTopology#SCORECARD_VIEW_STORE}, {@link MaturityTopology#HEALTH_VIEW_STORE}), and the
 * benchmark (percentiles) over a list of community summaries. See {@code docs/maturity.md}.
 *
 * <p>A pipeline without the maturity family (its stores unknown) answers as if no week was scored yet.
 */
public final class MaturityQueries {

    /** Weeks of a range when the request gives no {@code from}: the 26 weeks ending on {@code to}. */
    public static final int DEFAULT_RANGE_WEEKS = 26;
    public static final int MAX_RANGE_WEEKS = 530;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final char SEP = ViewKeys.SEPARATOR;
    private static final char END = (char) (SEP + 1);

    private final ViewStores stores;

    public MaturityQueries(ViewStores stores) {
        this.stores = stores;
    }

    /** The community's latest scorecard, if any week was scored. */
    public Optional<MaturityScorecard> latestScorecard(String community) {
        return latest(MaturityViews.SCORECARDS, community);
    }

    /** The community's latest health record, if any week was scored. */
    public Optional<CommunityHealth> latestHealth(String community) {
        return latest(MaturityViews.HEALTH, community);
    }

    /** Scorecards of the weeks starting in {@code [from, to]} (default: the 26 weeks ending with the latest). */
    public Optional<ObjectNode> scorecards(String community, LocalDate from, LocalDate to) {
        return weeks(MaturityViews.SCORECARDS, community, from, to, "scorecards",
                latestScorecard(community).map(MaturityScorecard::getPeriodStart));
    }

    /** Health records of the weeks starting in {@code [from, to]}. */
    public Optional<ObjectNode> health(String community, LocalDate from, LocalDate to) {
        return weeks(MaturityViews.HEALTH, community, from, to, "health",
                latestHealth(community).map(CommunityHealth::getPeriodStart));
    }

    /** The compact form carried in a community summary: latest week's stages, scores and health. */
    public Optional<ObjectNode> summary(String community) {
        Optional<MaturityScorecard> card = latestScorecard(community);
        Optional<CommunityHealth> health = latestHealth(community);
        if (card.isEmpty() && health.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode node = NODES.objectNode();
        card.ifPresent(c -> {
            node.put("periodStart", c.getPeriodStart().toString());
            node.put("overallStage", c.getOverallStage());
            node.put("overallStageName", c.getOverallStageName());
            node.put("overallScore", c.getOverallScore());
            ObjectNode competencies = node.putObject("competencies");
            for (CompetencyScore s : c.getCompetencies()) {
                competencies.putObject(s.getCompetency()).put("name", s.getName()).put("stage", s.getStage())
                        .put("score", s.getScore());
            }
        });
        health.ifPresent(h -> node.put("healthScore", h.getScore()).put("healthState", h.getState().name()));
        return Optional.of(node);
    }

    /**
     * Adds percentiles to the {@code maturity} node of each summary: {@code overallPercentile},
     * {@code healthPercentile} and one per competency, each the share (0-100) of the communities listed whose
     * score is at most this one's (so the best scores 100 and ties share a rank). Every community is ranked on
     * its own latest week.
     */
    public static void rank(List<? extends JsonNode> summaries) {
        List<ObjectNode> scored = new ArrayList<>();
        for (JsonNode s : summaries) {
            if (s.path("maturity").isObject()) {
                scored.add((ObjectNode) s.get("maturity"));
            }
        }
        percentile(scored, m -> m.path("overallScore"), "overallPercentile");
        percentile(scored, m -> m.path("healthScore"), "healthPercentile");
        List<String> ids = new ArrayList<>();
        for (ObjectNode m : scored) {
            for (Iterator<String> it = m.path("competencies").fieldNames(); it.hasNext(); ) {
                String id = it.next();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        for (String id : ids) {
            List<ObjectNode> nodes = new ArrayList<>();
            for (ObjectNode m : scored) {
                if (m.path("competencies").path(id).isObject()) {
                    nodes.add((ObjectNode) m.path("competencies").path(id));
                }
            }
            percentile(nodes, n -> n.path("score"), "percentile");
        }
    }

    private static void percentile(List<ObjectNode> nodes, Function<ObjectNode, JsonNode> score, String field) {
        List<Double> values = new ArrayList<>();
        for (ObjectNode n : nodes) {
            if (score.apply(n).isNumber()) {
                values.add(score.apply(n).asDouble());
            }
        }
        for (ObjectNode n : nodes) {
            if (score.apply(n).isNumber()) {
                double v = score.apply(n).asDouble();
                long atMost = values.stream().filter(x -> x <= v).count();
                n.put(field, Math.round(1000.0 * atMost / values.size()) / 10.0);
            }
        }
    }

    /** The benchmark document: one row per community with a scorecard, best overall score first. */
    public static ObjectNode benchmark(List<? extends JsonNode> summaries) {
        rank(summaries);
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode s : summaries) {
            if (s.path("maturity").isObject()) {
                rows.add(NODES.objectNode().put("communityId", s.path("communityId").asText())
                        .setAll((ObjectNode) s.get("maturity").deepCopy()));
            }
        }
        rows.sort((a, b) -> Double.compare(b.path("overallScore").asDouble(), a.path("overallScore").asDouble()));
        ObjectNode node = NODES.objectNode();
        node.put("communities", rows.size());
        ArrayNode list = node.putArray("rows");
        rows.forEach(list::add);
        return node;
    }

    private <V> Optional<V> latest(View<V> view, String community) {
        ReadOnlyKeyValueStore<String, V> store = store(view.store());
        if (store == null) {
            return Optional.empty();
        }
        try (KeyValueIterator<String, V> it = store.reverseRange(community + SEP, community + END)) {
            return it.hasNext() ? Optional.ofNullable(it.next().value) : Optional.empty();
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        try {
            return stores.store(name);
        } catch (UnknownStateStoreException e) {
            return null;
        }
    }

    private Optional<ObjectNode> weeks(View<?> view, String community, LocalDate from, LocalDate to, String field,
                                       Optional<LocalDate> latest) {
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        LocalDate end = to != null ? to : latest.get();
        LocalDate start = from != null ? from : end.minusWeeks(DEFAULT_RANGE_WEEKS - 1L);
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("from (" + start + ") is after to (" + end + ")");
        }
        if (ChronoUnit.WEEKS.between(start, end) >= MAX_RANGE_WEEKS) {
            throw new IllegalArgumentException("range longer than " + MAX_RANGE_WEEKS + " weeks");
        }
        ObjectNode node = NODES.objectNode().put("communityId", community).put("from", start.toString())
                .put("to", end.toString());
        ArrayNode list = node.putArray(field);
        ReadOnlyKeyValueStore<String, SpecificRecord> store = store(view.store());
        try (KeyValueIterator<String, SpecificRecord> it = store.range(community + SEP + start, community + SEP + end)) {
            while (it.hasNext()) {
                SpecificRecord value = it.next().value;
                if (value != null) {
                    list.add(RecordJson.of(value));
                }
            }
        }
        return Optional.of(node);
    }
}
