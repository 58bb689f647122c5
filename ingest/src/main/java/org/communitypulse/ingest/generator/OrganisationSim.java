package org.communitypulse.ingest.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;

/**
 * One community's organisation over the window ({@link OrganisationPlan}). Decisions are taken on the day
 * their events happen, from what is held at that moment, so a revoke always follows its grant on an earlier
 * day: the register it yields is consistent (no revoke without a grant) whatever the seed.
 */
final class OrganisationSim {

    private static final long HOUR = 3_600_000L;

    private final String community;
    private final OrganisationPlan plan;
    private final SplittableRandom random;
    private final int members;
    private final int days;
    private final long seed;
    /** role -> holder, for the team and key roles held now. */
    private final Map<String, String> holders = new TreeMap<>();
    /** role -> day index it was last granted, so it is never revoked on the same day. */
    private final Map<String, Integer> grantedOn = new TreeMap<>();
    /** role -> day index a vacated role is taken over. */
    private final Map<String, Integer> takeOver = new TreeMap<>();
    /** Events decided in advance (trainings, acknowledgements), by day index. */
    private final List<List<ActivityEvent>> planned = new ArrayList<>();
    private long sequence;

    OrganisationSim(String community, OrganisationPlan plan, SplittableRandom random, int members, int days, long seed) {
        this.community = community;
        this.plan = plan;
        this.random = random;
        this.members = members;
        this.days = days;
        this.seed = seed;
        for (int d = 0; d < days; d++) {
            planned.add(new ArrayList<>());
        }
    }

    String community() {
        return community;
    }

    /** Adds the events of day {@code dayIndex} of the window that starts at {@code windowStart}. */
    void simulate(int dayIndex, Instant windowStart, List<ActivityEvent> out) {
        if (dayIndex == 0) {
            firstDay(windowStart, out);
        } else {
            turnover(dayIndex, windowStart, out);
        }
        out.addAll(planned.get(dayIndex));
        planned.get(dayIndex).clear();
    }

    private void firstDay(Instant dayStart, List<ActivityEvent> out) {
        Instant morning = dayStart.plusMillis(8 * HOUR);
        for (int i = 0; i < OrganisationPlan.REQUIRED_ROLES.length; i++) {
            String member = i < SimulatedActivity.STAFF ? SimulatedActivity.memberId(community, i) : core();
            grantRole(OrganisationPlan.REQUIRED_ROLES[i], member, 0, morning.plusSeconds(i), out);
        }
        for (String role : OrganisationPlan.OTHER_ROLES) {
            if (random.nextDouble() < 0.7) {
                grantRole(role, core(), 0, morning.plusSeconds(10 + holders.size()), out);
            }
        }
        int corporate = (int) Math.round(plan.corporateUserShare() * members);
        List<String> corporateUsers = new ArrayList<>();
        // Distinct members: a partial shuffle of the member indices.
        int[] order = new int[members];
        for (int i = 0; i < members; i++) {
            order[i] = i;
        }
        for (int i = 0; i < corporate && i < members; i++) {
            int j = i + random.nextInt(members - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            String member = SimulatedActivity.memberId(community, order[i]);
            corporateUsers.add(member);
            out.add(event(EventType.ROLE_GRANTED, member, morning.plusSeconds(100 + i),
                    Map.of("level", OrganisationPlan.CORPORATE_USER)));
            if (random.nextDouble() < plan.trainedShare()) {
                int day = random.nextInt(days);
                planned.get(day).add(event(EventType.TRAINING_COMPLETED, member, timeOn(day, dayStart),
                        Map.of("course", OrganisationPlan.REQUIRED_COURSE,
                                "score", Integer.toString(60 + random.nextInt(41)))));
            }
        }
        for (int a = 0; a < plan.accounts() && !corporateUsers.isEmpty(); a++) {
            String manager = corporateUsers.get(random.nextInt(corporateUsers.size()));
            out.add(event(EventType.ROLE_GRANTED, manager, morning.plusSeconds(5_000L + a),
                    Map.of("level", OrganisationPlan.ACCOUNT_MANAGER, "account", "@" + community + "-" + a)));
        }
        for (int i = 0; i < members; i++) {
            if (random.nextDouble() < plan.acknowledgedShare()) {
                int day = random.nextInt(days);
                planned.get(day).add(event(EventType.POLICY_ACKNOWLEDGED, SimulatedActivity.memberId(community, i),
                        timeOn(day, dayStart), Map.of("policy", OrganisationPlan.POLICY)));
            }
        }
    }

    /** Holders leave (not on the day they were granted); vacated roles are taken over later, or stay vacant. */
    private void turnover(int dayIndex, Instant windowStart, List<ActivityEvent> out) {
        Instant today = windowStart.plusMillis((long) dayIndex * 24 * HOUR);
        for (String role : new ArrayList<>(holders.keySet())) {
            if (grantedOn.get(role) < dayIndex && random.nextDouble() < plan.dailyTurnover()) {
                String holder = holders.remove(role);
                out.add(event(EventType.ROLE_REVOKED, holder, today.plusMillis(9 * HOUR + random.nextInt(3_600_000)),
                        Map.of("role", role)));
                if (random.nextDouble() < 0.7) {
                    takeOver.put(role, dayIndex + 1 + random.nextInt(20));
                }
            }
        }
        for (Map.Entry<String, Integer> due : new ArrayList<>(takeOver.entrySet())) {
            if (due.getValue() == dayIndex) {
                takeOver.remove(due.getKey());
                grantRole(due.getKey(), core(), dayIndex, today.plusMillis(15 * HOUR + random.nextInt(3_600_000)), out);
            }
        }
    }

    private void grantRole(String role, String member, int dayIndex, Instant at, List<ActivityEvent> out) {
        holders.put(role, member);
        grantedOn.put(role, dayIndex);
        out.add(event(EventType.ROLE_GRANTED, member, at, Map.of("role", role)));
        if (OrganisationPlan.COMMUNITY_MANAGER.equals(role) && random.nextDouble() < plan.trainedShare()) {
            out.add(event(EventType.TRAINING_COMPLETED, member, at.plusMillis(2 * HOUR),
                    Map.of("course", OrganisationPlan.COMMUNITY_MANAGER_COURSE,
                            "score", Integer.toString(60 + random.nextInt(41)))));
        }
    }

    /** One of the 50 most active members (staff included), who are the ones taking roles on. */
    private String core() {
        return SimulatedActivity.memberId(community, random.nextInt(Math.min(50, members)));
    }

    private Instant timeOn(int dayIndex, Instant windowStart) {
        return windowStart.plusMillis((long) dayIndex * 24 * HOUR + 6 * HOUR + random.nextLong(14 * HOUR));
    }

    private ActivityEvent event(EventType type, String member, Instant at, Map<String, String> attributes) {
        return GeneratedEvents.event(community, "organisation", seed + "-" + sequence++, type, member, null, null, at,
                new LinkedHashMap<>(attributes));
    }
}
