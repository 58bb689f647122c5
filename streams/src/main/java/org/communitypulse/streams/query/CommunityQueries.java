package org.communitypulse.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertAction;
import org.communitypulse.schemas.avro.AlertActionLog;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EngagementLevel;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.ReconciliationStatus;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.schemas.avro.TrainingMetrics;
import org.communitypulse.streams.alerts.AlertActionLogs;
import org.communitypulse.streams.alerts.AlertActionsTopology;
import org.communitypulse.streams.alerts.AlertViews;
import org.communitypulse.streams.common.View;
import org.communitypulse.streams.common.ViewKeys;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.engagement.EngagementViews;
import org.communitypulse.streams.query.RecordJson;
import org.communitypulse.streams.reconciliation.ReconciliationViews;
import org.communitypulse.streams.roles.RolesViews;

/**
 * The dashboard's questions, answered from this instance's view stores as JSON (see
 * {@code docs/dashboard.md}). A community lives on one partition, so its questions are prefix ranges
 * of one store; listing communities walks each partition's keys, jumping from community to community.
 *
 * @see org.communitypulse.streams.engagement.EngagementTopology#DAILY_VIEW_STORE
 */
public final class CommunityQueries {

    /** Days of daily activity (threads + replies) in a summary's sparkline, ending on the latest day. */
    public static final int SPARKLINE_DAYS = 28;
    /** Days of a range when the request gives no {@code from}: the 90 days ending on {@code to}. */
    public static final int DEFAULT_RANGE_DAYS = 90;
    /** Longest range one request may ask for (about ten years). */
    public static final int MAX_RANGE_DAYS = 3660;
    public static final int DEFAULT_TOP_MEMBERS = 10;
    public static final int MAX_TOP_MEMBERS = 100;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final char SEP = ViewKeys.SEPARATOR;
    /** The character after {@link #SEP}: {@code community + END} bounds the community's keys from above. */
    private static final char END = (char) (SEP + 1);

    private final ViewStores stores;
    private final MaturityQueries maturity;

    public CommunityQueries(ViewStores stores) {
        this.stores = stores;
        this.maturity = new MaturityQueries(stores);
    }

    /** The maturity scorecard and health questions over the same stores. */
    public MaturityQueries maturity() {
        return maturity;
    }

    private HealthState health(String community, TreeSet<AlertCondition> firing) {
        return HealthState.of(firing, maturity.latestHealth(community).map(h -> h.getState()).orElse(null));
    }

    /** Summaries of every community held here, by id. */
    public List<ObjectNode> summaries() {
        TreeSet<String> ids = new TreeSet<>();
        for (ReadOnlyKeyValueStore<String, TrailingEngagement> partition :
                EngagementViews.TRAILING.partitions(stores)) {
            ids.addAll(communityIds(partition));
        }
        List<ObjectNode> result = new ArrayList<>();
        for (String id : ids) {
            summary(id).ifPresent(result::add);
        }
        return result;
    }

    /**
     * One community: its latest trailing record, health state and the alerts firing, and the sparkline;
     * empty when this instance holds no metrics for it.
     */
    public Optional<ObjectNode> summary(String community) {
        Optional<TrailingEngagement> latest = latestTrailing(community);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        TrailingEngagement trailing = latest.get();
        LocalDate last = trailing.getDay();
        LocalDate first = last.minusDays(SPARKLINE_DAYS - 1L);
        long[] activity = new long[SPARKLINE_DAYS];
        Instant updated = trailing.getUpdatedAt();
        for (DailyEngagement day : range(EngagementViews.DAILY, community,
                first.toString(), last.toString())) {
            int i = (int) ChronoUnit.DAYS.between(first, day.getDay());
            if (i >= 0 && i < SPARKLINE_DAYS) {
                activity[i] = day.getThreads() + day.getReplies();
            }
            if (day.getUpdatedAt().isAfter(updated)) {
                updated = day.getUpdatedAt();
            }
        }
        List<Alert> alerts = alerts(community);
        TreeSet<AlertCondition> firing = new TreeSet<>();
        for (Alert alert : alerts) {
            if (alert.getState() == AlertState.FIRING) {
                firing.add(alert.getCondition());
            }
        }
        ObjectNode node = NODES.objectNode();
        node.put("communityId", community);
        node.put("latestDay", last.toString());
        node.put("health", health(community, firing).label());
        ArrayNode firingNode = node.putArray("firingAlerts");
        firing.forEach(c -> firingNode.add(c.name()));
        node.set("trailing", RecordJson.of(trailing));
        node.put("sparklineFrom", first.toString());
        ArrayNode spark = node.putArray("sparkline");
        for (long v : activity) {
            spark.add(v);
        }
        maturity.summary(community).ifPresent(m -> node.set("maturity", m));
        List<Reconciliation> checked = reconciliationDays(community);
        if (!checked.isEmpty()) {
            node.set("reconciliation", reconciliationSummary(NODES.objectNode(), checked));
        }
        node.put("updatedAt", updated.toString());
        return Optional.of(node);
    }

