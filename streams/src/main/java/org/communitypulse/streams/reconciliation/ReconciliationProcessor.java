package org.communitypulse.streams.reconciliation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertKey;
import org.communitypulse.schemas.avro.CommunityDayKey;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.PlatformDayCount;
import org.communitypulse.schemas.avro.Reconciliation;
import org.communitypulse.schemas.avro.SourcePlatform;

/**
 * Both sides of a community's reconciliation, on the task of its activity partition. An accepted thread or reply
 * adds one to its (community, day, source) count; an observation of the platform is judged at once against the
 * count as it stands ({@link Reconciler#observe}). Either marks the day; once per emission interval (wall clock)
 * every marked day is re-counted ({@link Reconciler#recount}: the events a poller published with its counts may
 * come after them), written with its community's {@code completeUpTo}, and DATA_GAP is judged per community.
 */
final class ReconciliationProcessor implements Processor<String, Object, Object, Object> {

    /** Store and child node names. */
    record Names(String counts, String view, String dirty, String alertsView, String reconciliationSink,
                 String alertsSink) {
    }

    static final char SEP = '\u0000';
    /** The character after {@link #SEP}: {@code community + END} bounds a community's keys from above. */
    private static final char END = '\u0001';
    private static final byte[] MARK = new byte[0];
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final Names names;
    private final ReconciliationSettings settings;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Long> counts;
    private KeyValueStore<String, Reconciliation> view;
    /** {@code community NUL day}: day to emit; {@code community NUL}: DATA_GAP to judge (held while the gate is shut). */
    private KeyValueStore<String, byte[]> dirty;
    private KeyValueStore<String, Alert> alertsView;

    ReconciliationProcessor(Names names, ReconciliationSettings settings) {
        this.names = names;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.counts = context.getStateStore(names.counts());
        this.view = context.getStateStore(names.view());
        this.dirty = context.getStateStore(names.dirty());
        this.alertsView = context.getStateStore(names.alertsView());
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit(now));
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof ActivityEvent event) {
            count(event);
        } else if (record.value() instanceof PlatformDayCount observation) {
            observe(observation);
        }
    }

    private void count(ActivityEvent event) {
        if (event.getType() != EventType.THREAD_CREATED && event.getType() != EventType.REPLY_CREATED) {
            return;
        }
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(event.getOccurredAt().toEpochMilli(), MILLIS_PER_DAY));
        String dayKey = dayKey(event.getCommunityId(), day);
        String countKey = countKey(dayKey, event.getSource());
        Long before = counts.get(countKey);
        counts.put(countKey, before == null ? 1 : before + 1);
        Reconciliation observed = view.get(dayKey);
        if (observed != null && observed.getSource() == event.getSource()) {
            dirty.put(dayKey, MARK);
        }
    }

    private void observe(PlatformDayCount observation) {
        String dayKey = dayKey(observation.getCommunityId(), observation.getDay());
        Reconciliation previous = view.get(dayKey);
        Reconciliation next = Reconciler.observe(previous, observation, count(dayKey, observation.getSource()));
        if (next != previous) {
            view.put(dayKey, next);
            dirty.put(dayKey, MARK);
        }
    }

    private void emit(long now) {
        Map<String, List<String>> days = new TreeMap<>();
        Set<String> judge = new LinkedHashSet<>();
        List<String> marks = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = dirty.all()) {
            while (it.hasNext()) {
                marks.add(it.next().key);
            }
        }
        for (String key : marks) {
            dirty.delete(key);
            int sep = key.indexOf(SEP);
            String community = key.substring(0, sep);
            if (sep == key.length() - 1) {
                judge.add(community);
            } else {
                days.computeIfAbsent(community, c -> new ArrayList<>()).add(key);
            }
        }
        for (Map.Entry<String, List<String>> community : days.entrySet()) {
            List<String> changed = new ArrayList<>();
            for (String dayKey : community.getValue()) {
                Reconciliation current = view.get(dayKey);
                if (current == null) {
                    continue;
                }
                Reconciliation next = Reconciler.recount(current, count(dayKey, current.getSource()));
                if (next != current) {
                    view.put(dayKey, next);
                }
                changed.add(dayKey);
            }
            LocalDate upTo = Reconciler.completeUpTo(daysOf(community.getKey()));
            for (String dayKey : changed) {
                Reconciliation out = view.get(dayKey);
                if (!java.util.Objects.equals(out.getCompleteUpTo(), upTo)) {
                    out = Reconciliation.newBuilder(out).setCompleteUpTo(upTo).build();
                    view.put(dayKey, out);
                }
                context.forward(new Record<>(new CommunityDayKey(out.getCommunityId(), out.getDay()), out, now),
                        names.reconciliationSink());
            }
            judge.add(community.getKey());
        }
        for (String community : judge) {
            if (settings.alertGate().isOpen()) {
                judgeDataGap(community, now);
            } else {
                dirty.put(community + SEP, MARK);
            }
        }
    }

    private void judgeDataGap(String community, long now) {
        String key = community + SEP + AlertCondition.DATA_GAP.name();
        Alert next = DataGapAlerts.judge(community, daysOf(community), alertsView.get(key));
        if (next != null) {
            alertsView.put(key, next);
            context.forward(new Record<>(new AlertKey(community, AlertCondition.DATA_GAP), next, now),
                    names.alertsSink());
        }
    }

    /** The community's records, oldest day first (ISO days sort as text). */
    private List<Reconciliation> daysOf(String community) {
        List<Reconciliation> result = new ArrayList<>();
        try (KeyValueIterator<String, Reconciliation> it = view.range(community + SEP, community + END)) {
            while (it.hasNext()) {
                KeyValue<String, Reconciliation> entry = it.next();
                result.add(entry.value);
            }
        }
        return result;
    }

    private long count(String dayKey, SourcePlatform source) {
        Long n = counts.get(countKey(dayKey, source));
        return n == null ? 0 : n;
    }

    static String dayKey(String community, LocalDate day) {
        return community + SEP + day;
    }

    private static String countKey(String dayKey, SourcePlatform source) {
        return dayKey + SEP + source.name();
    }
}
