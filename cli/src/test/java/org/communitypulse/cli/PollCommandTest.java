package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code pulse poll <platform>} refuses before it touches Kafka or the platform. */
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
    void shouldRefuseAnIntervalBelowOneSecondAsAUsageErrorForEveryPlatform() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t");
        for (String[] platform : new String[][] {
                {"slack", "--channels", "C0ONE", "--token-file", token.toString()},
                {"github", "--repo", "octo/hello", "--token-file", token.toString()}}) {
            StringWriter err = new StringWriter();
            String[] args = new String[platform.length + 7];
            args[0] = "poll";
            System.arraycopy(platform, 0, args, 1, platform.length);
            System.arraycopy(new String[] {"--community", "c", "--interval", "0", "--state-dir", dir.toString()},
                    0, args, platform.length + 1, 6);
            assertThat(run(err, args)).as(platform[0]).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).as(platform[0]).contains("--interval must be at least 1 second");
        }
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
