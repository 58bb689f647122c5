package org.communitypulse.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.streams.common.View;
import org.communitypulse.streams.common.ViewKeys;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.organisation.OrganisationViews;

/**
 * The organisation level (see {@code docs/dashboard.md#organisations}). An organisation's weeks and roles are spread
 * over the partitions of the roll-ups' repartition topics, so each instance answers from what it holds
 * ({@code local*} methods, the same document shape) and the instance asked merges every instance's answer
 * ({@code merge*} methods): the latest week wins, weeks and roles are united.
 */
public final class OrganisationQueries {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final char END = (char) (ViewKeys.SEPARATOR + 1);

    private final ViewStores stores;

    public OrganisationQueries(ViewStores stores) {
        this.stores = stores;
    }

    /** Every organisation with a record here: its latest scorecard and health, as held by this instance. */
    public ObjectNode localList() {
        Map<String, ObjectNode> byId = new TreeMap<>();
        latestPerOrganisation(OrganisationViews.SCORECARDS, (id, card) -> entry(byId, id).set("scorecard", card));
        latestPerOrganisation(OrganisationViews.HEALTH, (id, health) -> entry(byId, id).set("health", health));
        ObjectNode node = NODES.objectNode();
        ArrayNode list = node.putArray("organisations");
        byId.values().forEach(list::add);
        return node;
    }

    /** One organisation's latest scorecard and health, its role coverage and staff share weeks held here. */
    public ObjectNode localDetail(String organisation) {
        ObjectNode node = NODES.objectNode().put("organisationId", organisation);
        range(OrganisationViews.SCORECARDS, organisation, null, null).stream().reduce((a, b) -> b)
                .ifPresent(card -> node.set("scorecard", card));
        range(OrganisationViews.HEALTH, organisation, null, null).stream().reduce((a, b) -> b)
                .ifPresent(health -> node.set("health", health));
        node.putArray("coverage").addAll(range(OrganisationViews.COVERAGE, organisation, null, null));
        node.putArray("staffShare").addAll(range(OrganisationViews.STAFF_SHARE, organisation, null, null));
        return node;
    }

    /** The organisation's scorecards of the weeks starting in {@code [from, to]} (either may be null) held here. */
    public ObjectNode localScorecards(String organisation, LocalDate from, LocalDate to) {
        ObjectNode node = NODES.objectNode().put("organisationId", organisation);
        node.putArray("scorecards").addAll(range(OrganisationViews.SCORECARDS, organisation, from, to));
        return node;
    }

    /** Every instance's {@link #localList()} as one: per organisation the latest scorecard and health. */
    public static ObjectNode mergeList(List<JsonNode> answers) {
        Map<String, ObjectNode> byId = new TreeMap<>();
        for (JsonNode answer : answers) {
            for (JsonNode org : answer.path("organisations")) {
                ObjectNode entry = entry(byId, org.path("organisationId").asText());
                keepLatest(entry, org, "scorecard");
                keepLatest(entry, org, "health");
            }
        }
        ObjectNode node = NODES.objectNode();
        ArrayNode list = node.putArray("organisations");
        for (ObjectNode entry : byId.values()) {
            ObjectNode summary = NODES.objectNode().put("organisationId", entry.path("organisationId").asText());
            JsonNode card = entry.path("scorecard");
            summary.set("name", nameOf(card));
            summary.set("communities", communities(entry));
            if (card.isObject()) {
                summary.putObject("scorecard").put("periodStart", card.path("periodStart").asText())
                        .put("complete", card.path("complete").asBoolean())
                        .put("overallStage", card.path("overallStage").asInt())
                        .put("overallStageName", card.path("overallStageName").asText())
                        .put("overallScore", card.path("overallScore").asDouble())
                        .put("communityCount", card.path("communityCount").asInt());
            }
            JsonNode health = entry.path("health");
            if (health.isObject()) {
                ObjectNode h = summary.putObject("health").put("periodStart", health.path("periodStart").asText())
                        .put("state", health.path("state").asText())
                        .put("communityCount", health.path("communityCount").asInt());
                h.set("score", health.path("score"));
                h.set("stateCounts", health.path("stateCounts"));
            }
            list.add(summary);
        }
        return node;
    }

    /** Every instance's {@link #localDetail} as one; empty when no instance holds anything of the organisation. */
    public static Optional<ObjectNode> mergeDetail(String organisation, List<JsonNode> answers) {
        ObjectNode node = NODES.objectNode().put("organisationId", organisation);
        node.putNull("name");
        Map<String, JsonNode> coverage = new TreeMap<>();
        Map<String, JsonNode> staff = new TreeMap<>();
        for (JsonNode answer : answers) {
            keepLatest(node, answer, "scorecard");
            keepLatest(node, answer, "health");
            answer.path("coverage").forEach(row -> coverage.merge(row.path("role").asText(), row,
                    (a, b) -> a.path("asOf").asText().compareTo(b.path("asOf").asText()) >= 0 ? a : b));
            answer.path("staffShare").forEach(week -> staff.merge(week.path("periodStart").asText(), week,
                    (a, b) -> a.path("updatedAt").asText().compareTo(b.path("updatedAt").asText()) >= 0 ? a : b));
        }
        if (!node.has("scorecard") && !node.has("health") && coverage.isEmpty() && staff.isEmpty()) {
            return Optional.empty();
        }
        node.set("name", nameOf(node.path("scorecard")));
        node.set("communities", communities(node));
        node.putArray("coverage").addAll(coverage.values());
        node.putArray("staffShare").addAll(staff.values());
        return Optional.of(node);
    }

