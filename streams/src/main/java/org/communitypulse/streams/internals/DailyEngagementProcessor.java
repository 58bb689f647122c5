package org.communitypulse.streams.internals;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.DailyEngagementState;
import org.communitypulse.schemas.avro.EventType;

/**
 * Folds deduplicated activity events into per-community, per-UTC-day engagement and emits the
 * updated day on every change.
 *
 * <p>The activity topic is partitioned by community, so every event of a community-day is already
 * on this task: aggregating here avoids the repartition topic a DSL {@code groupBy} would add.
 * Every update is commutative (counters and a set union), so the result does not depend on the
 * order events arrive in.
 */
public final class DailyEngagementProcessor
        implements Processor<String, ActivityEvent, CommunityDayKey, DailyEngagement> {

    private final String storeName;
    private final Clock clock;
    private ProcessorContext<CommunityDayKey, DailyEngagement> context;
    private KeyValueStore<CommunityDayKey, DailyEngagementState> store;

    public DailyEngagementProcessor(String storeName, Clock clock) {
        this.storeName = storeName;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<CommunityDayKey, DailyEngagement> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, ActivityEvent> record) {
        ActivityEvent event = record.value();
        LocalDate day = LocalDate.ofInstant(event.getOccurredAt(), ZoneOffset.UTC);
        CommunityDayKey key = new CommunityDayKey(event.getCommunityId(), day);
        DailyEngagementState state = store.get(key);
        if (state == null) {
            state = new DailyEngagementState(0L, 0L, 0L, 0L, 0L, 0L, new ArrayList<>());
        }
        apply(state, event);
        store.put(key, state);
        context.forward(record.withKey(key).withValue(toMetric(key, state)));
    }

    /** Adds one event to a day's state. Package-private for direct unit tests. */
    static void apply(DailyEngagementState state, ActivityEvent event) {
        state.setEvents(state.getEvents() + 1);
        EventType type = event.getType();
        switch (type) {
            case THREAD_CREATED -> {
                state.setThreads(state.getThreads() + 1);
                addActive(state, event.getActorId());
            }
            case REPLY_CREATED -> {
                state.setReplies(state.getReplies() + 1);
                addActive(state, event.getActorId());
            }
            case REACTION_ADDED -> state.setReactions(state.getReactions() + 1);
            case ANSWER_ACCEPTED -> state.setAcceptedAnswers(state.getAcceptedAnswers() + 1);
            case MEMBER_JOINED -> state.setNewMembers(state.getNewMembers() + 1);
            default -> {
                // Other event types feed other topologies; here they only count towards events.
            }
        }
    }

    private static void addActive(DailyEngagementState state, String actorId) {
        if (actorId == null || actorId.isBlank()) {
            return;
        }
        List<String> ids = state.getActiveMemberIds();
        int at = Collections.binarySearch(ids, actorId);
        if (at < 0) {
            // Sorted insert keeps lookups logarithmic and the serialised form canonical.
            ids.add(-at - 1, actorId);
        }
    }

    private DailyEngagement toMetric(CommunityDayKey key, DailyEngagementState state) {
        return DailyEngagement.newBuilder()
                .setCommunityId(key.getCommunityId())
                .setDay(key.getDay())
                .setThreads(state.getThreads())
                .setReplies(state.getReplies())
                .setReactions(state.getReactions())
                .setAcceptedAnswers(state.getAcceptedAnswers())
                .setNewMembers(state.getNewMembers())
                .setActiveMembers(state.getActiveMemberIds().size())
                .setEvents(state.getEvents())
                .setUpdatedAt(clock.instant())
                .build();
    }
}
