package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.ingest.generator.SimulatedActivity;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.avro.AlertCondition;
import org.communitypulse.schemas.avro.AlertSeverity;
import org.communitypulse.schemas.avro.AlertState;
import org.communitypulse.schemas.avro.EventType;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.PulseSettings;
import org.communitypulse.streams.PulseTopology;
import org.communitypulse.streams.RuntimeHooks;
import org.communitypulse.streams.alerts.AlertSettings;
import org.communitypulse.streams.engagement.EngagementSettings;
import org.communitypulse.streams.intake.IntakeSettings;
import org.communitypulse.streams.roles.RolesModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The noise budget (docs/alerts.md): a year of generated communities through the whole topology with the default
 * alert settings, FIRING records counted per community-month. A healthy community gets at most one WARNING a month
 * and no CRITICAL; a stalling one is caught by NO_ACTIVITY within its first silent week and stays alerted.
 */
class GeneratedAlertNoiseTest {

    private static final LocalDate START = LocalDate.of(2025, 1, 6);
    private static final int DAYS = 365;
    /** The stalling community (the generator's stall plan, its default fade before it) has no activity from this day on. */
    static final LocalDate STALL = START.plusDays(240);
    /** The slipping community loses a growing share of its threads from here ... */
    private static final LocalDate SLIP_FROM = START.plusDays(150);
    /** ... up to two thirds of them from here on. */
    private static final LocalDate SLIP_TO = START.plusDays(240);
    private static final SimulationPlan PLAN = new SimulationPlan(List.of("healthy", "slipping", "stalling"), 300,
            START, DAYS, 42, Map.of("stalling", STALL));

    /** One run of {@link #PLAN} serves every test of this class (the run takes most of the class's time). */
    @TempDir
    static Path state;
    private static Run defaultRun;

    private static synchronized Run defaultRun() {
        if (defaultRun == null) {
            defaultRun = run(state);
        }
        return defaultRun;
    }

    /**
     * The slipping community: the generator has no such plan, so its history is the generator's with a growing share
     * of threads (and their replies) left out, chosen by thread id, from nothing at SLIP_FROM to two thirds at SLIP_TO.
     */
    static Predicate<ActivityEvent> slipping() {
        return e -> {
            if (!e.getCommunityId().equals("slipping") || e.getType() != EventType.THREAD_CREATED) {
                return true;
            }
            String thread = e.getThreadId();
            // The thread's start day decides; run() leaves the replies of a left-out thread out too.
            long day = e.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
            double dropShare = Math.min(2.0 / 3, Math.max(0, (day - SLIP_FROM.toEpochDay())
                    / (double) (SLIP_TO.toEpochDay() - SLIP_FROM.toEpochDay()) * 2 / 3));
            return Math.floorMod(thread.hashCode(), 1000) >= dropShare * 1000;
        };
    }

    /** The alerts topic of the run, its noise figures and each community's last day with a thread or reply. */
    record Run(AlertNoise noise, List<Alert> alerts, Map<String, LocalDate> lastActive) { }

    static Run run(Path state) {
        return run(state, PLAN, slipping(), AlertSettings.defaults());
    }

