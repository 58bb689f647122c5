package org.communitypulse.streams.engagement.internals;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.common.ViewStores;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.identity.IdentityChange;
import org.communitypulse.streams.identity.IdentityEvents;
import org.communitypulse.streams.identity.IdentityView;

/**
 * Engagement metrics of the communities on this task: folds each accepted event into state
 * ({@link EngagementFolder}) and, every {@code emitInterval} of wall-clock time, emits the records of
 * the periods that changed ({@link EngagementEmitter}).
 *
 * <p>The activity topic is partitioned by community, so all of a community's events are already on
 * this task: no repartition topic. Wall-clock punctuation (not stream time) so that the last
 * changes of a replay, and of a community that has fallen silent, are still emitted.
 */
public final class EngagementProcessor implements Processor<String, Object, Object, Object> {

    /** Downstream node names per output. */
    public record Children(String daily, String trailing, String retention, String members, String alerts) {
    }

    /** Names of the queryable stores holding the latest emitted record per key. */
    public record Views(String daily, String trailing, String retention, String members, String alerts) {
    }

    private final EngagementStores.Names storeNames;
    private final Views views;
    private final Children children;
    private final EngagementSettings settings;
    private final AlertSettings alertSettings;
    private final RuntimeHooks hooks;
    private final String identityStore;
    /** The alert snapshots for live convergence (docs/alerts.md), or null: a decision once written stands. */
    private String alertHistoryStore;
    private EngagementFolder folder;
    private final LatencySamples latency = new LatencySamples();

    public EngagementProcessor(String dayStore, String threadStore, String memberStore, String memberDaysStore,
                               String communityStore, String cohortStore, String dirtyStore, Children children,
                               Views views,
                               EngagementSettings settings,
                               AlertSettings alertSettings, RuntimeHooks hooks) {
        this(dayStore, threadStore, memberStore, memberDaysStore, communityStore, cohortStore, dirtyStore, null,
                children, views,
                settings, alertSettings, hooks);
    }

    /**
     * With {@code identityStore} (the {@code IdentityProcessor}'s store, or null for none): contributions are
     * counted per member, not per platform identity, and {@link IdentityChange}s from that processor mark what
     * a merge, split or erasure changes.
     */
    public EngagementProcessor(String dayStore, String threadStore, String memberStore, String memberDaysStore,
                               String communityStore, String cohortStore, String dirtyStore, String identityStore,
                               Children children,
                               Views views, EngagementSettings settings, AlertSettings alertSettings,
                               RuntimeHooks hooks) {
        this.identityStore = identityStore;
        this.storeNames = new EngagementStores.Names(dayStore, threadStore, memberStore, communityStore, cohortStore,
                dirtyStore, memberDaysStore);
        this.children = children;
        this.views = views;
        this.settings = settings;
        this.alertSettings = alertSettings;
        this.hooks = hooks;
    }