    /** Daily records of {@code [from, to]} (days without activity have none); empty for an unknown community. */
    public Optional<ObjectNode> daily(String community, LocalDate from, LocalDate to) {
        return ranged(EngagementViews.DAILY, community, from, to);
    }

    /** Trailing records of {@code [from, to]}; empty for an unknown community. */
    public Optional<ObjectNode> trailing(String community, LocalDate from, LocalDate to) {
        return ranged(EngagementViews.TRAILING, community, from, to);
    }

    /** Every weekly cohort, oldest first. */
    public Optional<ObjectNode> retention(String community) {
        if (latestTrailing(community).isEmpty()) {
            return Optional.empty();
        }
        ObjectNode node = NODES.objectNode().put("communityId", community);
        ArrayNode cohorts = node.putArray("cohorts");
        for (CohortRetention cohort : range(EngagementViews.RETENTION,
                community, "", null)) {
            cohorts.add(RecordJson.of(cohort));
        }
        return Optional.of(node);
    }

    /** Members per level (staff counted apart as well) and the {@code top} members by contributions over 28 days. */
    public Optional<ObjectNode> members(String community, int top) {
        if (top < 1 || top > MAX_TOP_MEMBERS) {
            throw new IllegalArgumentException("top must be between 1 and " + MAX_TOP_MEMBERS);
        }
        if (latestTrailing(community).isEmpty()) {
            return Optional.empty();
        }
        Map<EngagementLevel, Long> levels = new EnumMap<>(EngagementLevel.class);
        for (EngagementLevel level : EngagementLevel.values()) {
            if (level != EngagementLevel.UNKNOWN_LEVEL) {
                levels.put(level, 0L);
            }
        }
        long staff = 0;
        long total = 0;
        List<MemberEngagement> all = range(EngagementViews.MEMBER_LEVELS, community, "", null);
        for (MemberEngagement member : all) {
            levels.merge(member.getLevel(), 1L, Long::sum);
            total++;
            if (member.getStaff()) {
                staff++;
            }
        }
        all.sort(Comparator.comparingLong(MemberEngagement::getContributions28d).reversed()
                .thenComparing(Comparator.comparingLong(MemberEngagement::getContributionsTotal).reversed())
                .thenComparing(m -> m.getMemberId().toString()));
        ObjectNode node = NODES.objectNode().put("communityId", community).put("members", total).put("staff", staff);
        ObjectNode levelNode = node.putObject("levels");
        levels.forEach((level, count) -> levelNode.put(level.name(), count));
        ArrayNode topNode = node.putArray("top");
        all.stream().limit(top).forEach(m -> topNode.add(RecordJson.of(m)));
        return Optional.of(node);
    }

    /** The latest record of each alert condition (FIRING or RESOLVED), oldest start first, and the health state. */
    public Optional<ObjectNode> alertTimeline(String community) {
        if (latestTrailing(community).isEmpty()) {
            return Optional.empty();
        }
        List<Alert> alerts = alerts(community);
        alerts.sort(Comparator.comparing(Alert::getSince).thenComparing(a -> a.getCondition().name()));
        TreeSet<AlertCondition> firing = new TreeSet<>();
        ObjectNode node = NODES.objectNode().put("communityId", community);
        ArrayNode list = NODES.arrayNode();
        Instant now = Instant.now();
        for (Alert alert : alerts) {
            ObjectNode entry = RecordJson.of(alert);
            AlertActionLog log = actions(community, alert.getCondition());
            Optional<AlertAction> ack = AlertActionLogs.acknowledgement(log, alert.getAlertId());
            entry.put("acknowledgedBy", ack.map(a -> a.getBy().toString()).orElse(null));
            entry.put("acknowledgedAt", ack.map(a -> a.getAt().toString()).orElse(null));
            // Whether a snooze is in force now (wall clock: this is a view); the records say what it suppressed.
            entry.put("snoozedUntil", AlertActionLogs.snoozedUntil(log, now).map(Instant::toString).orElse(null));
            list.add(entry);
            if (alert.getState() == AlertState.FIRING) {
                firing.add(alert.getCondition());
            }
        }
        node.put("health", health(community, firing).label());
        node.set("alerts", list);
        return Optional.of(node);
    }

