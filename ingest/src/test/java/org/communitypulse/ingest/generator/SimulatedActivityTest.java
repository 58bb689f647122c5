package org.communitypulse.ingest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatedActivityTest {

    private static final LocalDate START = LocalDate.of(2026, 1, 1);
    private static final LocalDate STALL = LocalDate.of(2026, 1, 20);
    private static final SimulationPlan PLAN = new SimulationPlan(SimulationPlan.numberedCommunities(3), 500, START,
            28, 42, Map.of("community-2", STALL));

    private static List<ActivityEvent> events;

    @BeforeAll
    static void generate() {
        events = new SimulatedActivity(PLAN).events().toList();
    }

    @Test
    void shouldYieldIdenticalEventsWhenSeedIsTheSame() {
        List<ActivityEvent> again = new SimulatedActivity(PLAN).events().toList();
        assertThat(again).isEqualTo(events);
        List<ActivityEvent> otherSeed = new SimulatedActivity(new SimulationPlan(PLAN.communities(), 500, START, 28,
                43, PLAN.stalls())).events().toList();
        assertThat(otherSeed.get(0).getEventId()).isNotEqualTo(events.get(0).getEventId());
        assertThat(events).extracting(ActivityEvent::getEventId).doesNotHaveDuplicates();
    }

    @Test
    void shouldEmitEventsInTimeOrderWithinTheWindowWhenGenerating() {
        Instant start = START.atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(events.size()).isGreaterThan(2_000);
        for (int i = 0; i < events.size(); i++) {
            ActivityEvent e = events.get(i);
            assertThat(e.getOccurredAt()).isAfterOrEqualTo(start).isBefore(PLAN.end());
            if (i > 0) {
                assertThat(e.getOccurredAt()).isAfterOrEqualTo(events.get(i - 1).getOccurredAt());
            }
        }
    }

    @Test
    void shouldMakeTopTenPercentOfMembersDoMostContributionsWhenActivityIsHeavyTailed() {
        for (String community : List.of("community-1", "community-3")) {
            Map<String, Long> perMember = events.stream()
                    .filter(e -> e.getCommunityId().equals(community))
                    .filter(e -> e.getType() == EventType.THREAD_CREATED || e.getType() == EventType.REPLY_CREATED)
                    .collect(Collectors.groupingBy(ActivityEvent::getActorId, Collectors.counting()));
            List<Long> sorted = perMember.values().stream().sorted((a, b) -> Long.compare(b, a)).toList();
            long total = sorted.stream().mapToLong(Long::longValue).sum();
            // Top 10% of all members, lurkers included.
            long top = sorted.stream().limit(PLAN.membersPerCommunity() / 10).mapToLong(Long::longValue).sum();
            assertThat((double) top / total).as("top-10%% share in %s", community).isGreaterThan(0.5);
            assertThat(perMember.size()).as("members who posted").isLessThan(PLAN.membersPerCommunity());
        }
    }

    @Test
    void shouldHaveWeekendDipWhenCountingDailyVolume() {
        Map<LocalDate, Long> perDay = new TreeMap<>(events.stream()
                .filter(e -> e.getCommunityId().equals("community-1"))
                .collect(Collectors.groupingBy(e -> day(e.getOccurredAt()), Collectors.counting())));
        double weekend = mean(perDay, true);
        double weekday = mean(perDay, false);
        assertThat(weekend).isLessThan(0.7 * weekday).isGreaterThan(0.2 * weekday);
    }

    @Test
    void shouldPeakInWorkingHoursWhenCountingHourlyVolume() {
        Map<Integer, Long> perHour = events.stream().collect(Collectors.groupingBy(
                e -> e.getOccurredAt().atZone(ZoneOffset.UTC).getHour(), Collectors.counting()));
        long working = perHour.entrySet().stream().filter(h -> h.getKey() >= 9 && h.getKey() < 17)
                .mapToLong(Map.Entry::getValue).sum();
        long night = perHour.entrySet().stream().filter(h -> h.getKey() < 6)
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(working / 8.0).isGreaterThan(4 * night / 6.0);
    }

    @Test
    void shouldReplyByAnotherMemberAfterTheThreadWhenAnsweringThreads() {
        Map<String, ActivityEvent> threads = new HashMap<>();
        long replies = 0;
        for (ActivityEvent e : events) {
            if (e.getType() == EventType.THREAD_CREATED) {
                threads.put(e.getThreadId(), e);
            } else if (e.getType() == EventType.REPLY_CREATED) {
                ActivityEvent thread = threads.get(e.getThreadId());
                assertThat(thread).as("thread of reply %s", e.getEventId()).isNotNull();
                assertThat(e.getActorId()).isNotEqualTo(thread.getActorId());
                assertThat(e.getOccurredAt()).isAfter(thread.getOccurredAt());
                assertThat(e.getCommunityId()).isEqualTo(thread.getCommunityId());
                replies++;
            }
        }
        assertThat(replies).isGreaterThan(threads.size());
        assertThat(events).filteredOn(e -> e.getType() == EventType.REPLY_CREATED)
                .anyMatch(e -> e.getActorId().contains("-staff-"));
    }

    @Test
    void shouldFadeToNothingWhenCommunityStalls() {
        Instant stall = STALL.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<ActivityEvent> stalled = events.stream().filter(e -> e.getCommunityId().equals("community-2")).toList();
        assertThat(stalled).noneMatch(e -> !e.getOccurredAt().isBefore(stall));
        long earlyWeek = countBetween(stalled, STALL.minusDays(14), STALL.minusDays(7));
        long lastWeek = countBetween(stalled, STALL.minusDays(7), STALL);
        long lastTwoDays = countBetween(stalled, STALL.minusDays(2), STALL);
        assertThat(lastWeek).isLessThan((long) (0.75 * earlyWeek));
        assertThat(lastTwoDays).isLessThan(lastWeek / 3);
        // The others keep going.
        assertThat(events).anyMatch(e -> e.getCommunityId().equals("community-1") && e.getOccurredAt().isAfter(stall));
    }

    @Test
    void shouldDeclineOverTheFadeDaysBeforeTheStallWhenTheFadeIsConfigured() {
        LocalDate stall = START.plusDays(100);
        Map<Integer, List<Long>> weeklyThreadsByFade = new TreeMap<>();
        for (int fade : List.of(SimulationPlan.DEFAULT_STALL_FADE_DAYS, 7)) {
            List<ActivityEvent> stalling = new SimulatedActivity(new SimulationPlan(List.of("s"), 2_000, START, 120, 42,
                    Map.of("s", stall), fade)).events()
                    .filter(e -> e.getType() == EventType.THREAD_CREATED).toList();
            // Threads of the eight weeks before the stall, oldest first.
            weeklyThreadsByFade.put(fade, java.util.stream.IntStream.range(0, 8).mapToObj(w -> countBetween(stalling,
                    stall.minusDays(7L * (8 - w)), stall.minusDays(7L * (7 - w)))).toList());
            assertThat(stalling).noneMatch(e -> !day(e.getOccurredAt()).isBefore(stall));
        }
        List<Long> fiveWeeks = weeklyThreadsByFade.get(SimulationPlan.DEFAULT_STALL_FADE_DAYS);
        List<Long> oneWeek = weeklyThreadsByFade.get(7);
        // Five weeks: full volume before the fade, then down week after week (expected shares 0.89, 0.69, 0.5, 0.31,
        // 0.11 of the full volume); two weeks at a time, as a single week's count is Poisson.
        double full = (fiveWeeks.get(0) + fiveWeeks.get(1) + fiveWeeks.get(2)) / 3.0;
        assertThat(fiveWeeks.get(3) + fiveWeeks.get(4)).as("%s", fiveWeeks).isLessThan((long) (0.9 * 2 * full));
        assertThat(fiveWeeks.get(5) + fiveWeeks.get(6)).as("%s", fiveWeeks)
                .isLessThan((long) (0.75 * (fiveWeeks.get(3) + fiveWeeks.get(4))));
        assertThat(fiveWeeks.get(7)).as("%s", fiveWeeks).isLessThan(fiveWeeks.get(6)).isLessThan((long) (0.2 * full));
        // One week: full volume up to the last week, which keeps about half of it.
        assertThat(oneWeek.get(6)).isGreaterThan((long) (0.85 * full));
        assertThat(oneWeek.get(7)).isBetween((long) (0.3 * full), (long) (0.7 * full));
        assertThatThrownBy(() -> new SimulationPlan(List.of("s"), 500, START, 120, 42, Map.of("s", stall), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stall fade");
    }

    @Test
    void shouldProduceEventsValidForThePipelineWhenGenerating() {
        Set<EventType> withActor = EnumSet.of(EventType.MEMBER_JOINED, EventType.ROLE_GRANTED,
                EventType.TRAINING_COMPLETED, EventType.POLICY_ACKNOWLEDGED, EventType.THREAD_CREATED,
                EventType.REPLY_CREATED);
        for (ActivityEvent e : events) {
            assertThat(e.getEventId()).isNotBlank();
            assertThat(e.getCommunityId()).isNotBlank();
            if (withActor.contains(e.getType())) {
                assertThat(e.getActorId()).as("actor of %s", e.getType()).isNotBlank();
            }
        }
        Map<EventType, Long> byType = events.stream()
                .collect(Collectors.groupingBy(ActivityEvent::getType, Collectors.counting()));
        assertThat(byType.keySet()).containsAll(EnumSet.of(EventType.THREAD_CREATED, EventType.REPLY_CREATED,
                EventType.REACTION_ADDED, EventType.ANSWER_ACCEPTED, EventType.MEMBER_JOINED,
                EventType.ROLE_GRANTED, EventType.TRAINING_COMPLETED, EventType.POLICY_ACKNOWLEDGED));
        assertThat(events).filteredOn(e -> e.getType() == EventType.ROLE_GRANTED)
                .allMatch(e -> e.getAttributes().containsKey("role"));
        assertThat(events).filteredOn(e -> e.getType() == EventType.TRAINING_COMPLETED)
                .allMatch(e -> e.getAttributes().containsKey("course"));
        assertThat(events).filteredOn(e -> e.getType() == EventType.POLICY_ACKNOWLEDGED)
                .allMatch(e -> e.getAttributes().containsKey("policy"));
        // Governance stays rare next to conversation.
        assertThat(byType.get(EventType.ROLE_GRANTED)).isLessThan(byType.get(EventType.THREAD_CREATED) / 20);
    }

    @Test
    void shouldKeepLiveGeneratorWorkingWhenUsedByRun() {
        ActivityGenerator live = new ActivityGenerator(List.of("a", "b"), 50, 7);
        ActivityGenerator same = new ActivityGenerator(List.of("a", "b"), 50, 7);
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        for (int i = 0; i < 200; i++) {
            assertThat(live.next(now)).isEqualTo(same.next(now));
        }
        assertThat(live.generated()).isEqualTo(200);
    }

    private static long countBetween(List<ActivityEvent> list, LocalDate from, LocalDate to) {
        return list.stream().filter(e -> !day(e.getOccurredAt()).isBefore(from) && day(e.getOccurredAt()).isBefore(to))
                .count();
    }

    private static double mean(Map<LocalDate, Long> perDay, boolean weekend) {
        return perDay.entrySet().stream()
                .filter(d -> isWeekend(d.getKey()) == weekend)
                .mapToLong(Map.Entry::getValue).average().orElseThrow();
    }

    private static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    @Test
    void shouldAddAConsistentOrganisationWithoutChangingTheActivityWhenAnOrganisationIsPlanned() {
        List<ActivityEvent> withOrganisation = new SimulatedActivity(PLAN, OrganisationPlan.defaults()).events().toList();
        Set<String> organisationTypes = Set.of("ROLE_GRANTED", "ROLE_REVOKED", "TRAINING_COMPLETED", "POLICY_ACKNOWLEDGED");
        List<ActivityEvent> organisation = withOrganisation.stream()
                .filter(e -> organisationTypes.contains(e.getType().name())
                        && !in(e.getAttributes().get("role"), "moderator", "helper", "mentor")
                        && !in(e.getAttributes().get("course"), "onboarding", "moderation-101", "safety-basics")
                        && !in(e.getAttributes().get("policy"), "code-of-conduct-2026", "privacy-notice", "content-policy"))
                .toList();
        // The activity is untouched: removing the organisation's events gives the plain generator's output.
        List<ActivityEvent> rest = withOrganisation.stream().filter(e -> !organisation.contains(e)).toList();
        assertThat(rest).isEqualTo(events);
        assertThat(withOrganisation).extracting(ActivityEvent::getEventId).doesNotHaveDuplicates();
        for (int i = 1; i < withOrganisation.size(); i++) {
            assertThat(withOrganisation.get(i).getOccurredAt()).isAfterOrEqualTo(withOrganisation.get(i - 1).getOccurredAt());
        }
        // Every revoke follows a grant of the same line, and the three required roles start held by staff.
        Map<String, Boolean> held = new HashMap<>();
        for (ActivityEvent e : organisation) {
            String line = e.getActorId() + "|" + e.getAttributes().get("role") + "|" + e.getAttributes().get("level")
                    + "|" + e.getAttributes().get("account");
            if (e.getType() == EventType.ROLE_GRANTED) {
                held.put(line, true);
            } else if (e.getType() == EventType.ROLE_REVOKED) {
                assertThat(held.get(line)).as("revoke of %s", line).isTrue();
                held.put(line, false);
            }
        }
        assertThat(organisation).filteredOn(e -> "sponsor".equals(e.getAttributes().get("role"))
                && e.getType() == EventType.ROLE_GRANTED).extracting(ActivityEvent::getActorId)
                .contains("community-1-staff-0", "community-3-staff-0");
        // 5% of 500 members are Corporate Users in each community.
        assertThat(organisation).filteredOn(e -> "corporate-user".equals(e.getAttributes().get("level"))
                && e.getCommunityId().equals("community-1")).hasSize(25);
        assertThat(organisation).filteredOn(e -> e.getType() == EventType.ROLE_REVOKED).isNotEmpty();
        assertThat(organisation).filteredOn(e -> e.getType() == EventType.TRAINING_COMPLETED).isNotEmpty();
    }

    private static boolean in(String value, String... values) {
        return value != null && List.of(values).contains(value);
    }
}
