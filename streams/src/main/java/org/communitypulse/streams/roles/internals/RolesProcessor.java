package org.communitypulse.streams.roles.internals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.DeadLetterHeaders;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.schemas.declarations.InvalidDeclarationException;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.AlertSnapshot;
import org.communitypulse.schemas.avro.CommunityRoleKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.MemberRoles;
import org.communitypulse.schemas.avro.PolicyViolation;
import org.communitypulse.schemas.avro.RoleCoverage;
import org.communitypulse.schemas.avro.RoleLineChange;
import org.communitypulse.schemas.avro.RolesHistory;
import org.communitypulse.schemas.avro.TrainingCompletion;
import org.communitypulse.schemas.avro.TrainingMetrics;
import org.communitypulse.schemas.avro.TrainingRequirementDeclaration;
import org.communitypulse.schemas.avro.ViolationKey;
import org.communitypulse.schemas.avro.ViolationState;
import org.communitypulse.streams.AlertGate;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.AlertCorrection;
import org.communitypulse.streams.common.AlertSnapshots;
import org.communitypulse.streams.common.Days;
import org.communitypulse.streams.common.DeadLetterRecords;
import org.communitypulse.streams.common.Fnv64;
import org.communitypulse.streams.common.LruMap;
import org.communitypulse.streams.common.ObjectCachingKeyValueStore;
import org.communitypulse.streams.identity.IdentityChange;
import org.communitypulse.streams.roles.RoleAlertSettings;
import org.communitypulse.streams.roles.RoleEvents;
import org.communitypulse.streams.roles.RolesEvaluator;
import org.communitypulse.streams.roles.RolesModel;
import org.communitypulse.streams.roles.RolesState;

/**
 * The roles family: applies ROLE_GRANTED / ROLE_REVOKED / TRAINING_COMPLETED / POLICY_ACKNOWLEDGED to
 * the community's {@link RolesState} and, per event, re-evaluates the community as of its event-time
 * clock (the latest occurredAt seen), forwarding only what changed.
 *
 * <p>Why per event and not on a punctuator: role events are rare next to posts, and emitting at once
 * lets each violation carry the event that resolved it. Other events of a community only trigger an
 * evaluation when they move its clock to a new UTC day (expiries, inactivity) or are a role holder's first
 * activity of a UTC day (their activity changes coverage). Communities without any role-family event are not evaluated.
 * The role alerts are the exception: a vacancy grows old without any event, so they are judged per completed
 * day by a wall-clock punctuator ({@link RoleAlerts}), on the clock of the engagement alerts.
 *
 * <p>Stores: {@code storeName}, community to its role history ({@link RolesHistory}, Avro; object-cached
 * between commits when built by the topology, read and changed through a {@link RolesState});
 * {@code activityStoreName}, small entries per community (clock, whether roles are in use, whether it had an
 * erasure) and per member (last event time, latest time of each active day, whether they ever held a role, their
 * erasure), object-cached and built once per community and member, so an ordinary event costs lookups in memory; with {@link Alerting#historyStore()}, the role alert state
 * of each judged day within {@code alert.rejudge.horizon.days} ({@code AlertSnapshot}), from which late events
 * re-judge the days they land on.
 *
 * <p>Input: {@code (communityId, ActivityEvent)} accepted by the intake. Refused events go to
 * {@link Children#deadLetter()} as Confluent-framed bytes with {@link DeadLetterHeaders}.
 */
public final class RolesProcessor implements Processor<Object, Object, Object, Object> {

    /** Key suffix of a community's training metrics in the training view. */
    public static final String TRAINING_VIEW_SUFFIX = "training";

    /** Names of the downstream nodes; {@code alerts} may be null when the role alerts are not judged. */
    public record Children(String memberRoles, String coverage, String violations, String training,
                           String deadLetter, String alerts) {

        public Children(String memberRoles, String coverage, String violations, String training, String deadLetter) {
            this(memberRoles, coverage, violations, training, deadLetter, null);
        }
    }

    /**
     * Queryable copies for the dashboard (String keys {@code communityId NUL suffix}, as the engagement views):
     * coverage by role, open violations by {@code rule NUL subject} (removed when resolved), training metrics
     * under the suffix {@code training}. Null names: no view.
     */
    public record Views(String coverage, String openViolations, String training) {
    }

    /**
     * How the role alerts are judged: the lifecycle and clock of the engagement alerts, the thresholds, the
     * punctuation interval, the view store that keeps the latest alert per (community, condition) and the store of
     * the alert snapshots that let late events re-judge judged days (null: a decision once written stands).
     */
    public record Alerting(AlertSettings lifecycle, AlertGate gate, RoleAlertSettings thresholds,
                           java.time.Duration interval,
                           String viewStore, String historyStore) {

        public Alerting(AlertSettings lifecycle, AlertGate gate, RoleAlertSettings thresholds,
                        java.time.Duration interval, String viewStore) {
            this(lifecycle, gate, thresholds, interval, viewStore, null);
        }
    }