    /**
     * What the read scope may see of {@link #alertTimeline}: each condition's latest alert without its summary and
     * evidence (role alerts name members there), with who acknowledged it and when and how long its condition is
     * snoozed. {@code by} is the scope that acted, never a person or a token; the action's note is left out.
     */
    public Optional<ObjectNode> alertStates(String community) {
        return alertTimeline(community).map(timeline -> {
            for (JsonNode alert : timeline.path("alerts")) {
                ((ObjectNode) alert).remove(List.of("summary", "evidence"));
            }
            return timeline;
        });
    }

    /**
     * Role coverage (required roles first, then by id), how many required roles are vacant, and the training
     * metrics (null before any training or Corporate User); empty for an unknown community. A community without
     * role events has no roles listed.
     */
    public Optional<ObjectNode> roles(String community) {
        if (latestTrailing(community).isEmpty()) {
            return Optional.empty();
        }
        List<RoleCoverage> coverage = range(RolesViews.COVERAGE, community, "", null);
        coverage.sort(Comparator.comparing((RoleCoverage c) -> !c.getRequired()).thenComparing(RoleCoverage::getRole));
        ObjectNode node = NODES.objectNode().put("communityId", community);
        node.put("requiredRoles", coverage.stream().filter(RoleCoverage::getRequired).count());
        node.put("vacantRequired", coverage.stream().filter(c -> c.getRequired() && !c.getFilled()).count());
        node.put("filledRoles", coverage.stream().filter(RoleCoverage::getFilled).count());
        ArrayNode roles = node.putArray("roles");
        coverage.forEach(c -> roles.add(RecordJson.of(c)));
        List<TrainingMetrics> training = range(RolesViews.TRAINING, community,
                RolesViews.TRAINING_SUFFIX, RolesViews.TRAINING_SUFFIX);
        if (training.isEmpty()) {
            node.putNull("training");
        } else {
            node.set("training", RecordJson.of(training.get(0)));
        }
        return Optional.of(node);
    }

    /** The policy violations open now, oldest first; empty for an unknown community. */
    public Optional<ObjectNode> openViolations(String community) {
        if (latestTrailing(community).isEmpty()) {
            return Optional.empty();
        }
        List<PolicyViolation> open = range(RolesViews.OPEN_VIOLATIONS, community, "", null);
        open.sort(Comparator.comparing(PolicyViolation::getOpenedAt).thenComparing(PolicyViolation::getViolationId));
        ObjectNode node = NODES.objectNode().put("communityId", community).put("count", open.size());
        ArrayNode list = node.putArray("open");
        open.forEach(v -> list.add(RecordJson.of(v)));
        return Optional.of(node);
    }

    /**
     * The reconciliation with the platform's own counts (see {@code docs/metrics.md#reconciliation}): the day up to
     * which every checked day is complete, the totals, and every checked day that is not complete, oldest first;
     * empty for a community with neither metrics nor checked days.
     */
    public Optional<ObjectNode> reconciliation(String community) {
        List<Reconciliation> checked = reconciliationDays(community);
        if (checked.isEmpty() && latestTrailing(community).isEmpty()) {
            return Optional.empty();
        }
        ObjectNode node = NODES.objectNode().put("communityId", community);
        reconciliationSummary(node, checked);
        ArrayNode gaps = node.putArray("gaps");
        checked.stream().filter(r -> r.getStatus() != ReconciliationStatus.COMPLETE)
                .forEach(r -> gaps.add(RecordJson.of(r)));
        return Optional.of(node);
    }

    private List<Reconciliation> reconciliationDays(String community) {
        return range(ReconciliationViews.RECONCILIATION, community, "", null);
    }

