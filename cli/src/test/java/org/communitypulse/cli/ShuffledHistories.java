package org.communitypulse.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.communitypulse.ingest.generator.OrganisationPlan;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.EventType;

/**
 * Histories for the order-insensitivity tests: a generated one with alert activity of every kind, its shuffles with
 * re-sent duplicates, and the alerts of a run as each key's FIRING/RESOLVED sequence.
 */
public final class ShuffledHistories {

    public static final LocalDate START = LocalDate.of(2025, 1, 6);
    /** The neglected community's threads get no reply, reaction or accepted answer for this many days. */
    private static final int NEGLECTED_DAYS = 21;

    private static final Set<EventType> REGISTER = Set.of(EventType.ROLE_GRANTED, EventType.ROLE_REVOKED,
            EventType.TRAINING_COMPLETED, EventType.POLICY_ACKNOWLEDGED);

    private ShuffledHistories() {
    }

    /**
     * A healthy, a slipping, a stalling and a neglected community with an organisation (role register, trainings,
     * acknowledgements) over {@code days} days, in time order: the stalling one falls silent on day {@code days * 2 / 3},
     * the slipping one loses a growing share of its threads (and their replies) from day {@code days / 3} to two thirds
     * of them by the stall day, the neglected one answers nothing for three weeks from day {@code days / 2} (its health
     * falls to at risk). BELOW_BASELINE, NO_ACTIVITY, HEALTH_AT_RISK, BACKLOG_GROWING and the role conditions fire.
     */
    public static List<ActivityEvent> generated(int days) {
        LocalDate stall = START.plusDays(days * 2L / 3);
        LocalDate slipFrom = START.plusDays(days / 3);
        LocalDate neglectFrom = START.plusDays(days / 2);
        LocalDate neglectTo = neglectFrom.plusDays(NEGLECTED_DAYS);
        SimulationPlan plan = new SimulationPlan(List.of("healthy", "slipping", "stalling", "neglected"), 200, START,
                days, 42, Map.of("stalling", stall));
        Set<String> dropped = new HashSet<>();
        List<ActivityEvent> kept = new ArrayList<>();
        new SimulatedActivity(plan, OrganisationPlan.defaults()).events().forEach(e -> {
            if (e.getCommunityId().equals("slipping") && e.getThreadId() != null) {
                if (e.getType() == EventType.THREAD_CREATED && slipped(e, slipFrom, stall)) {
                    dropped.add(e.getThreadId());
                }
                if (dropped.contains(e.getThreadId())) {
                    return;
                }
            }
            if (e.getCommunityId().equals("neglected") && e.getType() != EventType.THREAD_CREATED
                    && e.getThreadId() != null && within(e, neglectFrom, neglectTo)) {
                return;
            }
            kept.add(e);
        });
        return kept;
    }

    private static boolean within(ActivityEvent e, LocalDate from, LocalDate to) {
        LocalDate day = e.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate();
        return !day.isBefore(from) && day.isBefore(to);
    }

    /** Whether the slipping community leaves this thread out: none at {@code from}, two thirds from {@code to} on. */
    private static boolean slipped(ActivityEvent thread, LocalDate from, LocalDate to) {
        long day = thread.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
        double share = Math.min(2.0 / 3, Math.max(0, (day - from.toEpochDay())
                / (double) (to.toEpochDay() - from.toEpochDay()) * 2 / 3));
        return Math.floorMod(thread.getThreadId().hashCode(), 1000) < share * 1000;
    }

    /** By source time, ties by event id: the order a live community would have produced them in. */
    public static List<ActivityEvent> inTimeOrder(List<ActivityEvent> events) {
        List<ActivityEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(ActivityEvent::getOccurredAt).thenComparing(ActivityEvent::getEventId));
        return sorted;
    }

    /** A seeded shuffle, then {@code duplicateShare} of the events sent again at random later points. */
    public static List<ActivityEvent> shuffledWithDuplicates(List<ActivityEvent> events, long seed, double duplicateShare) {
        Random random = new Random(seed);
        List<ActivityEvent> out = new ArrayList<>(events);
        Collections.shuffle(out, random);
        int duplicates = (int) Math.round(events.size() * duplicateShare);
        for (int i = 0; i < duplicates; i++) {
            int from = random.nextInt(out.size());
            out.add(from + 1 + random.nextInt(out.size() - from), out.get(from));
        }
        return registerInItsOwnOrder(out);
    }

    /**
     * The roles family judges each role event against the ones seen before it (a revoke without a grant in force, a
     * grant far after the community's latest event are refused, docs/roles.md): a register is imported in its own
     * order. The role-family events keep the places the shuffle gave them, filled in time order.
     */
    private static List<ActivityEvent> registerInItsOwnOrder(List<ActivityEvent> shuffled) {
        List<Integer> places = new ArrayList<>();
        List<ActivityEvent> register = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            if (REGISTER.contains(shuffled.get(i).getType())) {
                places.add(i);
                register.add(shuffled.get(i));
            }
        }
        register.sort(Comparator.comparing(ActivityEvent::getOccurredAt).thenComparing(ActivityEvent::getEventId));
        List<ActivityEvent> out = new ArrayList<>(shuffled);
        for (int k = 0; k < places.size(); k++) {
            out.set(places.get(k), register.get(k));
        }
        return out;
    }

    /**
     * Each AlertKey's records in the order written, as {@code STATE alertId since day severity}: the whole lifecycle a
     * receiver sees, keyed {@code community/CONDITION}.
     */
    public static Map<String, List<String>> sequences(Iterable<Alert> alerts) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (Alert a : alerts) {
            byKey.computeIfAbsent(a.getCommunityId() + "/" + a.getCondition(), k -> new ArrayList<>())
                    .add(a.getState() + " " + a.getAlertId() + " " + a.getSince() + " " + a.getDay() + " "
                            + a.getSeverity());
        }
        return byKey;
    }

    /** The keys whose sequences differ, each with both sequences, for a failure message. */
    public static List<String> differences(Map<String, List<String>> expected, Map<String, List<String>> actual) {
        Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            List<String> a = expected.getOrDefault(key, List.of());
            List<String> b = actual.getOrDefault(key, List.of());
            if (!a.equals(b)) {
                out.add(key + ":\n  expected: " + a + "\n  actual:   " + b);
            }
        }
        return out;
    }
}