    private final String storeName;
    private final String activityStoreName;
    private final RolesModel config;
    private final RolesEvaluator evaluator;
    private final Serializer<ActivityEvent> eventSerializer;
    private final String activityTopic;
    private final Children children;
    private final Alerting alerting;
    private final Views views;
    private KeyValueStore<String, RoleCoverage> coverageView;
    private KeyValueStore<String, PolicyViolation> violationsView;
    private KeyValueStore<String, Alert> alertsView;
    private KeyValueStore<String, TrainingMetrics> trainingView;
    /** Whether late events re-judge the days they land on (alert.rejudge.horizon.days above 0, snapshots kept). */
    private boolean rejudging;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, RolesHistory> store;
    private KeyValueStore<String, Long> activity;
    private RolesMetrics metrics;

    public RolesProcessor(String storeName, String activityStoreName, RolesModel config, Serializer<ActivityEvent> eventSerializer,
                          String activityTopic, Children children) {
        this(storeName, activityStoreName, config, eventSerializer, activityTopic, children, null);
    }

    /** As the six-argument constructor; with {@code alerting} (and {@link Children#alerts()}) the role alerts are judged. */
    public RolesProcessor(String storeName, String activityStoreName, RolesModel config, Serializer<ActivityEvent> eventSerializer,
                          String activityTopic, Children children, Alerting alerting) {
        this(storeName, activityStoreName, config, eventSerializer, activityTopic, children, alerting, null);
    }

    /** As the seven-argument constructor, keeping the latest outputs in {@code views} too. */
    public RolesProcessor(String storeName, String activityStoreName, RolesModel config, Serializer<ActivityEvent> eventSerializer,
                          String activityTopic, Children children, Alerting alerting, Views views) {
        this.alerting = alerting;
        this.views = views;
        this.storeName = storeName;
        this.activityStoreName = activityStoreName;
        this.config = config;
        this.evaluator = new RolesEvaluator(config);
        this.eventSerializer = eventSerializer;
        this.activityTopic = activityTopic;
        this.children = children;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.activity = context.getStateStore(activityStoreName);
        this.metrics = new RolesMetrics(context.metrics());
        if (views != null) {
            coverageView = views.coverage() == null ? null : context.getStateStore(views.coverage());
            violationsView = views.openViolations() == null ? null : context.getStateStore(views.openViolations());
            trainingView = views.training() == null ? null : context.getStateStore(views.training());
        }
        if (alerting != null) {
            KeyValueStore<String, AlertSnapshot> historyStore = alerting.historyStore() == null ? null
                    : context.getStateStore(alerting.historyStore());
            AlertSnapshots snapshots = AlertSnapshots.of(historyStore, alerting.lifecycle().rejudgeHorizonDays());
            rejudging = snapshots != null;
            RoleAlerts alerts = new RoleAlerts(evaluator, alerting.lifecycle(), alerting.thresholds(), snapshots);
            KeyValueStore<String, Alert> view = alerting.viewStore() == null ? null
                    : context.getStateStore(alerting.viewStore());
            alertsView = view;
            AlertCorrection.Output out = new AlertCorrection.Output() {
                @Override
                public void alert(AlertKey key, Alert value) {
                    if (view != null) {
                        view.put(alertViewKey(key), value);
                    }
                    context.forward(new Record<>(key, value, context.currentSystemTimeMs()), children.alerts());
                }

                @Override
                public Alert latest(AlertKey key) {
                    return view == null ? null : view.get(alertViewKey(key));
                }
            };
            // Wall-clock scheduled like the engagement emitter: silence (a vacancy growing old) needs no event.
            context.schedule(alerting.interval(), PunctuationType.WALL_CLOCK_TIME, now -> judgeAlerts(alerts, out, now));
        }
    }

    private static String alertViewKey(AlertKey key) {
        return key.getCommunityId() + '\u0000' + key.getCondition().name();
    }

    /**
     * Judges every completed day not judged yet of every community using roles on this task, after judging again
     * the days that got late events (live convergence, docs/alerts.md). The clock is the task's newest event day, and
     * with {@link AlertSettings#wallClock()} today's UTC date too, as for the engagement alerts: only days before the
     * clock's day are judged.
     */
    private void judgeAlerts(RoleAlerts alerts, AlertCorrection.Output out, long now) {
        if (!alerting.gate().isOpen()) {
            return;
        }
        Long taskLatest = activity.get(TASK_LATEST);
        if (taskLatest == null && !alerting.lifecycle().wallClock()) {
            return;
        }
        int clockDay = alerting.lifecycle().wallClock() ? Days.of(now) : Integer.MIN_VALUE;
        if (taskLatest != null) {
            clockDay = Math.max(clockDay, Days.of(taskLatest));
        }
        int through = clockDay - 1;
        Map<String, Long> due = new LinkedHashMap<>();
        try (KeyValueIterator<String, Long> it = activity.range(ALERT_INDEX, ALERT_INDEX_END)) {
            it.forEachRemaining(kv -> {
                String community = kv.key.substring(ALERT_INDEX.length());
                if (kv.value < through || activity.get(key(community, REJUDGE)) != null) {
                    due.put(community, kv.value);
                }
            });
        }
        due.forEach((community, judged) -> {
            RolesState state = load(community);
            RoleAlerts.ActivityAsOf asOf = (member, d) -> lastActiveAsOf(community, member, d);
            Long late = activity.get(key(community, REJUDGE));
            if (late != null) {
                activity.delete(key(community, REJUDGE));
            }
            if (late != null && judged != NOT_JUDGED) {
                alerts.rejudge(community, state, late.intValue(), (int) (long) judged, asOf, out);
            }
            int from = judged == NOT_JUDGED ? RoleAlerts.firstDay(state) : (int) (judged + 1);
            alerts.judgeDays(community, state, from, through, judged == NOT_JUDGED, asOf, out);
            if (late != null || from <= through) {
                store.put(community, state.history());
            }
            // Days before the first role change are never judged, even when the clock reaches them later.
            activity.put(ALERT_INDEX + community, (long) Math.max(through, from - 1));
        });
    }

