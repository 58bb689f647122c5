package org.communitypulse.streams.internals;

import java.time.Clock;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.CohortRetention;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.DailyEngagement;
import org.communitypulse.schemas.avro.MemberEngagement;
import org.communitypulse.schemas.avro.MemberKey;
import org.communitypulse.schemas.avro.TrailingEngagement;
import org.communitypulse.streams.EngagementSettings;

/**
 * Engagement metrics of the communities on this task: folds each accepted event into state
 * ({@link EngagementFolder}) and, every {@code emitInterval} of wall-clock time, emits the records of
 * the periods that changed ({@link EngagementEmitter}).
 *
 * <p>The activity topic is partitioned by community, so all of a community's events are already on
 * this task: no repartition topic. Wall-clock punctuation (not stream time) so that the last
 * changes of a replay, and of a community that has fallen silent, are still emitted.
 */
public final class EngagementProcessor implements Processor<String, ActivityEvent, Object, Object> {

    /** Downstream node names per output. */
    public record Children(String daily, String trailing, String retention, String members) {
    }

    private final EngagementStores.Names storeNames;
    private final Children children;
    private final EngagementSettings settings;
    private final Clock clock;
    private EngagementFolder folder;

    public EngagementProcessor(String dayStore, String threadStore, String memberStore, String communityStore,
                               String cohortStore, Children children, EngagementSettings settings, Clock clock) {
        this.storeNames = new EngagementStores.Names(dayStore, threadStore, memberStore, communityStore, cohortStore);
        this.children = children;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        EngagementStores stores = storeNames.open(context);
        this.folder = new EngagementFolder(stores, settings);
        EngagementEmitter emitter = new EngagementEmitter(stores, settings, clock);
        EngagementEmitter.Output output = new ForwardingOutput(context, children);
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emitter.emitAll(output));
    }

    /** Whether a community's state has periods waiting for the next emission. */
    public static boolean hasPendingWork(org.communitypulse.schemas.avro.CommunityState state) {
        return EngagementStores.hasPendingWork(state);
    }

    @Override
    public void process(Record<String, ActivityEvent> record) {
        folder.fold(record.value());
    }

    /** Forwards each record to its sink, stamped with the emission (wall-clock) time. */
    private record ForwardingOutput(ProcessorContext<Object, Object> context, Children children)
            implements EngagementEmitter.Output {

        @Override
        public void daily(CommunityDayKey key, DailyEngagement value) {
            send(key, value, children.daily());
        }

        @Override
        public void trailing(CommunityDayKey key, TrailingEngagement value) {
            send(key, value, children.trailing());
        }

        @Override
        public void retention(CommunityDayKey key, CohortRetention value) {
            send(key, value, children.retention());
        }

        @Override
        public void member(MemberKey key, MemberEngagement value) {
            send(key, value, children.members());
        }

        private void send(Object key, Object value, String child) {
            context.forward(new Record<>(key, value, context.currentSystemTimeMs()), child);
        }
    }
}