    /** Keeps the alert snapshots in {@code store} (connected to this node), so late events re-judge judged days. */
    public EngagementProcessor withAlertHistory(String store) {
        this.alertHistoryStore = store;
        return this;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        EngagementStores stores = storeNames.open(context);
        DirtyPeriods dirty = new DirtyPeriods(stores.dirty());
        IdentityView identities = identityStore == null ? null : IdentityView.of(context.getStateStore(identityStore));
        EngagementEmitter emitter = new EngagementEmitter(stores, dirty, settings, alertSettings, hooks, identities,
                alertHistoryStore == null ? null : context.getStateStore(alertHistoryStore));
        this.folder = new EngagementFolder(stores, dirty, settings, identities, emitter::restructured);
        EngagementEmitter.Output output = new ForwardingOutput(context, children, ViewStores.open(context, views));
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            emitter.emitAll(output, now);
            latency.report(now);
        });
    }

    /**
     * Communities with records waiting for the next emission, given the community and dirty-period
     * stores as any reader sees them (interactive queries included). With {@code alertsDue}, a
     * community whose alerts have not been judged up to the day before its latest day is pending too.
     */
    public static long pendingCommunities(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String,
            org.communitypulse.schemas.avro.CommunityState> communities,
                                          org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, byte[]> dirty,
                                          boolean alertsDue) {
        java.util.Set<String> pending;
        try (var marks = dirty.all()) {
            pending = DirtyPeriods.communitiesIn(marks);
        }
        try (var all = communities.all()) {
            all.forEachRemaining(kv -> {
                org.communitypulse.schemas.avro.CommunityState cs = kv.value;
                boolean alertsPending = alertsDue && cs.getFirstActiveDay() != null && cs.getLatestDay() != null
                        && (cs.getAlertsEvaluatedThrough() == null
                        || cs.getAlertsEvaluatedThrough() < cs.getLatestDay() - 1 || cs.getAlertsRejudgeFrom() != null);
                if (EngagementStores.levelsPending(cs) || alertsPending) {
                    pending.add(kv.key);
                }
            });
        }
        return pending.size();
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof IdentityChange change) {
            folder.identityChanged(change);
            return;
        }
        ActivityEvent event = (ActivityEvent) record.value();
        if (IdentityEvents.isIdentityEvent(event.getType()) || event.getType() == EventType.EVIDENCE_DECLARED) {
            // Not activity: a merge or a declared goal dated today must not move the community's latest day or its
            // event counts; the maturity family reads declarations.
            return;
        }
        folder.fold(event);
        hooks.observer().accepted(event.getType(), event.getSource());
        latency.sample(event.getOccurredAt().toEpochMilli());
    }

    /**
     * Event times folded since the last emission, a bounded reservoir of them: at emission each
     * sample's age is the event-to-metric latency.
     */
    private final class LatencySamples {
        private static final int CAPACITY = 1_024;
        private final long[] samples = new long[CAPACITY];
        private final java.util.Random random = new java.util.Random(17);
        private int size;
        private long seen;

        void sample(long occurredAt) {
            seen++;
            if (size < CAPACITY) {
                samples[size++] = occurredAt;
            } else {
                // Reservoir sampling keeps every event equally likely to be measured.
                long slot = (long) (random.nextDouble() * seen);
                if (slot < CAPACITY) {
                    samples[(int) slot] = occurredAt;
                }
            }
        }

        void report(long now) {
            for (int i = 0; i < size; i++) {
                hooks.observer().emitted(now - samples[i]);
            }
            size = 0;
            seen = 0;
        }
    }

    /** The view stores, opened. */
    private record ViewStores(KeyValueStore<String, DailyEngagement> daily,
                              KeyValueStore<String, TrailingEngagement> trailing,
                              KeyValueStore<String, CohortRetention> retention,
                              KeyValueStore<String, MemberEngagement> members,
                              KeyValueStore<String, Alert> alerts) {

        static ViewStores open(ProcessorContext<Object, Object> context, Views names) {
            return new ViewStores(context.getStateStore(names.daily()), context.getStateStore(names.trailing()),
                    context.getStateStore(names.retention()), context.getStateStore(names.members()),
                    context.getStateStore(names.alerts()));
        }
    }

    /**
     * Forwards each record to its sink, stamped with the emission (wall-clock) time, and keeps the
     * latest one per key in its view store for interactive queries.
     */
    private record ForwardingOutput(ProcessorContext<Object, Object> context, Children children, ViewStores views)
            implements EngagementEmitter.Output {

        @Override
        public void daily(CommunityDayKey key, DailyEngagement value) {
            views.daily().put(viewKey(key.getCommunityId(), key.getDay().toString()), value);
            send(key, value, children.daily());
        }

        @Override
        public void trailing(CommunityDayKey key, TrailingEngagement value) {
            views.trailing().put(viewKey(key.getCommunityId(), key.getDay().toString()), value);
            send(key, value, children.trailing());
        }

        @Override
        public void retention(CommunityDayKey key, CohortRetention value) {
            String viewKey = viewKey(key.getCommunityId(), key.getDay().toString());
            if (value == null) {
                views.retention().delete(viewKey);
            } else {
                views.retention().put(viewKey, value);
            }
            send(key, value, children.retention());
        }

        @Override
        public void member(MemberKey key, MemberEngagement value) {
            String viewKey = viewKey(key.getCommunityId(), key.getMemberId());
            if (value == null) {
                views.members().delete(viewKey);
            } else {
                views.members().put(viewKey, value);
            }
            send(key, value, children.members());
        }

        @Override
        public void alert(AlertKey key, Alert value) {
            views.alerts().put(viewKey(key.getCommunityId(), key.getCondition().name()), value);
            send(key, value, children.alerts());
        }

        @Override
        public Alert latest(AlertKey key) {
            return views.alerts().get(viewKey(key.getCommunityId(), key.getCondition().name()));
        }

        private void send(Object key, Object value, String child) {
            context.forward(new Record<>(key, value, context.currentSystemTimeMs()), child);
        }

        private static String viewKey(String community, String suffix) {
            return EngagementStores.scoped(community, suffix);
        }
    }
}