    /** Communities whose role alerts are behind the day before their latest event (a replay waits for 0). */
    public static long pendingAlerts(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, Long> activity) {
        long pending = 0;
        try (KeyValueIterator<String, Long> it = activity.range(ALERT_INDEX, ALERT_INDEX_END)) {
            while (it.hasNext()) {
                var kv = it.next();
                Long latest = activity.get(key(kv.key.substring(ALERT_INDEX.length()), LATEST));
                if (latest != null && kv.value < Days.of(latest) - 1) {
                    pending++;
                }
            }
        }
        return pending;
    }

    private long lastActiveAsOf(String community, String member, int day) {
        String prefix = key(community, DAY + member + '\u0000');
        try (KeyValueIterator<String, Long> it = activity.reverseRange(prefix, prefix + dayKey(day))) {
            return it.hasNext() ? it.next().value : Long.MIN_VALUE;
        }
    }

    /** The day as eight digits (days before 1970 as day 0), so keys sort by day. */
    static String dayKey(int day) {
        String digits = Integer.toString(Math.max(0, day));
        return digits.length() >= 8 ? digits : "00000000".substring(digits.length()) + digits;
    }

    private void recordHolderDay(MemberKeys member, long at) {
        String dayKey = member.dayKey(Days.of(at));
        Long known = activity.get(dayKey);
        if (known == null || at > known) {
            activity.put(dayKey, at);
        }
    }

    @Override
    public void process(Record<Object, Object> record) {
        if (record.value() instanceof IdentityChange change) {
            if (change.erased()) {
                erase(change, record.timestamp());
            }
            return;
        }
        ActivityEvent event = (ActivityEvent) record.value();
        if (event.getType() == EventType.EVIDENCE_DECLARED) {
            declared(event, record.timestamp());
            return;
        }
        String community = event.getCommunityId();
        long at = event.getOccurredAt().toEpochMilli();
        CommunityKeys keys = keys(community);
        MemberKeys member = event.getActorId() == null ? null : keys.member(event.getActorId());
        if (member != null && activity.get(keys.erasures) != null && activity.get(member.erased) != null) {
            // A forgotten member: their role events are not kept and their activity covers nothing; the event
            // still moves the community's clock (it happened), as an anonymous one.
            if (RoleEvents.isRoleFamily(event.getType())) {
                metrics.ignored();
                metrics.erasedIgnored();
                return;
            }
            member = null;
        }
        boolean roleFamily = RoleEvents.isRoleFamily(event.getType());
        RolesState state = null;
        if (roleFamily) {
            state = load(community);
            String outcome = apply(state, event);
            if (REJECTED.equals(outcome)) {
                return;
            }
            if (APPLIED.equals(outcome)) {
                activity.put(keys.inUse, 1L);
                if (event.getType() == EventType.ROLE_GRANTED || event.getType() == EventType.ROLE_REVOKED) {
                    // Role alerts start with the register: training records alone say nothing about vacancies.
                    if (alerting != null && activity.get(keys.alertIndex) == null) {
                        activity.put(keys.alertIndex, NOT_JUDGED);
                    }
                    activity.put(member.holder, 1L);
                }
            }
        }
        // Every event moves the clock and its actor's activity: cheap entries of their own, so posts of
        // communities (and members) without roles never touch the role history.
        Long firstBefore = activity.get(keys.first);
        Long previous = moveClocks(keys, firstBefore, at);
        boolean activityEvent = RoleEvents.isActivity(event);
        if (rejudging) {
            markLate(keys, at, roleFamily, activityEvent ? member : null, firstBefore);
        }
        long latest = previous == null ? at : Math.max(previous, at);
        boolean actorNewDay = false;
        // Only member activity makes a holder active: a grant, a training record or a declaration does not.
        if (member != null && activityEvent) {
            Long last = activity.get(member.active);
            if (last == null || at > last) {
                activity.put(member.active, at);
                actorNewDay = last == null || Math.floorDiv(at, 86_400_000L) != Math.floorDiv(last, 86_400_000L);
            }
            // Activity per member and day, so a past day's coverage can be judged as it was then. Every member's,
            // not only known holders': in a shuffled backfill a holder's posts may arrive before their grant, and
            // keeping only their latest moment then would judge their past days by the order of arrival.
            if (alerting != null) {
                recordHolderDay(member, at);
            }
        }
        if (activity.get(keys.inUse) == null) {
            return;
        }
        // A holder already active earlier the same day changes nothing: coverage only moves when a holder's
        // activity reaches a new day (they may cover a role again). Busy holders would otherwise re-evaluate
        // the whole community on every post.
        boolean holder = actorNewDay && activity.get(member.holder) != null;
        if (roleFamily || holder || newDay(previous == null ? Long.MIN_VALUE : previous, latest)) {
            if (state == null) {
                state = load(community);
            }
            clock(community, state);
            fillActivity(community, state);
            boolean emitted = emit(community, state, event.getEventId(), event.getType().name(), at, record.timestamp());
            // The history changes only with the role family's events; otherwise only what emit() marks as
            // emitted is new. Putting it unchanged would write the whole document down at the next commit.
            if (roleFamily || emitted) {
                store.put(community, state.history());
            }
        }
    }