    /** The organisation's name its latest scorecard gives; JSON null when none. */
    private static JsonNode nameOf(JsonNode scorecard) {
        JsonNode name = scorecard.path("name");
        return name.isTextual() ? name : NODES.nullNode();
    }

    /**
     * Every instance's {@link #localScorecards} as one, sorted by week; without {@code from}, the
     * {@value MaturityQueries#DEFAULT_RANGE_WEEKS} latest weeks up to {@code to}.
     */
    public static Optional<ObjectNode> mergeScorecards(String organisation, LocalDate from, LocalDate to,
                                                       List<JsonNode> answers) {
        Map<String, JsonNode> weeks = new TreeMap<>();
        answers.forEach(answer -> answer.path("scorecards").forEach(card ->
                weeks.put(card.path("periodStart").asText(), card)));
        if (weeks.isEmpty()) {
            return Optional.empty();
        }
        List<JsonNode> list = new ArrayList<>(weeks.values());
        if (from == null && list.size() > MaturityQueries.DEFAULT_RANGE_WEEKS) {
            list = list.subList(list.size() - MaturityQueries.DEFAULT_RANGE_WEEKS, list.size());
        }
        ObjectNode node = NODES.objectNode().put("organisationId", organisation)
                .put("from", list.get(0).path("periodStart").asText())
                .put("to", list.get(list.size() - 1).path("periodStart").asText());
        node.putArray("scorecards").addAll(list);
        return Optional.of(node);
    }

    /** Refuses a range that is reversed or longer than {@link MaturityQueries#MAX_RANGE_WEEKS}. */
    public static void checkRange(LocalDate from, LocalDate to) {
        if (from != null && to != null) {
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
            }
            if (ChronoUnit.WEEKS.between(from, to) >= MaturityQueries.MAX_RANGE_WEEKS) {
                throw new IllegalArgumentException("range longer than " + MaturityQueries.MAX_RANGE_WEEKS + " weeks");
            }
        }
    }

    private static ObjectNode entry(Map<String, ObjectNode> byId, String id) {
        return byId.computeIfAbsent(id, k -> NODES.objectNode().put("organisationId", k));
    }

    /** Sets {@code field} from {@code candidate} when it is a later week (by periodStart) than the one held. */
    private static void keepLatest(ObjectNode target, JsonNode candidate, String field) {
        JsonNode next = candidate.path(field);
        if (next.isObject() && (!target.path(field).isObject() || next.path("periodStart").asText()
                .compareTo(target.path(field).path("periodStart").asText()) > 0)) {
            target.set(field, next);
        }
    }

    /** The communities of the latest scorecard and health, sorted. */
    private static ArrayNode communities(JsonNode entry) {
        TreeSet<String> ids = new TreeSet<>();
        for (String field : List.of("scorecard", "health")) {
            entry.path(field).path("communities").forEach(c -> ids.add(c.path("communityId").asText()));
        }
        ArrayNode list = NODES.arrayNode();
        ids.forEach(list::add);
        return list;
    }

    private <V extends SpecificRecord> void latestPerOrganisation(View<V> view, BiConsumer<String, JsonNode> found) {
        ReadOnlyKeyValueStore<String, V> store = store(view);
        if (store == null) {
            return;
        }
        Map<String, String> latestKey = new TreeMap<>();
        Map<String, V> latest = new TreeMap<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                String id = kv.key.substring(0, kv.key.indexOf(ViewKeys.SEPARATOR));
                if (kv.value != null && kv.key.compareTo(latestKey.getOrDefault(id, "")) > 0) {
                    latestKey.put(id, kv.key);
                    latest.put(id, kv.value);
                }
            }
        }
        latest.forEach((id, value) -> found.accept(id, RecordJson.of(value)));
    }

    /** The organisation's records held here, by key; weeks limited to {@code [from, to]} when given. */
    private <V extends SpecificRecord> List<JsonNode> range(View<V> view, String organisation, LocalDate from,
                                                            LocalDate to) {
        List<JsonNode> found = new ArrayList<>();
        ReadOnlyKeyValueStore<String, V> store = store(view);
        if (store == null) {
            return found;
        }
        String low = from == null ? ViewKeys.scoped(organisation, "") : OrganisationViews.weekKey(organisation, from);
        String high = to == null ? organisation + END : OrganisationViews.weekKey(organisation, to);
        // Several partitions: each range is sorted, their concatenation is not.
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        try (KeyValueIterator<String, V> it = store.range(low, high)) {
            while (it.hasNext()) {
                var kv = it.next();
                if (kv.value != null) {
                    sorted.put(kv.key, RecordJson.of(kv.value));
                }
            }
        }
        found.addAll(sorted.values());
        return found;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(View<V> view) {
        if (stores == null) {
            return null;
        }
        try {
            return view.in(stores);
        } catch (UnknownStateStoreException e) {
            return null;
        }
    }
}
