package org.communitypulse.streams.maturity.internals;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.CommunityHealth;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.HealthAlertLifecycle;
import org.communitypulse.schemas.avro.MaturityScorecard;
import org.communitypulse.schemas.avro.MaturitySpan;
import org.communitypulse.schemas.avro.MaturityStateValue;
import org.communitypulse.schemas.avro.MaturityWeekState;
import org.communitypulse.schemas.avro.RoleLineChange;
import org.communitypulse.schemas.avro.RolesHistory;
import org.communitypulse.schemas.avro.StaffShare;
import org.communitypulse.schemas.avro.ThreadState;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.streams.common.Days;
import org.communitypulse.streams.common.MixedAvroStateSerde;
import org.communitypulse.streams.common.SortedLists;
import org.communitypulse.streams.common.ViewKeys;
import org.communitypulse.streams.identity.IdentityChange;
import org.communitypulse.schemas.declarations.Declaration;
import org.communitypulse.schemas.declarations.InvalidDeclarationException;
import org.communitypulse.streams.maturity.MaturityRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.communitypulse.streams.roles.RoleEvents;
import org.communitypulse.streams.roles.RolesEvaluator;
import org.communitypulse.streams.roles.RolesModel;
import org.communitypulse.streams.roles.RolesState;

/**
 * The maturity scorecard and health score per community and ISO week (see {@code docs/maturity.md}).
 *
 * <p>A sibling of the engagement and roles processors under the intake, on the same task: it folds each
 * accepted event into small counters of its own (sources, programmed threads, askers and repliers, active
 * days, each member's latest activity per week) and marks the community's weeks from the event's on as dirty. On a
 * wall-clock punctuator it re-scores the dirty weeks of every community whose engagement records are
 * emitted (no engagement marks pending), reading the engagement view stores and the roles state as they
 * stand. Reading the shared stores instead of the output topics keeps one task, one transaction and no
 * repartition; waiting for the engagement marks to drain makes each score a function of the events seen,
 * whatever order they came in.
 */
public final class MaturityProcessor implements Processor<String, ActivityEvent, Object, Object> {

    /** Stores this processor owns or reads. */
    public record Stores(String state, String dirty, String scorecardView, String healthView,
                         String engagementDaily, String engagementTrailing, String engagementDirty,
                         String engagementThreads, String roles, String declarations, String staffShareView) {
    }

    /** Downstream node names. */
    public record Children(String scorecard, String health, String staffShare) {
    }