    /**
     * A declaration: only {@code training-requirement} concerns the roles family. It is kept in the history (the
     * evaluator applies it from its date) and the community re-evaluated on its current clock; like every declaration
     * it is not activity and does not move the clock. Invalid declarations were dead-lettered by the intake.
     */
    private void declared(ActivityEvent event, long timestamp) {
        Declaration declaration;
        try {
            declaration = Declaration.parse(event);
        } catch (InvalidDeclarationException e) {
            metrics.ignored();
            return;
        }
        if (declaration.kind() != Declaration.Kind.TRAINING_REQUIREMENT) {
            return;
        }
        String community = event.getCommunityId();
        String appliesTo = RolesModel.normalise(declaration.field("applies_to"));
        if (!config.isRole(appliesTo) && !config.isLevel(appliesTo)) {
            reject(event, RolesRejectReason.UNKNOWN_ROLE, "training-requirement applies_to '" + appliesTo
                    + "' is neither a configured role nor a level (known: " + config.roleNames().keySet() + ")");
            return;
        }
        Double days = declaration.number("valid_days");
        RolesState state = load(community);
        long at = event.getOccurredAt().toEpochMilli();
        state.declaredRequirements().add(new TrainingRequirementDeclaration(event.getEventId(), declaration.subject(),
                RolesModel.normalise(declaration.field("course")), appliesTo,
                days == null ? null : (int) Math.max(1, Math.round(days)), at,
                declaration.validUntil() == null ? null : declaration.validUntil().toEpochDay(),
                declaration.withdrawn()));
        metrics.applied();
        if (rejudging) {
            CommunityKeys keys = keys(community);
            markLate(keys, at, true, null, activity.get(keys.first));
        }
        if (activity.get(key(community, IN_USE)) != null && state.latestEventAt() != Long.MIN_VALUE) {
            fillActivity(community, state);
            emit(community, state, event.getEventId(), event.getType().name(), Math.max(at, state.latestEventAt()),
                    timestamp);
        }
        store.put(community, state.history());
    }

    private void fillActivity(String community, RolesState state) {
        for (RoleLineChange c : state.changes()) {
            Long last = activity.get(key(community, ACTIVE + c.getMember()));
            if (last != null) {
                state.lastActive().put(c.getMember(), last);
            }
        }
    }

    /**
     * Marks the community to be judged again from the day of {@code at} at the next punctuation when it was already
     * judged and the event may change its role alerts: a role-family event, a holder's activity, or an event before
     * the community's first ({@code firstBefore}), from which a never-held role is vacant. One mark, the earliest
     * day, per community.
     */
    private void markLate(CommunityKeys keys, long at, boolean roleFamily, MemberKeys actor, Long firstBefore) {
        int day = Days.of(at);
        Long judged = activity.get(keys.alertIndex);
        if (judged == null || judged == NOT_JUDGED || day > judged) {
            return;
        }
        boolean mayChange = roleFamily || firstBefore == null || at < firstBefore
                || actor != null && activity.get(actor.holder) != null;
        if (!mayChange) {
            return;
        }
        Long marked = activity.get(keys.rejudge);
        if (marked == null || day < marked) {
            activity.put(keys.rejudge, (long) day);
        }
    }

    /**
     * Moves the community's first and latest times, and the task's clock for the role alerts, to include
     * {@code at}; returns the community's latest time before it (null for its first event).
     */
    private Long moveClocks(CommunityKeys keys, Long first, long at) {
        Long previous = activity.get(keys.latest);
        // Written only when they move: most events of a live stream do move the latest time, few the first.
        if (previous == null || at > previous) {
            activity.put(keys.latest, at);
        }
        if (first == null || at < first) {
            activity.put(keys.first, at);
        }
        if (alerting != null) {
            Long taskLatest = activity.get(TASK_LATEST);
            if (taskLatest == null || at > taskLatest) {
                activity.put(TASK_LATEST, at);
            }
        }
        return previous;
    }

