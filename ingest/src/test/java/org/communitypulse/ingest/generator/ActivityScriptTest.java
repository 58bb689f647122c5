package org.communitypulse.ingest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.avro.SourcePlatform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted generator on the shipped example (examples/maturity-year/script.yaml): each week's raw activity does
 * what the script says (the quantities the maturity signals are computed from, counted here from the events
 * themselves), and the plain generator is unchanged by the script support.
 */
class ActivityScriptTest {

    static final Path EXAMPLE = Path.of("..", "examples", "maturity-year", "script.yaml");

    /** What one week of generated events shows. */
    record Week(int threads, int answeredWithin24h, int programmed, int replies, int staffReplies,
                Set<SourcePlatform> sources, Set<String> askers, Set<String> repliers) {
        double respondedShare() {
            return threads == 0 ? 0 : answeredWithin24h / (double) threads;
        }

        double staffShare() {
            return replies == 0 ? 0 : staffReplies / (double) replies;
        }
    }

    @Test
    void shouldGiveEachWeekTheActivityTheScriptSays() throws IOException {
        ActivityScript script = ActivityScript.read(EXAMPLE);
        assertThat(script.startsOnMonday()).isTrue();
        List<Week> weeks = weeks(script, new SimulatedActivity(script).events().toList());
        assertThat(weeks).hasSize(script.weeks());
        for (int w = 1; w <= script.weeks(); w++) {
            Week week = weeks.get(w - 1);
            ActivityScript.Settings s = script.at((w - 1) * 7);
            String why = "week " + w + " " + week;
            assertThat(week.programmed()).as(why).isEqualTo(s.programmedPerWeek());
            assertThat(week.sources()).as(why).containsExactlyInAnyOrderElementsOf(s.sources());
            // Nearly every answered thread is answered within a day once the first reply is fast, so the share is
            // the answered share; ~100 threads a week keep it within 0.12 of the script.
            double expected = (1 - s.unansweredShare()) * withinADay(s.firstReplyMinutes());
            assertThat(week.respondedShare()).as(why).isBetween(expected - 0.12, expected + 0.12);
            assertThat(week.staffShare()).as(why).isBetween(s.staffReplyShare() - 0.1, s.staffReplyShare() + 0.1);
            System.out.printf("week %2d: threads %3d responded %.2f staff %.2f programmed %d sources %s "
                    + "reciprocity28d %.3f%n", w, week.threads(), week.respondedShare(), week.staffShare(),
                    week.programmed(), week.sources(), reciprocity(weeks, w));
        }
        // Staff never start an ordinary thread, members are never staff: reciprocity comes from peers answering.
        assertThat(reciprocity(weeks, 4)).isLessThan(0.05);
        assertThat(reciprocity(weeks, 12)).isGreaterThan(0.15);
    }

    @Test
    void shouldMakeTheSameEventsForTheSameScriptAndLeaveThePlainGeneratorAlone() throws IOException {
        ActivityScript script = ActivityScript.read(EXAMPLE);
        List<ActivityEvent> first = new SimulatedActivity(script).events().limit(5000).toList();
        assertThat(new SimulatedActivity(script).events().limit(5000).toList()).isEqualTo(first);
        // No random register events in a scripted community: its organisation comes from a register file.
        assertThat(first).noneMatch(e -> e.getType() == EventType.ROLE_GRANTED
                || e.getType() == EventType.POLICY_ACKNOWLEDGED || e.getType() == EventType.TRAINING_COMPLETED);
        SimulationPlan plan = new SimulationPlan(List.of("a", "b"), 100, LocalDate.of(2026, 1, 1), 14, 42, Map.of());
        assertThat(new SimulatedActivity(plan).events()).allMatch(e -> e.getSource() == SourcePlatform.GENERATOR)
                .anyMatch(e -> e.getType() == EventType.ROLE_GRANTED);
    }