    /**
     * completeUpTo is worked out here from every checked day, not read from a record: a record's value is the one of
     * its own emission, and a day that did not change since keeps an older one.
     */
    private static ObjectNode reconciliationSummary(ObjectNode node, List<Reconciliation> checked) {
        LocalDate upTo = null;
        boolean unbroken = true;
        long missing = 0;
        int gapDays = 0;
        int notClosed = 0;
        Instant latestCheck = null;
        for (Reconciliation day : checked) {
            boolean complete = day.getStatus() == ReconciliationStatus.COMPLETE;
            unbroken &= complete;
            if (unbroken) {
                upTo = day.getDay();
            }
            if (!complete) {
                gapDays++;
                missing += day.getMissing();
            }
            if (day.getStatus() == ReconciliationStatus.GAP_NOT_CLOSED) {
                notClosed++;
            }
            if (latestCheck == null || day.getCheckedAt().isAfter(latestCheck)) {
                latestCheck = day.getCheckedAt();
            }
        }
        if (upTo == null) {
            node.putNull("completeUpTo");
        } else {
            node.put("completeUpTo", upTo.toString());
        }
        node.put("checkedDays", checked.size());
        if (checked.isEmpty()) {
            node.putNull("lastCheckedDay");
            node.putNull("latestCheck");
        } else {
            node.put("lastCheckedDay", checked.get(checked.size() - 1).getDay().toString());
            node.put("latestCheck", latestCheck.toString());
        }
        node.put("gapDays", gapDays);
        node.put("notClosedDays", notClosed);
        node.put("missing", missing);
        return node;
    }

    private Optional<ObjectNode> ranged(View<?> store, String community, LocalDate from, LocalDate to) {
        Optional<TrailingEngagement> latest = latestTrailing(community);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        LocalDate end = to != null ? to : latest.get().getDay();
        LocalDate start = from != null ? from : end.minusDays(DEFAULT_RANGE_DAYS - 1L);
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("from (" + start + ") is after to (" + end + ")");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_RANGE_DAYS) {
            throw new IllegalArgumentException("range longer than " + MAX_RANGE_DAYS + " days");
        }
        ObjectNode node = NODES.objectNode().put("communityId", community)
                .put("from", start.toString()).put("to", end.toString());
        ArrayNode days = node.putArray("days");
        for (Object record : range(store, community, start.toString(), end.toString())) {
            days.add(RecordJson.of((org.apache.avro.specific.SpecificRecord) record));
        }
        return Optional.of(node);
    }

    private Optional<TrailingEngagement> latestTrailing(String community) {
        ReadOnlyKeyValueStore<String, TrailingEngagement> store = EngagementViews.TRAILING.in(stores);
        try (KeyValueIterator<String, TrailingEngagement> it = store.reverseRange(community + SEP, community + END)) {
            return it.hasNext() ? Optional.of(it.next().value) : Optional.empty();
        }
    }

    /** The acknowledgements and snoozes of one condition; null when none (or the topology has no actions). */
    private AlertActionLog actions(String community, AlertCondition condition) {
        ReadOnlyKeyValueStore<String, AlertActionLog> store;
        try {
            store = AlertViews.ACTIONS.in(stores);
        } catch (org.apache.kafka.streams.errors.UnknownStateStoreException e) {
            return null;
        }
        return store.get(AlertActionsTopology.key(community, condition));
    }

    private List<Alert> alerts(String community) {
        return range(AlertViews.ALERTS, community, "", null);
    }

    /**
     * Values of {@code community}'s keys with suffix in {@code [from, to]}; {@code to} null: to the end. A store
     * the topology does not have (an engagement-only topology has no roles views) holds nothing.
     */
    private <V> List<V> range(View<V> view, String community, String from, String to) {
        ReadOnlyKeyValueStore<String, V> store;
        try {
            store = view.in(stores);
        } catch (org.apache.kafka.streams.errors.UnknownStateStoreException e) {
            store = null;
        }
        List<V> values = new ArrayList<>();
        if (store == null) {
            return values;
        }
        String upper = to == null ? community + END : community + SEP + to;
        try (KeyValueIterator<String, V> it = store.range(community + SEP + from, upper)) {
            while (it.hasNext()) {
                KeyValue<String, V> entry = it.next();
                if (entry.value != null) {
                    values.add(entry.value);
                }
            }
        }
        return values;
    }

    /** The communities of one partition, each found with one short range: the first key after the previous one. */
    private static List<String> communityIds(ReadOnlyKeyValueStore<String, ?> partition) {
        List<String> ids = new ArrayList<>();
        String from = null;
        while (true) {
            String key;
            try (KeyValueIterator<String, ?> it = from == null ? partition.all() : partition.range(from, null)) {
                if (!it.hasNext()) {
                    return ids;
                }
                key = it.next().key;
            }
            int sep = key.indexOf(SEP);
            String community = sep < 0 ? key : key.substring(0, sep);
            ids.add(community);
            from = community + END;
        }
    }
}