    /**
     * Forgets the erased identities: their trainings and acknowledgements go, their role history is kept under
     * an anonymous placeholder holder revoked at the erasure's time (so a role they held becomes vacant from then,
     * not retroactively), their {@code members.roles} records get tombstones and their activity entries are
     * deleted; a marker per identity makes later role events of theirs ignored. Then the community is re-evaluated.
     */
    private void erase(IdentityChange change, long timestamp) {
        String community = change.community();
        // The erasure happened in the community: it moves the clock like any event, so the evaluation below
        // sees the role vacant from the erasure on.
        long at = timestamp;
        CommunityKeys keys = keys(community);
        moveClocks(keys, activity.get(keys.first), at);
        String causeId = change.eventId() == null ? "" : change.eventId();
        java.util.Set<String> erased = new java.util.HashSet<>(change.identities());
        metrics.erasure();
        activity.put(keys.erasures, 1L);
        for (String id : erased) {
            activity.put(key(community, ERASED + id), at);
            activity.delete(key(community, ACTIVE + id));
            activity.delete(key(community, HOLDER + id));
            String prefix = key(community, DAY + id + '\u0000');
            List<String> days = new ArrayList<>();
            try (KeyValueIterator<String, Long> it = activity.range(prefix, prefix + '\uffff')) {
                it.forEachRemaining(kv -> days.add(kv.key));
            }
            days.forEach(activity::delete);
        }
        forgetInAlerts(community, erased);
        if (activity.get(key(community, IN_USE)) == null) {
            // No role history to forget: the markers above are enough.
            return;
        }
        RolesState state = load(community);
        // Replaced, not changed in place: a list read back from the store cannot remove elements.
        state.history().setCompletions(state.completions().stream().filter(c -> !erased.contains(c.getMember()))
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
        state.acknowledgements().keySet().removeAll(erased);
        List<RoleLineChange> anonymised = new ArrayList<>();
        Map<String, String> placeholders = new TreeMap<>();
        for (RoleLineChange c : state.changes()) {
            if (!erased.contains(c.getMember())) {
                anonymised.add(c);
                continue;
            }
            if (c.getAt() >= at) {
                // Dated at or after the erasure: ignored, as if it arrived after it.
                continue;
            }
            // One placeholder per erased identity and erasure: distinct from every member id (NUL first).
            String holder = placeholders.computeIfAbsent(c.getMember(),
                    m -> ERASED_HOLDER + at + ":" + state.nextErasedHolder());
            anonymised.add(new RoleLineChange(c.getEventId(), holder, c.getKind(), c.getId(), c.getAccount(),
                    c.getGranted(), c.getAt()));
        }
        if (!placeholders.isEmpty()) {
            for (RolesEvaluator.Holding h : RolesEvaluator.holdings(anonymised, at)) {
                if (h.held() && placeholders.containsValue(h.member())) {
                    anonymised.add(new RoleLineChange(causeId, h.member(), h.kind(), h.id(), h.account(),
                            false, at));
                }
            }
        }
        state.history().setChanges(anonymised);
        forgetInViolations(community, state, erased);
        for (String id : erased) {
            String emitted = key(community, EMITTED + id);
            if (activity.get(emitted) != null) {
                activity.delete(emitted);
                context.forward(new Record<>(new MemberKey(community, id), null, timestamp), children.memberRoles());
            }
        }
        fillActivity(community, state);
        emit(community, state, causeId, EventType.MEMBER_ERASED.name(), at, timestamp);
        store.put(community, state.history());
    }

    /**
     * An erased member's open violations end without a RESOLVED record: it would name them, keyed by their id, on a
     * topic that is not compacted (only retention removes it). Other open violations that name them in their
     * evidence keep it without their id.
     */
    private void forgetInViolations(String community, RolesState state, java.util.Set<String> erased) {
        state.openViolations().keySet().removeIf(key -> {
            String subject = key.substring(key.indexOf('\u0000') + 1);
            if (!erased.contains(subject)) {
                return false;
            }
            if (violationsView != null) {
                violationsView.delete(key(community, key));
            }
            return true;
        });
        if (violationsView == null) {
            return;
        }
        String prefix = key(community, "");
        List<org.apache.kafka.streams.KeyValue<String, PolicyViolation>> scrubbed = new ArrayList<>();
        try (KeyValueIterator<String, PolicyViolation> it = violationsView.range(prefix, prefix + '\uffff')) {
            it.forEachRemaining(kv -> {
                Map<String, String> evidence = new LinkedHashMap<>();
                boolean changed = false;
                for (Map.Entry<String, String> e : kv.value.getEvidence().entrySet()) {
                    // Evidence names members alone or in comma-separated lists (holders, formerManagers).
                    String value = e.getValue();
                    if (value != null) {
                        String[] parts = value.split(",", -1);
                        for (int i = 0; i < parts.length; i++) {
                            if (erased.contains(parts[i])) {
                                parts[i] = ERASED_EVIDENCE;
                                changed = true;
                            }
                        }
                        value = String.join(",", parts);
                    }
                    evidence.put(e.getKey(), value);
                }
                if (changed) {
                    kv.value.setEvidence(evidence);
                    scrubbed.add(kv);
                }
            });
        }
        scrubbed.forEach(kv -> violationsView.put(kv.key, kv.value));
    }

    /**
     * A firing role alert names the oldest open violations, hence their members, in its summary and evidence:
     * the queryable latest alert forgets the erased ones (the alerts topic itself is bounded by retention).
     */
    private void forgetInAlerts(String community, java.util.Set<String> erased) {
        if (alertsView == null || erased.isEmpty()) {
            return;
        }
        // An id as a whole word: pseudonyms and platform ids are made of these characters.
        java.util.regex.Pattern ids = java.util.regex.Pattern.compile("(?<![A-Za-z0-9_-])(?:" + erased.stream()
                .map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.joining("|"))
                + ")(?![A-Za-z0-9_-])");
        String prefix = community + '\u0000';
        List<org.apache.kafka.streams.KeyValue<String, Alert>> scrubbed = new ArrayList<>();
        try (KeyValueIterator<String, Alert> it = alertsView.range(prefix, prefix + '\uffff')) {
            it.forEachRemaining(kv -> {
                Alert alert = kv.value;
                String summary = ids.matcher(alert.getSummary())
                        .replaceAll(java.util.regex.Matcher.quoteReplacement(ERASED_EVIDENCE));
                Map<String, String> evidence = new LinkedHashMap<>();
                alert.getEvidence().forEach((k, v) -> evidence.put(k, v == null ? null
                        : ids.matcher(v).replaceAll(java.util.regex.Matcher.quoteReplacement(ERASED_EVIDENCE))));
                if (!summary.equals(alert.getSummary()) || !evidence.equals(alert.getEvidence())) {
                    alert.setSummary(summary);
                    alert.setEvidence(evidence);
                    scrubbed.add(kv);
                }
            });
        }
        scrubbed.forEach(kv -> alertsView.put(kv.key, kv.value));
    }

