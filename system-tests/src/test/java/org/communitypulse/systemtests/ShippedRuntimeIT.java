package org.communitypulse.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.communitypulse.cli.ExitCodes;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ships (target/lib, copied into the Docker image) holds no test kit, no JUnit and no broker, and
 * the command works from it alone: every command but run and replay, and those two fail with one clear
 * line instead of a NoClassDefFoundError when they would need the embedded stack.
 */
class ShippedRuntimeIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    @BeforeAll
    static void packaged() {
        Assumptions.assumeTrue(PulseProcess.packaged(), "needs cli/target/pulse.jar, lib, lib-embedded (failsafe runs after package)");
    }

    @Test
    void shouldShipNoTestKitJUnitOrBrokerInLib() throws IOException {
        List<String> lib = jars(PulseProcess.TARGET.resolve("lib"));
        List<String> embedded = jars(PulseProcess.TARGET.resolve("lib-embedded"));

        assertThat(lib).isNotEmpty().contains("kafka-clients-4.3.1.jar", "kafka-streams-4.3.1.jar")
                .noneMatch(jar -> jar.startsWith("kafka-test-common"))
                .noneMatch(jar -> jar.startsWith("junit") || jar.startsWith("opentest4j"))
                .noneMatch(jar -> jar.startsWith("kafka_2.13") || jar.startsWith("kafka-server")
                        || jar.startsWith("kafka-raft") || jar.startsWith("kafka-metadata")
                        || jar.startsWith("kafka-storage") || jar.startsWith("scala-"))
                .noneMatch(jar -> jar.startsWith("pulse-embedded"));
        assertThat(embedded).anyMatch(jar -> jar.startsWith("pulse-embedded"))
                .anyMatch(jar -> jar.startsWith("kafka-test-common-runtime"))
                .anyMatch(jar -> jar.startsWith("kafka_2.13"))
                .as("nothing twice").doesNotContainAnyElementsOf(lib);
    }

    @Test
    void shouldRunEveryOtherCommandFromLibAlone() throws Exception {
        for (String command : List.of("--help", "import --help", "import github --help", "streams --help",
                "generate --help", "webhooks --help", "alerts --help", "identity --help", "completion")) {
            try (PulseProcess pulse = PulseProcess.start(false, Map.of(), command.split(" "))) {
                assertThat(pulse.awaitExit(COMMAND_TIMEOUT)).as(command + ":\n" + pulse.output()).isZero();
                assertThat(pulse.output()).doesNotContain("Exception", "Error:");
            }
        }
        try (PulseProcess pulse = PulseProcess.start(false, Map.of(), "import", "--help")) {
            pulse.awaitExit(COMMAND_TIMEOUT);
            assertThat(pulse.output()).contains("Usage: pulse import", "stackexchange", "Exit codes:");
        }
    }

    @Test
    void shouldPrintTheBuildsVersionFromTheJar() throws Exception {
        String expected = System.getProperty("pulse.expected.version");
        Assumptions.assumeTrue(expected != null, "set by the build (failsafe)");
        try (PulseProcess pulse = PulseProcess.start(false, Map.of(), "--version")) {
            assertThat(pulse.awaitExit(COMMAND_TIMEOUT)).isZero();
            assertThat(pulse.lines()).first().isEqualTo("Community Pulse " + expected);
        }
    }

    @Test
    void shouldSayClearlyThatRunAndReplayNeedTheEmbeddedStack(@TempDir Path dir) throws Exception {
        Path events = Files.writeString(dir.resolve("events.jsonl"), "");
        try (PulseProcess run = PulseProcess.start(false, Map.of(), "run", "--data-dir", dir.resolve("data").toString(),
                "--duration", "1");
             PulseProcess replay = PulseProcess.start(false, Map.of(), "replay", "github", "--file", events.toString(),
                     "--community", "c", "--out", dir.resolve("out.jsonl").toString())) {
            assertThat(run.awaitExit(COMMAND_TIMEOUT)).as(run.output()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.output()).contains("pulse run failed: pulse run without --bootstrap-servers",
                    "not on the class path", "PULSE_BOOTSTRAP_SERVERS")
                    .doesNotContain("NoClassDefFoundError", "Exception", "\tat ");
            assertThat(replay.awaitExit(COMMAND_TIMEOUT)).as(replay.output()).isEqualTo(ExitCodes.FAILED);
            assertThat(replay.output()).contains("pulse replay failed: pulse replay needs the embedded Kafka broker")
                    .doesNotContain("NoClassDefFoundError", "Exception", "\tat ");
        }
    }

    private static List<String> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }
}
