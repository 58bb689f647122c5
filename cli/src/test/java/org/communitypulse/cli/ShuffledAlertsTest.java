package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.communitypulse.schemas.Topics;
import org.communitypulse.schemas.avro.ActivityEvent;
import org.communitypulse.schemas.avro.Alert;
import org.communitypulse.schemas.registry.InMemorySchemaRegistryClient;
import org.communitypulse.schemas.serde.AvroSerdes;
import org.communitypulse.streams.AlertGate;
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
 * Alerts as order-insensitive as the metrics, through the whole topology as {@code pulse replay} runs it: the gate
 * closed while the history goes in (the punctuators emitting what they can meanwhile), opened once every event is
 * processed, before the last records are emitted. A generated history where every condition fires, in time order and
 * shuffled with 5 % duplicates on three seeds, must give each AlertKey the same FIRING/RESOLVED sequence.
 */
class ShuffledAlertsTest {

    private static final int DAYS = 240;
    /** Events between two punctuations while the history goes in. */
    private static final int EVENTS_PER_PUNCTUATION = 4_000;
    private static final Duration EMIT = EngagementSettings.defaults().emitInterval();

    @TempDir
    Path state;

    @Test
    void shouldGiveEveryAlertKeyTheSameSequenceWhateverTheOrderOfTheEvents() {
        List<ActivityEvent> events = ShuffledHistories.inTimeOrder(ShuffledHistories.generated(DAYS));
        Map<String, List<String>> ordered = ShuffledHistories.sequences(replay(events, "ordered"));
        long records = ordered.values().stream().mapToLong(List::size).sum();
        System.out.printf("%d events, %d alert records over %d keys%n", events.size(), records, ordered.size());
        for (String condition : List.of("NO_ACTIVITY", "BELOW_BASELINE", "HEALTH_AT_RISK", "BACKLOG_GROWING",
                "REQUIRED_ROLE_VACANT")) {
            assertThat(ordered.keySet()).as("keys with records").anyMatch(k -> k.endsWith("/" + condition));
        }
        for (long seed = 1; seed <= 3; seed++) {
            List<ActivityEvent> shuffled = ShuffledHistories.shuffledWithDuplicates(events, seed, 0.05);
            List<String> differences = ShuffledHistories.differences(ordered,
                    ShuffledHistories.sequences(replay(shuffled, "seed-" + seed)));
            if (!differences.isEmpty()) {
                fail("seed %d: %d of %d keys differ:%n%s", seed, differences.size(), ordered.size(),
                        String.join(System.lineSeparator(), differences));
            }
        }
    }

    /** The alerts topic after a replay of {@code events} in the order given. */
    private List<Alert> replay(List<ActivityEvent> events, String name) {
        AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient(), true);
        Topics topics = new Topics("shuffled.", serdes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "shuffled-alerts-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.resolve(name).toString());
        Clock clock = Clock.fixed(ShuffledHistories.START.plusDays(DAYS + 1).atStartOfDay().toInstant(ZoneOffset.UTC),
                ZoneOffset.UTC);
        AlertGate gate = AlertGate.closed();
        try (TopologyTestDriver driver = new TopologyTestDriver(PulseTopology.build(topics, serdes,
                PulseSettings.of(new IntakeSettings(Optional.empty(), Duration.ofDays(1)), EngagementSettings.defaults(),
                        AlertSettings.defaults().withWallClock(false), RolesModel.defaults())
                        .withHooks(RuntimeHooks.defaults().withClock(clock).withGate(gate))), props)) {
            TestInputTopic<String, ActivityEvent> in = driver.createInputTopic(topics.activity().name(),
                    topics.activity().keySerde().serializer(), topics.activity().valueSerde().serializer());
            int n = 0;
            for (ActivityEvent e : events) {
                in.pipeInput(e.getCommunityId(), e);
                // The first punctuation may come after a handful of events: what is "first" then depends on the order.
                if (++n % EVENTS_PER_PUNCTUATION == 0 || n == 50) {
                    driver.advanceWallClockTime(EMIT);
                }
            }
            // As ReplayRunner: the gate opens once every input is processed, whatever is still to be emitted.
            gate.open();
            for (int i = 0; i < 4; i++) {
                driver.advanceWallClockTime(EMIT);
            }
            return driver.createOutputTopic(topics.alerts().name(), topics.alerts().keySerde().deserializer(),
                    topics.alerts().valueSerde().deserializer()).readValuesToList();
        }
    }
}