    /** What replaces an erased identity in the evidence of another member's open violation. */
    static final String ERASED_EVIDENCE = "(erased)";

    private static final String FIRST = "first";
    private static final String LATEST = "latest";
    private static final String IN_USE = "in-use";
    /** The earliest judged day that got an event which may change the role alerts since the last punctuation. */
    private static final String REJUDGE = "rejudge";
    private static final String HOLDER = "h:";
    private static final String ACTIVE = "a:";
    private static final String DAY = "d:";
    /** Erased identity to the erasure's time: its later role events are ignored, its activity not kept. */
    private static final String ERASED = "e:";
    /** Member to the fingerprint of its last emitted MemberRoles: only a change is forwarded. */
    private static final String EMITTED = "m:";
    /** Present once the community had an erasure: only then is an actor looked up among the erased. */
    private static final String ERASURES = "erasures";
    private static final String ERASED_HOLDER = "\u0000erased:";
    /** Task-wide keys start with \u0001, which no community id does: the alert clock and the alert index. */
    private static final String TASK_LATEST = "\u0001latest";
    private static final String ALERT_INDEX = "\u0001alerts\u0000";
    private static final String ALERT_INDEX_END = "\u0001alerts\u0001";
    private static final long NOT_JUDGED = Long.MIN_VALUE;

    private static String key(String community, String suffix) {
        return community + '\u0000' + suffix;
    }

    /** Communities and, per community, members whose activity keys are kept built. */
    private static final int KEPT_COMMUNITIES = 1_024;
    private static final int KEPT_MEMBERS = 4_096;

    /**
     * The activity-store keys of the communities and members seen lately, built once: the per-event path then
     * builds no strings, and the store's cache finds the same key objects (whose hash codes are kept).
     */
    private final Map<String, CommunityKeys> communityKeys = new LruMap<>(KEPT_COMMUNITIES);

    private CommunityKeys keys(String community) {
        return communityKeys.computeIfAbsent(community, CommunityKeys::new);
    }

    private static final class CommunityKeys {
        final String community;
        final String first;
        final String latest;
        final String inUse;
        final String rejudge;
        final String alertIndex;
        final String erasures;
        private final Map<String, MemberKeys> members = new LruMap<>(KEPT_MEMBERS);

        CommunityKeys(String community) {
            this.community = community;
            first = key(community, FIRST);
            latest = key(community, LATEST);
            inUse = key(community, IN_USE);
            rejudge = key(community, REJUDGE);
            alertIndex = ALERT_INDEX + community;
            erasures = key(community, ERASURES);
        }

        MemberKeys member(String id) {
            return members.computeIfAbsent(id, member -> new MemberKeys(community, member));
        }
    }

    private static final class MemberKeys {
        final String erased;
        final String active;
        final String holder;
        private final String dayPrefix;
        /** The last day asked for and its key: a member's events mostly fall on one day after another. */
        private int day = Integer.MIN_VALUE;
        private String dayKey;

        MemberKeys(String community, String id) {
            erased = key(community, ERASED + id);
            active = key(community, ACTIVE + id);
            holder = key(community, HOLDER + id);
            dayPrefix = key(community, DAY + id + '\u0000');
        }

        String dayKey(int day) {
            if (day != this.day) {
                this.day = day;
                dayKey = dayPrefix + RolesProcessor.dayKey(day);
            }
            return dayKey;
        }
    }

    /**
     * The community's state: the store's cached object (see {@link ObjectCachingKeyValueStore}), so every
     * change to it is followed by a put. Its unstored fields are reset here as a freshly read value had them.
     */
    private RolesState load(String community) {
        RolesHistory stored = store.get(community);
        RolesState state = RolesState.of(stored == null ? RolesState.emptyHistory() : stored);
        clock(community, state);
        return state;
    }

    private void clock(String community, RolesState state) {
        Long first = activity.get(key(community, FIRST));
        Long latest = activity.get(key(community, LATEST));
        state.clock(first == null ? Long.MAX_VALUE : first, latest == null ? Long.MIN_VALUE : latest);
    }

    private static boolean newDay(long previous, long latest) {
        return previous == Long.MIN_VALUE || Math.floorDiv(previous, 86_400_000L) != Math.floorDiv(latest, 86_400_000L);
    }

