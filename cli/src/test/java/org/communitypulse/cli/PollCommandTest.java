package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code pulse poll discourse} refuses before it touches Kafka or the forum. */
class PollCommandTest {

    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        CommandLine commandLine = PulseCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldRefuseAnIntervalBelowOneSecondAsAUsageError() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "k");
        StringWriter err = new StringWriter();
        int exit = run(err, "poll", "discourse", "--url", "https://forum.example", "--community", "forum",
                "--api-key-file", key.toString(), "--interval", "0", "--state-dir", dir.toString());
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--interval must be at least 1 second");
    }

    @Test
    void shouldNameTheEmptyKeyFileAndNotStart() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "\n");
        int exit = run(new StringWriter(), "poll", "discourse", "--url", "https://forum.example", "--community",
                "forum", "--api-key-file", key.toString(), "--state-dir", dir.toString());
        assertThat(exit).isEqualTo(ExitCodes.FAILED);
        assertThat(dir.resolve("discourse-forum.offsets.json")).doesNotExist();
    }

    @Test
    void shouldRefuseReconcileDaysWithoutReconcileOnlyAsAUsageError() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "k");
        StringWriter err = new StringWriter();
        int exit = run(err, "poll", "discourse", "--url", "https://forum.example", "--community", "forum",
                "--api-key-file", key.toString(), "--reconcile-days", "3", "--state-dir", dir.toString());
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--reconcile-days needs --reconcile-only");
    }

    @Test
    void shouldRefuseAReconcileWindowOfNoDaysAsAUsageError() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "k");
        StringWriter err = new StringWriter();
        int exit = run(err, "poll", "discourse", "--url", "https://forum.example", "--community", "forum",
                "--api-key-file", key.toString(), "--reconcile-only", "--reconcile-days", "0",
                "--state-dir", dir.toString());
        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--reconcile-days must be at least 1");
    }
}