    @Test
    void shouldNameTheKeyWhenAScriptIsWrong(@TempDir Path tmp) throws IOException {
        Path unknown = Files.writeString(tmp.resolve("a.yaml"), "communities: [a]\nstart: 2025-01-06\nweeks: 4\n"
                + "phases:\n  - week: 2\n    staff_reply: 0.5\n");
        assertThatThrownBy(() -> ActivityScript.read(unknown)).hasMessageContaining("staff_reply");
        Path late = Files.writeString(tmp.resolve("b.yaml"), "communities: [a]\nstart: 2025-01-06\nweeks: 4\n"
                + "phases:\n  - week: 5\n    unanswered_share: 0.5\n");
        assertThatThrownBy(() -> ActivityScript.read(late)).hasMessageContaining("week must be 1 to 4");
        Path share = Files.writeString(tmp.resolve("c.yaml"), "communities: [a]\nstart: 2025-01-06\nweeks: 4\n"
                + "phases:\n  - week: 1\n    unanswered_share: 1.5\n");
        assertThatThrownBy(() -> ActivityScript.read(share)).hasMessageContaining("shares must be in [0, 1]");
    }

    /** P(first reply within 24 h): the delay is log-normal with the script's median and sigma 1.2. */
    static double withinADay(double medianMinutes) {
        double z = (Math.log(24 * 60) - Math.log(medianMinutes)) / 1.2;
        // Abramowitz and Stegun 7.1.26 for erf, enough for a tolerance of 0.12.
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-x * x);
        return 0.5 * (1 + Math.signum(z) * erf);
    }

    /** Members who both asked and replied over those who did either, in weeks {@code w-3 .. w}. */
    static double reciprocity(List<Week> weeks, int w) {
        Set<String> askers = new HashSet<>();
        Set<String> repliers = new HashSet<>();
        for (int k = Math.max(1, w - 3); k <= w; k++) {
            askers.addAll(weeks.get(k - 1).askers());
            repliers.addAll(weeks.get(k - 1).repliers());
        }
        Set<String> either = new HashSet<>(askers);
        either.addAll(repliers);
        askers.retainAll(repliers);
        return either.isEmpty() ? 0 : askers.size() / (double) either.size();
    }

    static List<Week> weeks(ActivityScript script, List<ActivityEvent> events) {
        Map<String, ActivityEvent> threads = new HashMap<>();
        Map<String, java.time.Instant> firstReply = new HashMap<>();
        for (ActivityEvent e : events) {
            if (e.getType() == EventType.THREAD_CREATED) {
                threads.put(e.getThreadId(), e);
            } else if (e.getType() == EventType.REPLY_CREATED) {
                firstReply.merge(e.getThreadId(), e.getOccurredAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        List<int[]> counts = new ArrayList<>();
        List<Set<SourcePlatform>> sources = new ArrayList<>();
        List<Set<String>> askers = new ArrayList<>();
        List<Set<String>> repliers = new ArrayList<>();
        for (int w = 0; w < script.weeks(); w++) {
            counts.add(new int[5]);
            sources.add(new TreeSet<>());
            askers.add(new HashSet<>());
            repliers.add(new HashSet<>());
        }
        for (ActivityEvent e : events) {
            int w = (int) (ChronoUnit.DAYS.between(script.start(), e.getOccurredAt().atZone(ZoneOffset.UTC)
                    .toLocalDate()) / 7);
            sources.get(w).add(e.getSource());
            int[] c = counts.get(w);
            if (e.getType() == EventType.THREAD_CREATED) {
                c[0]++;
                java.time.Instant reply = firstReply.get(e.getThreadId());
                if (reply != null && Duration.between(e.getOccurredAt(), reply).compareTo(Duration.ofHours(24)) <= 0) {
                    c[1]++;
                }
                if (e.getAttributes().containsKey("kind")) {
                    c[2]++;
                }
                askers.get(w).add(e.getActorId());
            } else if (e.getType() == EventType.REPLY_CREATED) {
                c[3]++;
                if (e.getActorId().contains("-staff-")) {
                    c[4]++;
                }
                repliers.get(w).add(e.getActorId());
            }
        }
        List<Week> out = new ArrayList<>();
        for (int w = 0; w < script.weeks(); w++) {
            int[] c = counts.get(w);
            out.add(new Week(c[0], c[1], c[2], c[3], c[4], sources.get(w), askers.get(w), repliers.get(w)));
        }
        return out;
    }
}