    /** Adds the event to the state, or counts it as ignored, or dead-letters it (state untouched). */
    private String apply(RolesState state, ActivityEvent event) {
        String member = event.getActorId();
        long at = event.getOccurredAt().toEpochMilli();
        Map<String, String> attributes = event.getAttributes();
        if (member == null || member.isBlank()) {
            return reject(event, RolesRejectReason.MISSING_MEMBER, event.getType() + " has no actorId");
        }
        switch (event.getType()) {
            case TRAINING_COMPLETED -> {
                String course = RolesModel.normalise(attributes.get("course"));
                if (course == null || course.isBlank()) {
                    return reject(event, RolesRejectReason.MISSING_ATTRIBUTE, "TRAINING_COMPLETED has no attributes.course");
                }
                String rawScore = attributes.get("score");
                Double score = null;
                if (rawScore != null && !rawScore.isBlank()) {
                    try {
                        score = Double.valueOf(rawScore.trim());
                    } catch (NumberFormatException e) {
                        return reject(event, RolesRejectReason.INVALID_SCORE, "TRAINING_COMPLETED attributes.score '"
                                + rawScore + "' is not a number");
                    }
                    if (score.isNaN() || score.isInfinite()) {
                        return reject(event, RolesRejectReason.INVALID_SCORE, "TRAINING_COMPLETED attributes.score '"
                                + rawScore + "' is not a finite number");
                    }
                }
                state.completions().add(new TrainingCompletion(event.getEventId(), member, course, at, score));
            }
            case POLICY_ACKNOWLEDGED -> {
                String policy = attributes.get("policy");
                if (policy == null || policy.isBlank()) {
                    return reject(event, RolesRejectReason.MISSING_ATTRIBUTE, "POLICY_ACKNOWLEDGED has no attributes.policy");
                }
                state.acknowledgements().computeIfAbsent(member, m -> new HashMap<>())
                        .merge(policy.trim(), at, Math::max);
            }
            default -> {
                String outcome = applyRoleChange(state, event, member, at, attributes);
                if (outcome != null) {
                    return outcome;
                }
            }
        }
        metrics.applied();
        return APPLIED;
    }

    private String applyRoleChange(RolesState state, ActivityEvent event, String member, long at,
                                   Map<String, String> attributes) {
        boolean granted = event.getType() == EventType.ROLE_GRANTED;
        String role = RolesModel.normalise(attributes.get("role"));
        String level = RolesModel.normalise(attributes.get("level"));
        String account = attributes.get("account") == null || attributes.get("account").isBlank() ? null
                : attributes.get("account").trim();
        if ((role == null || role.isBlank()) && (level == null || level.isBlank())) {
            return reject(event, RolesRejectReason.MISSING_ROLE, event.getType() + " has neither attributes.role nor attributes.level");
        }
        List<RoleLineChange> changes = new ArrayList<>();
        if (role != null && !role.isBlank()) {
            if (config.isRole(role)) {
                changes.add(new RoleLineChange(event.getEventId(), member, RolesEvaluator.ROLE, role, account, granted, at));
            } else if (config.isLevel(role) && level == null) {
                // A register line names "role or level" in one column.
                level = role;
            } else if (config.isIgnored(role)) {
                if (level == null) {
                    metrics.ignored();
                    return IGNORED;
                }
            } else {
                return reject(event, RolesRejectReason.UNKNOWN_ROLE, "role '" + role + "' is not configured (known: "
                        + config.roleNames().keySet() + "; see roles.config.file)");
            }
        }
        if (level != null && !level.isBlank()) {
            if (!config.isLevel(level)) {
                return reject(event, RolesRejectReason.UNKNOWN_LEVEL, "level '" + level + "' is not configured");
            }
            changes.add(new RoleLineChange(event.getEventId(), member, RolesEvaluator.LEVEL, level, account, granted, at));
        }
        if (granted && state.latestEventAt() != Long.MIN_VALUE
                && at > state.latestEventAt() + config.rules().futureGrantTolerance().toMillis()) {
            return reject(event, RolesRejectReason.FUTURE_GRANT, "granted at " + Instant.ofEpochMilli(at)
                    + ", after the community's latest event " + Instant.ofEpochMilli(state.latestEventAt())
                    + " plus the tolerance of " + config.rules().futureGrantToleranceHours() + "h");
        }
        if (!granted) {
            Map<String, Boolean> held = new HashMap<>();
            RolesEvaluator.holdings(state.changes(), at).forEach(h ->
                    held.put(RolesEvaluator.lineKey(new RoleLineChange("", h.member(), h.kind(), h.id(),
                            h.account(), true, 0L)), h.held()));
            for (RoleLineChange c : changes) {
                if (!held.getOrDefault(RolesEvaluator.lineKey(c), false)) {
                    return reject(event, RolesRejectReason.REVOKE_WITHOUT_GRANT, member + " did not hold " + c.getKind()
                            + " '" + c.getId() + "'" + (account == null ? "" : " for account '" + account + "'")
                            + " at " + Instant.ofEpochMilli(at));
                }
            }
        }
        state.changes().addAll(changes);
        return null;
    }