    /**
     * The plan's events through the whole topology (replay clock, wall clock past the window), those {@code keep}
     * refuses left out (a refused thread takes its replies along), with {@code settings}.
     */
    static Run run(Path state, SimulationPlan plan, Predicate<ActivityEvent> keep, AlertSettings settings) {
        java.util.Set<String> dropped = new java.util.HashSet<>();
        List<Alert> alerts = new java.util.ArrayList<>();
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("noise.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "generated-alert-noise-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        Clock clock = Clock.fixed(plan.end().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        AlertNoise noise = new AlertNoise();
        Map<String, LocalDate> lastActive = new java.util.TreeMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)),
                        EngagementSettings.defaults(), settings.withWallClock(false), RolesModel.defaults())
                        .withHooks(RuntimeHooks.defaults().withClock(clock))), props)) {
            TestInputTopic<String, ActivityEvent> in = driver.createInputTopic(topics.activity().name(),
                    topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
            new SimulatedActivity(plan).events().forEach(e -> {
                if (!keep.test(e) || e.getType() != EventType.THREAD_CREATED && e.getThreadId() != null
                        && dropped.contains(e.getThreadId())) {
                    if (e.getType() == EventType.THREAD_CREATED) {
                        dropped.add(e.getThreadId());
                    }
                    return;
                }
                in.pipeInput(e.getCommunityId(), e);
                if (e.getType() == EventType.THREAD_CREATED || e.getType() == EventType.REPLY_CREATED) {
                    LocalDate day = e.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate();
                    noise.activeDay(e.getCommunityId(), day);
                    lastActive.merge(e.getCommunityId(), day, (a, b) -> a.isAfter(b) ? a : b);
                }
            });
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            driver.createOutputTopic(topics.alerts().name(), topics.alerts().keySerde().deserializer(),
                    topics.alerts().valueSerde().deserializer()).readValuesToList().forEach(a -> {
                        noise.alert(a);
                        alerts.add(a);
                    });
        }
        return new Run(noise, alerts, lastActive);
    }

    @Test
    void shouldKeepAHealthyCommunityQuietAndCatchAStallingOneWithinItsFirstSilentWeek() {
        Run run = defaultRun();
        AlertNoise noise = run.noise();
        System.out.println(noise.render());
        run.alerts().forEach(a -> System.out.println(a.getCommunityId() + " " + a.getCondition() + " " + a.getState() + " "
                + a.getSince() + " " + a.getDay() + " " + a.getEvidence()));

        double healthyWarnings = 0;
        for (AlertCondition condition : AlertCondition.values()) {
            healthyWarnings += condition == AlertCondition.NO_ACTIVITY ? 0 : noise.perMonth("healthy", condition);
        }
        assertThat(healthyWarnings).as("WARNING alerts per month of the healthy community").isLessThanOrEqualTo(1.0);
        assertThat(noise.firing("healthy", AlertCondition.NO_ACTIVITY)).isZero();
        // Every alert that can be re-baselined ends within its documented bound (7 x alert.rebaseline.max.weeks
        // days), except a stalled community's BELOW_BASELINE: silence is never re-baselined.
        long bound = 7L * AlertSettings.DEFAULT_REBASELINE_MAX_WEEKS;
        for (String community : List.of("healthy", "slipping", "stalling")) {
            for (AlertCondition condition : List.of(AlertCondition.BELOW_BASELINE, AlertCondition.BACKLOG_GROWING,
                    AlertCondition.SLOW_FIRST_RESPONSE)) {
                if (!(community.equals("stalling") && condition == AlertCondition.BELOW_BASELINE)) {
                    assertThat(noise.longestDays(community, condition)).as("%s %s", community, condition)
                            .isLessThanOrEqualTo(bound);
                }
            }
        }
        // The slipping community is noticed: its decline fires BELOW_BASELINE.
        assertThat(run.alerts()).anyMatch(a -> a.getCommunityId().equals("slipping")
                && a.getCondition() == AlertCondition.BELOW_BASELINE && a.getState() == AlertState.FIRING
                && !a.getSince().isBefore(SLIP_FROM));

        List<Alert> stalled = run.alerts().stream().filter(a -> a.getCommunityId().equals("stalling")
                && a.getCondition() == AlertCondition.NO_ACTIVITY).toList();
        assertThat(stalled).isNotEmpty();
        Alert last = stalled.get(stalled.size() - 1);
        assertThat(last.getState()).isEqualTo(AlertState.FIRING);
        assertThat(last.getSeverity()).isEqualTo(AlertSeverity.CRITICAL);
        // Caught within its first silent week: the fade thins the last days to a post now and then, so the silence
        // that lasts starts on the day after the last post, which may come before the stall day.
        LocalDate lastPost = run.lastActive().get("stalling");
        assertThat(lastPost).isBefore(STALL);
        assertThat(last.getSince()).isEqualTo(lastPost.plusDays(1));
        assertThat(last.getDay()).isBetween(lastPost.plusDays(1), lastPost.plusDays(7));
    }

    /** ACTIVITY_DECLINING (docs/alerts.md) on the same run: never for the healthy community, once ahead of the stall. */
    @Test
    void shouldKeepTheHealthyCommunityFreeOfEarlyWarningsAndWarnOfTheStallingOne() {
        Run run = defaultRun();
        AlertNoise noise = run.noise();
        for (String community : List.of("healthy", "slipping", "stalling")) {
            System.out.printf("%s: ACTIVITY_DECLINING %.2f a month (%d, longest %d d)%n", community,
                    noise.perMonth(community, AlertCondition.ACTIVITY_DECLINING),
                    noise.firing(community, AlertCondition.ACTIVITY_DECLINING),
                    noise.longestDays(community, AlertCondition.ACTIVITY_DECLINING));
        }
        assertThat(noise.firing("healthy", AlertCondition.ACTIVITY_DECLINING)).isZero();
        // One warning for the one stall, at least a week ahead of the silence.
        assertThat(noise.firing("stalling", AlertCondition.ACTIVITY_DECLINING)).isEqualTo(1);
        assertThat(GeneratedEarlyWarningTest.leadDays(run.alerts(), "stalling",
                STALL.minusDays(SimulationPlan.DEFAULT_STALL_FADE_DAYS))).isGreaterThanOrEqualTo(7);
    }
}