    /**
     * HEALTH_AT_RISK judging (see {@link HealthAlerts}): the lifecycle store (per community), the alerts view
     * store, the alerts sink node, the resolve hysteresis in weeks and the gate of the other alerts.
     */
    public record Alerting(String lifecycleStore, String viewStore, String sink, int resolveAfterWeeks,
                           org.communitypulse.streams.AlertGate gate, int rejudgeHorizonDays) {

        /** Without live convergence: a week once judged stays judged. */
        public Alerting(String lifecycleStore, String viewStore, String sink, int resolveAfterWeeks,
                        org.communitypulse.streams.AlertGate gate) {
            this(lifecycleStore, viewStore, sink, resolveAfterWeeks, gate, 0);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(MaturityProcessor.class);
    private static final char SEP = '\u0000';
    private static final char END = '\u0001';
    /** The value of a presence mark (never changed: stores keep it as is). */
    private static final byte[] MARK = new byte[0];
    private static final int WINDOW_WEEKS = 4;
    private static final long CLEAN = Long.MAX_VALUE;

    private final Stores names;
    private final Children children;
    private final MaturityRules config;
    private final RolesModel rolesConfig;
    private final MaturityScorer scorer;
    private final RolesEvaluator rolesEvaluator;
    private final Duration interval;
    private final Clock clock;
    private final Alerting alerting;
    private final HealthAlerts healthAlerts;

    private final MixedAvroStateSerde<MaturityStateValue> stateValues;

    private ProcessorContext<Object, Object> context;
    /**
     * Spans and weeks as Avro objects (or their stored bytes until first written), marks and member weeks as
     * bytes: see {@link #stateSerde}. With the topology's object cache a read returns the cached object, so
     * every change is followed by a put.
     */
    private KeyValueStore<String, Object> state;
    private KeyValueStore<String, Long> dirty;
    /**
     * What {@link #dirty} holds per community of this task ({@link #CLEAN} for nothing), so that an event that
     * does not move its community's first dirty week touches neither the store nor its record cache: the store
     * stays the record of truth (interactive queries read it), this map only saves the reads. Rebuilt lazily
     * after every {@link #init}.
     */
    private final Map<String, Long> dirtyFrom = new HashMap<>();
    /** ISO dates of the epoch days seen, for the keys: one string per day, not one per event. */
    private final Map<Integer, String> isoDays = new HashMap<>();
    private KeyValueStore<String, MaturityScorecard> scorecards;
    private KeyValueStore<String, CommunityHealth> healths;
    private ReadOnlyKeyValueStore<String, DailyEngagement> daily;
    private ReadOnlyKeyValueStore<String, TrailingEngagement> trailing;
    private ReadOnlyKeyValueStore<String, byte[]> engagementDirty;
    private ReadOnlyKeyValueStore<String, ThreadState> threads;
    private ReadOnlyKeyValueStore<String, RolesHistory> roles;
    private KeyValueStore<String, HealthAlertLifecycle> lifecycles;
    /** The accepted declarations, as their events: key community, kind, subject, effective instant, event id. */
    private KeyValueStore<String, ActivityEvent> declarations;
    private KeyValueStore<String, StaffShare> staffShares;
    private KeyValueStore<String, org.communitypulse.schemas.avro.Alert> alertsView;

    /**
     * With HEALTH_AT_RISK judged on each emission when {@code alerting} is not null; {@code stateValues} is the
     * serde of the state store ({@link #stateSerde}), which decodes what the store hands back as bytes.
     */
    public MaturityProcessor(Stores names, Children children, MaturityRules config, RolesModel rolesConfig,
                             Duration interval, Clock clock, Alerting alerting,
                             MixedAvroStateSerde<MaturityStateValue> stateValues) {
        this.alerting = alerting;
        this.stateValues = stateValues;
        this.healthAlerts = alerting == null ? null : new HealthAlerts(alerting.resolveAfterWeeks());
        this.names = names;
        this.children = children;
        this.config = config;
        this.rolesConfig = rolesConfig;
        this.scorer = new MaturityScorer(config);
        this.rolesEvaluator = new RolesEvaluator(rolesConfig);
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        dirtyFrom.clear();
        this.state = context.getStateStore(names.state());
        this.dirty = context.getStateStore(names.dirty());
        this.scorecards = context.getStateStore(names.scorecardView());
        this.healths = context.getStateStore(names.healthView());
        this.daily = context.getStateStore(names.engagementDaily());
        this.trailing = context.getStateStore(names.engagementTrailing());
        this.engagementDirty = context.getStateStore(names.engagementDirty());
        this.threads = context.getStateStore(names.engagementThreads());
        this.roles = context.getStateStore(names.roles());
        this.declarations = context.getStateStore(names.declarations());
        this.staffShares = context.getStateStore(names.staffShareView());
        if (alerting != null) {
            this.lifecycles = context.getStateStore(alerting.lifecycleStore());
            this.alertsView = alerting.viewStore() == null ? null : context.getStateStore(alerting.viewStore());
        }
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> emitAll());
    }

    /**
     * The state store's serde: spans and weeks in Avro ({@code avro}, the project's serde of
     * {@link MaturityStateValue}), marks and member weeks as raw bytes. A member week's 8 bytes can look like a
     * small span's Avro, so reads return every value raw and the processor, which knows each key's shape,
     * decodes spans and weeks.
     */
    public static MixedAvroStateSerde<MaturityStateValue> stateSerde(String store, Serde<MaturityStateValue> avro) {
        return new MixedAvroStateSerde<>(store, avro, MaturityStateValue::new, MaturityStateValue::getValue,
                bytes -> true);
    }

    /** Communities whose scorecards wait for the next emission, as any reader of the dirty store sees them. */
    public static long pendingCommunities(ReadOnlyKeyValueStore<String, Long> dirty) {
        long n = 0;
        try (KeyValueIterator<String, Long> it = dirty.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Override
    public void process(Record<String, ActivityEvent> record) {
        // The identity node sends erasures here too (a different value type under the same node).
        Object value = record.value();
        if (value instanceof IdentityChange change) {
            if (change.erased()) {
                erase(change);
            }
            return;
        }
        ActivityEvent event = (ActivityEvent) value;
        if (event.getType() == EventType.EVIDENCE_DECLARED) {
            declare(event);
            return;
        }
        String community = event.getCommunityId();
        long at = event.getOccurredAt().toEpochMilli();
        int day = Days.of(at);
        int monday = Days.mondayOf(day);

        String spanKey = spanKey(community);
        MaturitySpan span = span(community);
        // The week that was the latest is read at its Sunday now, no longer at the latest day: re-score it.
        int rescoreFrom = span.getLatestAt() != Long.MIN_VALUE && at > span.getLatestAt()
                ? Math.min(monday, Days.mondayOf(Days.of(span.getLatestAt()))) : monday;
        if (at < span.getFirstAt() || at > span.getLatestAt()) {
            span.setFirstAt(Math.min(span.getFirstAt(), at));
            span.setLatestAt(Math.max(span.getLatestAt(), at));
            state.put(spanKey, span);
        }

        String weekKey = weekKey(community, monday);
        MaturityWeekState week = stateValues.read(state.get(weekKey), MaturityWeekState.class);
        if (week == null) {
            week = new MaturityWeekState(0L, 0L, 0L, 0, new ArrayList<>());
        }
        week.setEvents(week.getEvents() + 1);
        week.setActiveDays(week.getActiveDays() | 1 << (day - monday));
        SortedLists.add(week.getSources(), event.getSource().name());
        boolean post = event.getType() == EventType.THREAD_CREATED || event.getType() == EventType.REPLY_CREATED;
        String actor = event.getActorId() == null || event.getActorId().isBlank() ? null : event.getActorId();
        // Platforms publish some events without an actor on purpose (Stack Exchange votes): complete as they are.
        boolean needsActor = post || RoleEvents.isRoleFamily(event.getType())
                || event.getType() == EventType.MEMBER_JOINED || event.getType() == EventType.MEMBER_LEFT;
        if ((actor != null || !needsActor) && (!post || event.getThreadId() != null)) {
            week.setComplete(week.getComplete() + 1);
        }
        if (config.programmedContent().isProgrammed(event)) {
            week.setProgrammed(week.getProgrammed() + 1);
        }
        state.put(weekKey, week);

        if (RoleEvents.isRoleFamily(event.getType()) && state.get(rolesKey(community)) == null && roles.get(community) != null) {
            // The community has just started to use roles: every week now has role signals (0 before its first
            // grant) where it had none, whichever week this event fell in.
            state.put(rolesKey(community), MARK);
            rescoreFrom = Math.min(rescoreFrom, Days.mondayOf(Days.of(span.getFirstAt())));
        }
        if (event.getType() == EventType.REPLY_CREATED && event.getThreadId() != null) {
            // A reply can answer a thread of an earlier week: the response shares of the day the thread was
            // started change (the engagement processor, first under the intake, already folded this reply).
            ThreadState thread = threads.get(ViewKeys.scoped(community, event.getThreadId()));
            if (thread != null && thread.getCreatedAt() != null) {
                rescoreFrom = Math.min(rescoreFrom, Days.mondayOf(Days.of(thread.getCreatedAt())));
            }
        }

        if (actor != null) {
            if (event.getType() == EventType.THREAD_CREATED) {
                mark(memberMarkKey(community, 'a', monday, actor));
            } else if (event.getType() == EventType.REPLY_CREATED) {
                mark(memberMarkKey(community, 'r', monday, actor));
            }
            // A role holder is active only with activity: a grant or a training alone makes nobody active.
            if (RoleEvents.isActivity(event)) {
                String activeKey = memberWeekKey(community, actor, monday);
                byte[] last = (byte[]) state.get(activeKey);
                if (last == null || ByteBuffer.wrap(last).getLong() < at) {
                    state.put(activeKey, ByteBuffer.allocate(Long.BYTES).putLong(at).array());
                }
            }
        }
        markDirty(community, rescoreFrom);
    }

    /** A presence mark is never changed: written once, not once per event (each write reaches the changelog). */
    private void mark(String key) {
        if (state.get(key) == null) {
            state.put(key, MARK);
        }
    }

    /** Marks the community's weeks from {@code monday} on for re-scoring, unless an earlier one is marked already. */
    private void markDirty(String community, long monday) {
        Long from = dirtyFrom.get(community);
        if (from == null) {
            Long stored = dirty.get(community);
            from = stored == null ? CLEAN : stored;
        }
        if (monday < from) {
            dirty.put(community, monday);
            from = monday;
        }
        dirtyFrom.put(community, from);
    }

    /**
     * Keeps an accepted declaration and marks the community's weeks from the declaration's on as dirty. A
     * declaration is not activity: no counter, member mark or span moves.
     */
    private void declare(ActivityEvent event) {
        Declaration declaration;
        try {
            declaration = Declaration.parse(event);
        } catch (InvalidDeclarationException e) {
            // The intake dead-letters invalid declarations; one reaching here was accepted under older rules.
            LOG.warn("Declaration {} of {} ignored by the maturity scorecard: {}", event.getEventId(),
                    event.getCommunityId(), e.getMessage());
            return;
        }
        String community = event.getCommunityId();
        declarations.put(declarationKey(declaration, event.getEventId()), event);
        markDirty(community, Days.mondayOf(Days.of(declaration.effectiveAt().toEpochMilli())));
    }

    /** The community's declarations in key order (kind, subject, effective instant, event id). */
    private DeclaredEvidence declaredEvidence(String community) {
        List<Declaration> all = new ArrayList<>();
        try (KeyValueIterator<String, ActivityEvent> it = declarations.range(community + SEP, community + END)) {
            it.forEachRemaining(kv -> {
                try {
                    all.add(Declaration.parse(kv.value));
                } catch (InvalidDeclarationException e) {
                    // Stored under rules this version no longer accepts: left out, as declare() would have.
                    LOG.warn("Stored declaration {} of {} left out: {}", kv.value.getEventId(), community,
                            e.getMessage());
                }
            });
        }
        return new DeclaredEvidence(all);
    }

    private static String declarationKey(Declaration d, String eventId) {
        return d.communityId() + SEP + d.kind().id() + SEP + d.subject() + SEP
                + String.format("%020d", d.effectiveAt().toEpochMilli() - Long.MIN_VALUE / 2) + SEP + eventId;
    }

    private void emitAll() {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = dirty.all()) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, Long> entry : due) {
            if (engagementPending(entry.key)) {
                continue;
            }
            emit(entry.key, entry.value.intValue());
            dirty.delete(entry.key);
            dirtyFrom.put(entry.key, CLEAN);
        }
        judgeHealth();
    }

    /** Communities whose completed weeks are not all judged for HEALTH_AT_RISK yet (a replay waits for 0). */
    public static long pendingAlerts(ReadOnlyKeyValueStore<String, HealthAlertLifecycle> lifecycles) {
        long n = 0;
        try (KeyValueIterator<String, HealthAlertLifecycle> it = lifecycles.all()) {
            while (it.hasNext()) {
                n += HealthAlerts.Lifecycle.of(it.next().value).pending() ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * Judges, in week order, every completed week with a health record that is not judged yet, once the gate
     * is open (a replay opens it when the whole history is in) and the community has nothing left to re-score. A
     * judged week whose health record a late event changed is judged again within the re-judge horizon, and what was
     * written is corrected ({@link HealthAlerts#judgeThrough}).
     */
    private void judgeHealth() {
        if (alerting == null || !alerting.gate().isOpen()) {
            return;
        }
        List<KeyValue<String, HealthAlertLifecycle>> all = new ArrayList<>();
        try (KeyValueIterator<String, HealthAlertLifecycle> it = lifecycles.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, HealthAlertLifecycle> entry : all) {
            HealthAlerts.Lifecycle life = HealthAlerts.Lifecycle.of(entry.value);
            String community = entry.key;
            if (!life.judgeable() || dirty.get(community) != null) {
                // A community still to be re-scored (its engagement records not all out yet) has health records
                // from before its latest events: a replay that has just opened the gate would judge a partial
                // history, in an order that depends on how the events arrived.
                continue;
            }
            String viewKey = community + SEP + org.communitypulse.schemas.avro.AlertCondition.HEALTH_AT_RISK.name();
            healthAlerts.judgeThrough(community, life, monday -> healths.get(viewKey(community, monday)),
                    (alerting.rejudgeHorizonDays() + 6) / 7, alertsView == null ? null : alertsView.get(viewKey),
                    (key, value) -> {
                        if (alertsView != null) {
                            alertsView.put(viewKey, value);
                        }
                        context.forward(new Record<>(key, value, clock.millis()), alerting.sink());
                    });
            lifecycles.put(community, life.toAvro());
        }
    }

    private boolean engagementPending(String community) {
        try (KeyValueIterator<String, byte[]> it = engagementDirty.range(community + SEP, community + END)) {
            return it.hasNext();
        }
    }

    private void emit(String community, int fromMonday) {
        MaturitySpan span = span(community);
        if (span.getLatestAt() == Long.MIN_VALUE) {
            return;
        }
        int firstDay = Days.of(span.getFirstAt());
        int latestDay = Days.of(span.getLatestAt());
        RolesState rolesState = rolesState(community, span);
        DeclaredEvidence declared = declaredEvidence(community);
        Instant now = Instant.ofEpochMilli(clock.millis());
        int firstMonday = Math.max(fromMonday, Days.mondayOf(firstDay));
        // The askers and repliers of every week any scored week's window reaches, in one range read per kind
        // (a range read writes the object cache's dirty entries down first: not one per week and kind).
        int scanFrom = firstMonday - 7 * (WINDOW_WEEKS - 1);
        Marks marks = firstMonday > latestDay ? new Marks(Map.of(), Map.of())
                : new Marks(marks(community, 'a', scanFrom, Days.mondayOf(latestDay)),
                        marks(community, 'r', scanFrom, Days.mondayOf(latestDay)));
        int changedFrom = Integer.MAX_VALUE;
        for (int monday = firstMonday; monday <= latestDay; monday += 7) {
            int end = Math.min(monday + 6, latestDay);
            MaturityScorer.Period period = new MaturityScorer.Period(community, LocalDate.ofEpochDay(monday),
                    LocalDate.ofEpochDay(end), latestDay >= monday + 6);
            Measured measured = measure(community, monday, end, firstDay, span, rolesState, marks, declared);
            String key = viewKey(community, monday);
            String previousKey = viewKey(community, monday - 7);
            String organisation = measured.facts.organisationId();
            MaturityScorecard card = scorer.scorecard(period, measured.signals, scorecards.get(previousKey), now);
            card.setOrganisationId(organisation);
            card.setOrganisationName(organisation == null ? null : measured.facts.organisationName());
            CommunityHealth health = scorer.health(period, measured.signals, measured.contributions7d,
                    measured.contributions28d, measured.wau, healths.get(previousKey), now);
            health.setOrganisationId(organisation);
            CommunityDayKey outKey = new CommunityDayKey(community, LocalDate.ofEpochDay(monday));
            StaffShare share = staffShare(community, monday, organisation, measured, now);
            StaffShare oldShare = staffShares.get(key);
            if (oldShare == null || !sameExceptTime(share, oldShare)) {
                staffShares.put(key, share);
                context.forward(new Record<>(outKey, share, now.toEpochMilli()), children.staffShare());
            }
            MaturityScorecard oldCard = scorecards.get(key);
            if (oldCard == null || !sameExceptTime(card, oldCard)) {
                scorecards.put(key, card);
                context.forward(new Record<>(outKey, card, now.toEpochMilli()), children.scorecard());
            }
            CommunityHealth oldHealth = healths.get(key);
            if (oldHealth == null || !sameExceptTime(health, oldHealth)) {
                healths.put(key, health);
                context.forward(new Record<>(outKey, health, now.toEpochMilli()), children.health());
                changedFrom = Math.min(changedFrom, monday);
            }
        }
        if (alerting != null) {
            // The newest week whose Sunday has an event at or after it is complete: judging must reach it.
            int lastComplete = Days.mondayOf(latestDay) + 6 == latestDay ? Days.mondayOf(latestDay)
                    : Days.mondayOf(latestDay) - 7;
            HealthAlerts.Lifecycle life = HealthAlerts.Lifecycle.of(lifecycles.get(community));
            life.scored(Days.mondayOf(firstDay), lastComplete, changedFrom);
            lifecycles.put(community, life.toAvro());
        }
    }

    private static boolean sameExceptTime(MaturityScorecard fresh, MaturityScorecard old) {
        MaturityScorecard copy = MaturityScorecard.newBuilder(fresh).setUpdatedAt(old.getUpdatedAt()).build();
        return copy.equals(old);
    }

    /**
     * The week's staff share: declared headcount valid at the period end, Corporate Users then, their share, and
     * the share minus the one 4 weeks before (the earlier weeks are scored first, so their records are stored).
     */
    private StaffShare staffShare(String community, int monday, String organisation, Measured measured,
                                  Instant now) {
        Integer headcount = measured.facts.headcount();
        Double share = headcount == null || headcount == 0 ? null
                : MaturityScorer.round((double) measured.corporateUsers / headcount);
        StaffShare before = staffShares.get(viewKey(community, monday - 7 * WINDOW_WEEKS));
        Double trend = share == null || before == null || before.getCorporateUserShare() == null ? null
                : MaturityScorer.round(share - before.getCorporateUserShare());
        return StaffShare.newBuilder().setCommunityId(community).setOrganisationId(organisation)
                .setPeriodStart(LocalDate.ofEpochDay(monday)).setStaffHeadcount(headcount)
                .setCorporateUsers(measured.corporateUsers).setCorporateUserShare(share).setTrend(trend)
                .setUpdatedAt(now).build();
    }

    private static boolean sameExceptTime(StaffShare fresh, StaffShare old) {
        return StaffShare.newBuilder(fresh).setUpdatedAt(old.getUpdatedAt()).build().equals(old);
    }

    private static boolean sameExceptTime(CommunityHealth fresh, CommunityHealth old) {
        CommunityHealth copy = CommunityHealth.newBuilder(fresh).setUpdatedAt(old.getUpdatedAt()).build();
        return copy.equals(old);
    }

    private record Measured(MaturityScorer.Signals signals, long contributions7d, long contributions28d, long wau,
                            DeclaredEvidence.Facts facts, int corporateUsers) {
    }

    /** What the roles state says at the period end beyond the signals. */
    private record RoleFacts(int corporateUsers, boolean staffKnown) {
    }

    /** Every signal of the catalogue for the week starting {@code monday}, read at {@code end}. */
    private Measured measure(String community, int monday, int end, int firstDay, MaturitySpan span,
                             RolesState rolesState,
                             Marks marks, DeclaredEvidence declared) {
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Map<String, Double>> inputs = new LinkedHashMap<>();
        TrailingEngagement t = trailing.get(viewKey(community, end));
        long contributions7d = 0;
        long contributions28d = 0;
        long wau = 0;
        if (t != null) {
            wau = t.getWau();
            contributions7d = t.getThreads7d() + t.getReplies7d();
            contributions28d = t.getThreads28d() + t.getReplies28d();
            values.put("wau", (double) t.getWau());
            values.put("mau", (double) t.getMau());
            values.put("stickiness", t.getStickiness());
            values.put("contributions_28d", (double) t.getContributions28d());
            values.put("peer_reply_share_28d", t.getPeerReplyShare28d());
            inputs.put("peer_reply_share_28d", Map.of("replies28d", (double) t.getReplies28d()));
            values.put("open_threads", (double) t.getOpenThreads());
        }
        long threads = 0;
        long within24h = 0;
        long within7d = 0;
        for (int d = monday; d <= end; d++) {
            DailyEngagement day = daily.get(viewKey(community, d));
            if (day == null) {
                continue;
            }
            threads += day.getThreads();
            if (day.getRespondedWithin24hShare() != null) {
                within24h += Math.round(day.getRespondedWithin24hShare() * day.getThreads());
            }
            if (day.getRespondedWithin7dShare() != null) {
                within7d += Math.round(day.getRespondedWithin7dShare() * day.getThreads());
            }
        }
        values.put("threads_week", (double) threads);
        values.put("responded_within_24h_share", threads == 0 ? null : (double) within24h / threads);
        inputs.put("responded_within_24h_share", Map.of("threads", (double) threads, "respondedWithin24h",
                (double) within24h));
        values.put("responded_within_7d_share", threads == 0 ? null : (double) within7d / threads);
        inputs.put("responded_within_7d_share", Map.of("threads", (double) threads, "respondedWithin7d",
                (double) within7d));

        ownSignals(community, monday, end, firstDay, marks, values, inputs);
        RoleFacts roleFacts = rolesState == null ? new RoleFacts(0, false)
                : roleSignals(community, rolesState, Math.min(Days.startMillis(end + 1) - 1, span.getLatestAt()), values,
                        inputs);
        if (!roleFacts.staffKnown() && values.containsKey("peer_reply_share_28d")) {
            // Every reply is a peer's while nobody is known as staff: the share would read 1.0 for want of data.
            values.put("peer_reply_share_28d", null);
        }
        DeclaredEvidence.Facts facts = declared.at(LocalDate.ofEpochDay(end), config.goals().of(community),
                config.organisationOf(community), config.organisationNameOf(community));
        values.putAll(facts.values());
        inputs.putAll(facts.inputs());
        return new Measured(new MaturityScorer.Signals(values, inputs, facts.declarations(), facts.goals()),
                contributions7d, contributions28d, wau, facts, roleFacts.corporateUsers());
    }

    /** Signals from this processor's own counters over the period's week and the three before it. */
    private void ownSignals(String community, int monday, int end, int firstDay, Marks marks,
                            Map<String, Double> values, Map<String, Map<String, Double>> inputs) {
        long events = 0;
        long complete = 0;
        long programmed = 0;
        int programmedWeeks = 0;
        int activeDays = 0;
        Set<String> sources = new TreeSet<>();
        Set<String> current = new TreeSet<>();
        Set<String> askers = new HashSet<>();
        Set<String> repliers = new HashSet<>();
        int windowStart = monday - 7 * (WINDOW_WEEKS - 1);
        for (int w = windowStart; w <= monday; w += 7) {
            MaturityWeekState week = stateValues.read(state.get(weekKey(community, w)), MaturityWeekState.class);
            if (week != null) {
                events += week.getEvents();
                complete += week.getComplete();
                programmed += week.getProgrammed();
                programmedWeeks += week.getProgrammed() > 0 ? 1 : 0;
                activeDays += Integer.bitCount(week.getActiveDays());
                sources.addAll(week.getSources());
                if (w == monday) {
                    current.addAll(week.getSources());
                }
            }
            askers.addAll(marks.askers().getOrDefault(w, Set.of()));
            repliers.addAll(marks.repliers().getOrDefault(w, Set.of()));
        }
        int observed = end - Math.max(firstDay, windowStart) + 1;
        values.put("active_day_share_28d", observed <= 0 ? null : (double) activeDays / observed);
        inputs.put("active_day_share_28d", Map.of("activeDays", (double) activeDays, "days", (double) observed));
        values.put("field_completeness_28d", events == 0 ? null : (double) complete / events);
        inputs.put("field_completeness_28d", Map.of("events", (double) events, "complete", (double) complete));
        values.put("programmed_threads_28d", (double) programmed);
        values.put("programmed_weeks_28d", (double) programmedWeeks);
        values.put("connected_sources_28d", (double) sources.size());
        values.put("source_freshness_share", sources.isEmpty() ? null : (double) current.size() / sources.size());
        inputs.put("source_freshness_share", Map.of("sourcesThisWeek", (double) current.size(),
                "sources28d", (double) sources.size()));
        // Counted, not built: two more copies of every asker per emission showed in the live profile.
        long both = 0;
        for (String asker : askers) {
            both += repliers.contains(asker) ? 1 : 0;
        }
        long either = askers.size() + repliers.size() - both;
        values.put("reciprocity_28d", either == 0 ? null : (double) both / either);
        inputs.put("reciprocity_28d", Map.of("askersAndRepliers", (double) both,
                "askersOrRepliers", (double) either));
    }

    /** Members who started a thread ({@code askers}) or replied ({@code repliers}), by the week's Monday. */
    private record Marks(Map<Integer, Set<String>> askers, Map<Integer, Set<String>> repliers) {
    }

    /** The members marked {@code kind} in the weeks from {@code fromMonday} to {@code toMonday}, by week. */
    private Map<Integer, Set<String>> marks(String community, char kind, int fromMonday, int toMonday) {
        Map<Integer, Set<String>> byWeek = new HashMap<>();
        String head = community + SEP + kind + SEP;
        try (KeyValueIterator<String, Object> it = state.range(memberMarkPrefix(community, kind, fromMonday),
                head + LocalDate.ofEpochDay(toMonday) + END)) {
            while (it.hasNext()) {
                String key = it.next().key;
                int sep = key.indexOf(SEP, head.length());
                int monday = (int) LocalDate.parse(key.substring(head.length(), sep)).toEpochDay();
                byWeek.computeIfAbsent(monday, w -> new HashSet<>()).add(key.substring(sep + 1));
            }
        }
        return byWeek;
    }

    /** Leadership, management and governance signals from the roles family's state, evaluated at {@code asOf}. */
    private RoleFacts roleSignals(String community, RolesState rolesState, long asOf, Map<String, Double> values,
                                  Map<String, Map<String, Double>> inputs) {
        rolesState.lastActive().clear();
        for (RoleLineChange c : rolesState.changes()) {
            Long last = lastActive(community, c.getMember(), asOf);
            if (last != null) {
                rolesState.lastActive().put(c.getMember(), last);
            }
        }
        // The roles family evaluates at its latest clock and keeps every acknowledgement; a past week must not
        // see acknowledgements made after it.
        RolesEvaluator.Evaluation eval = rolesEvaluator.evaluate(community, rolesState.acknowledgedBy(asOf), asOf);
        int teamRoles = rolesConfig.teamRoles().size();
        int teamFilled = 0;
        int required = 0;
        int requiredFilled = 0;
        long activeSince = asOf - rolesConfig.rules().activeWithin().toMillis();
        for (RolesModel.Role role : rolesConfig.teamRoles()) {
            boolean filled = filledWithActivity(eval.coverage().get(RolesModel.normalise(role.id())),
                    rolesState.lastActive(), activeSince);
            teamFilled += filled ? 1 : 0;
            if (role.required()) {
                required++;
                requiredFilled += filled ? 1 : 0;
            }
        }
        values.put("team_roles_active_share", teamRoles == 0 ? null : (double) teamFilled / teamRoles);
        inputs.put("team_roles_active_share", Map.of("teamRolesFilled", (double) teamFilled, "teamRoles",
                (double) teamRoles));
        values.put("required_roles_filled_share", required == 0 ? null : (double) requiredFilled / required);
        inputs.put("required_roles_filled_share", Map.of("requiredFilled", (double) requiredFilled, "required",
                (double) required));
        var sponsor = eval.coverage().get("sponsor");
        values.put("sponsor_active", sponsor == null ? null
                : filledWithActivity(sponsor, rolesState.lastActive(), activeSince) ? 1.0 : 0.0);

        String lowest = rolesConfig.levels().isEmpty() ? null : RolesModel.normalise(rolesConfig.levels().get(0).id());
        int expected = 0;
        int acknowledged = 0;
        boolean staffKnown = false;
        for (var member : eval.members().values()) {
            staffKnown |= member.getStaff();
            // Accountable: holders of any role, or of a level above the lowest (Basic).
            boolean accountable = !member.getRoles().isEmpty() || (lowest != null && !lowest.equals(member.getLevel()));
            if (accountable) {
                expected++;
                acknowledged += member.getAcknowledgedPolicies().isEmpty() ? 0 : 1;
            }
        }
        values.put("guideline_acknowledged_share", expected == 0 ? null : (double) acknowledged / expected);
        inputs.put("guideline_acknowledged_share", Map.of("acknowledged", (double) acknowledged, "accountable",
                (double) expected));
        values.put("trained_share", eval.training().getTrainedShare());
        inputs.put("trained_share", Map.of("corporateUsers", (double) eval.training().getCorporateUsers(),
                "trainedCorporateUsers", (double) eval.training().getTrainedCorporateUsers()));
        values.put("open_violations", (double) eval.violations().size());
        return new RoleFacts(eval.training().getCorporateUsers(), staffKnown);
    }

    /**
     * Whether a role has a holder with activity (not the grant: the marks hold activity only) since
     * {@code activeSince}; the coverage's own active holders are the candidates.
     */
    private static boolean filledWithActivity(org.communitypulse.schemas.avro.RoleCoverage coverage,
                                              Map<String, Long> lastActive, long activeSince) {
        return coverage != null && coverage.getActiveHolders().stream()
                .anyMatch(m -> lastActive.getOrDefault(m, Long.MIN_VALUE) >= activeSince);
    }

    /**
     * The member's latest activity at or before {@code asOf}, from the per-week marks (each the latest activity of
     * its week). {@code asOf} is a Sunday's end or the community's latest event, so no activity of its own week
     * is after it: the week's latest is the latest up to {@code asOf}.
     */
    private Long lastActive(String community, String member, long asOf) {
        String prefix = community + SEP + 'm' + SEP + member + SEP;
        try (KeyValueIterator<String, Object> it = state.reverseRange(prefix,
                prefix + iso(Days.mondayOf(Days.of(asOf))))) {
            while (it.hasNext()) {
                long at = ByteBuffer.wrap((byte[]) it.next().value).getLong();
                if (at <= asOf) {
                    return at;
                }
            }
        }
        return null;
    }

    private RolesState rolesState(String community, MaturitySpan span) {
        RolesHistory stored = roles.get(community);
        if (stored == null) {
            return null;
        }
        // The roles store's cached object: this clock and the activity filled in later are this wrapper's own.
        RolesState s = RolesState.of(stored);
        s.clock(span.getFirstAt(), span.getLatestAt());
        return s;
    }

    static String viewKey(String community, int epochDay) {
        return ViewKeys.scoped(community, LocalDate.ofEpochDay(epochDay).toString());
    }

    /**
     * Forgets who the erased identities were: their asker, replier and member-week entries move to one placeholder
     * per erasure (their identities were one member), so the community's counts and reciprocity are unchanged and
     * no key names them.
     */
    private void erase(IdentityChange change) {
        String community = change.community();
        java.util.Set<String> erased = new java.util.HashSet<>(change.identities());
        // No NUL inside: keys are split on it.
        String placeholder = "erased~" + (change.eventId() == null ? "" : change.eventId());
        List<KeyValue<String, Object>> moved = new ArrayList<>();
        for (char kind : new char[] {'a', 'r'}) {
            String prefix = community + SEP + kind + SEP;
            try (KeyValueIterator<String, Object> it = state.range(prefix, prefix + '\uffff')) {
                it.forEachRemaining(kv -> {
                    String member = kv.key.substring(kv.key.lastIndexOf(SEP) + 1);
                    if (erased.contains(member)) {
                        moved.add(kv);
                    }
                });
            }
        }
        for (String id : erased) {
            String prefix = community + SEP + 'm' + SEP + id + SEP;
            try (KeyValueIterator<String, Object> it = state.range(prefix, prefix + '\uffff')) {
                it.forEachRemaining(moved::add);
            }
        }
        for (KeyValue<String, Object> kv : moved) {
            state.delete(kv.key);
            String renamed = kv.key.startsWith(community + SEP + 'm' + SEP)
                    ? community + SEP + 'm' + SEP + placeholder + kv.key.substring(kv.key.lastIndexOf(SEP))
                    : kv.key.substring(0, kv.key.lastIndexOf(SEP) + 1) + placeholder;
            Object previous = state.get(renamed);
            if (previous instanceof byte[] a && kv.value instanceof byte[] b && a.length == Long.BYTES
                    && b.length == Long.BYTES) {
                // Two identities active in one week: the latest time, as process() keeps it.
                state.put(renamed, ByteBuffer.wrap(a).getLong() >= ByteBuffer.wrap(b).getLong() ? a : b);
            } else {
                state.put(renamed, kv.value);
            }
        }
    }

    /** Marks that the roles family keeps state for the community (it has started to use roles). */
    private static String rolesKey(String community) {
        return community + SEP + 'u';
    }

    /** The community's clock; a fresh one (not stored) before its first event. */
    private MaturitySpan span(String community) {
        MaturitySpan span = stateValues.read(state.get(spanKey(community)), MaturitySpan.class);
        return span != null ? span : new MaturitySpan(Long.MAX_VALUE, Long.MIN_VALUE);
    }

    private static String spanKey(String community) {
        return community + SEP + 'k';
    }

    private String iso(int epochDay) {
        return isoDays.computeIfAbsent(epochDay, d -> LocalDate.ofEpochDay(d).toString());
    }

    private String weekKey(String community, int monday) {
        return community + SEP + 'w' + SEP + iso(monday);
    }

    private String memberMarkPrefix(String community, char kind, int monday) {
        return community + SEP + kind + SEP + iso(monday) + SEP;
    }

    private String memberMarkKey(String community, char kind, int monday, String member) {
        return memberMarkPrefix(community, kind, monday) + member;
    }

    /** The member's latest activity in the week of {@code monday}: what {@link #lastActive} needs, 7x fewer keys. */
    private String memberWeekKey(String community, String member, int monday) {
        return community + SEP + 'm' + SEP + member + SEP + iso(monday);
    }
}