    /** Forwards what changed since the last emission; returns whether that changed the community's document. */
    private boolean emit(String community, RolesState state, String causeId, String causeType, long causeAt,
                         long timestamp) {
        RolesEvaluator.Evaluation eval = evaluator.evaluate(community, state, state.latestEventAt());
        boolean[] changed = {false};
        eval.members().forEach((member, roles) -> {
            if (member.startsWith(ERASED_HOLDER)) {
                return;
            }
            // Kept per member beside the activity, not in the community's document: a member's change then
            // writes one small entry, not the document with every member's fingerprint.
            String key = key(community, EMITTED + member);
            long fingerprint = fingerprint(roles);
            Long last = activity.get(key);
            if (last == null || last != fingerprint) {
                activity.put(key, fingerprint);
                context.forward(new Record<>(new MemberKey(community, member), roles, timestamp), children.memberRoles());
            }
        });
        eval.coverage().forEach((role, coverage) -> {
            String fingerprint = coverage.getHolders() + "|" + coverage.getActiveHolders() + "|" + coverage.getFilled()
                    + "|" + coverage.getVacantSince();
            if (!fingerprint.equals(state.emittedCoverage().get(role))) {
                changed[0] = true;
                state.emittedCoverage().put(role, fingerprint);
                if (coverageView != null) {
                    coverageView.put(key(community, role), coverage);
                }
                context.forward(new Record<>(new CommunityRoleKey(community, role), coverage, timestamp),
                        children.coverage());
            }
        });
        Map<String, RolesEvaluator.Violation> now = eval.violations();
        now.forEach((key, v) -> {
            // An open violation keeps its first openedAt: OPENED and RESOLVED must share one id.
            if (!state.openViolations().containsKey(key)) {
                changed[0] = true;
                state.openViolations().put(key, v.openedAt());
                forwardViolation(community, v.rule(), v.subjectType(), v.subject(), ViolationState.OPENED, v.openedAt(),
                        null, v.evidence(), timestamp);
            }
        });
        // In key order: the stored map is unordered once read back, and the order of the records must not depend on it.
        for (String key : new TreeSet<>(state.openViolations().keySet())) {
            if (!now.containsKey(key)) {
                changed[0] = true;
                long openedAt = state.openViolations().remove(key);
                int sep = key.indexOf('\u0000');
                String rule = key.substring(0, sep);
                Map<String, String> evidence = new LinkedHashMap<>();
                evidence.put("resolvedBy", causeId);
                evidence.put("resolvedByType", causeType);
                // The event that ended it; never before the opening (a late event can undo a violation entirely).
                long resolvedAt = Math.max(openedAt, causeAt);
                forwardViolation(community, rule, subjectType(rule), key.substring(sep + 1), ViolationState.RESOLVED,
                        openedAt, resolvedAt, evidence, timestamp);
            }
        }
        TrainingMetrics training = eval.training();
        String fingerprint = training.getCorporateUsers() + "|" + training.getTrainedCorporateUsers() + "|"
                + training.getExpiring() + "|" + training.getExpired() + "|" + training.getWeekly() + "|"
                + training.getRequirements();
        if (!fingerprint.equals(state.history().getEmittedTraining())) {
            changed[0] = true;
            state.history().setEmittedTraining(fingerprint);
            if (trainingView != null) {
                trainingView.put(key(community, TRAINING_VIEW_SUFFIX), training);
            }
            context.forward(new Record<>(community, training, timestamp), children.training());
        }
        return changed[0];
    }

    private static String subjectType(String rule) {
        return switch (rule) {
            case RolesEvaluator.RULE_ACCOUNT_WITHOUT_MANAGER -> "account";
            case RolesEvaluator.RULE_ROLE_VACANT -> "role";
            default -> "member";
        };
    }

    private void forwardViolation(String community, String rule, String subjectType, String subject,
                                  ViolationState status, long openedAt, Long resolvedAt, Map<String, String> evidence,
                                  long timestamp) {
        String id = violationId(community, rule, subject, openedAt);
        PolicyViolation value = PolicyViolation.newBuilder().setViolationId(id).setCommunityId(community).setRule(rule)
                .setSubjectType(subjectType).setSubject(subject).setState(status)
                .setOpenedAt(Instant.ofEpochMilli(openedAt))
                .setResolvedAt(resolvedAt == null ? null : Instant.ofEpochMilli(resolvedAt))
                .setEvidence(new LinkedHashMap<>(evidence)).build();
        if (violationsView != null) {
            String viewKey = key(community, rule + '\u0000' + subject);
            if (status == ViolationState.OPENED) {
                violationsView.put(viewKey, value);
            } else {
                violationsView.delete(viewKey);
            }
        }
        context.forward(new Record<>(new ViolationKey(community, rule, subject), value, timestamp), children.violations());
    }

    /** community/rule/subject/openedAt: what OPENED and RESOLVED of one violation share. */
    static String violationId(String community, String rule, String subject, long openedAt) {
        return community + "/" + rule + "/" + subject + "/" + Instant.ofEpochMilli(openedAt).atZone(ZoneOffset.UTC)
                .toInstant();
    }

    /** 64-bit FNV-1a of every field of the record but its key and clock: equal records, equal fingerprints. */
    private static long fingerprint(MemberRoles roles) {
        long h = Fnv64.mix(Fnv64.OFFSET, String.valueOf(roles.getRoles()));
        h = Fnv64.mix(h, roles.getLevel());
        h = Fnv64.mix(h, String.valueOf(roles.getAccounts()));
        h = Fnv64.mix(h, String.valueOf(roles.getValidTrainings()));
        h = Fnv64.mix(h, String.valueOf(roles.getAcknowledgedPolicies()));
        return Fnv64.mix(h, String.valueOf(roles.getTrainingScores()));
    }

    private static final String APPLIED = "applied";
    private static final String IGNORED = "ignored";
    private static final String REJECTED = "rejected";

    private String reject(ActivityEvent event, RolesRejectReason reason, String detail) {
        metrics.deadLettered(reason);
        context.forward(DeadLetterRecords.of(event, eventSerializer, activityTopic, reason, detail, "streams.roles",
                context.recordMetadata()), children.deadLetter());
        return REJECTED;
    }
}
