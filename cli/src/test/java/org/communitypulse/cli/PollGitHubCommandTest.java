package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse poll github} refuses bad settings before connecting anywhere, with a message and exit code 2. */
class PollGitHubCommandTest {

    private record Outcome(int exit, String err) {
    }

    private static Outcome run(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = PulseCommand.commandLine();
            cli.setErr(new PrintWriter(new StringWriter()));
            int exit = cli.execute(args);
            return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    /** A usage error's message goes to picocli's err writer, not System.err. */
    private static Outcome usage(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = PulseCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Outcome(exit, err.toString());
    }

    @Test
    void shouldFailClearlyWhenTokenFileUnreadable(@TempDir Path dir) {
        Outcome outcome = run("poll", "github", "--repo", "octo-org/octo-repo", "--community", "octo",
                "--token-file", dir.resolve("missing").toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).contains("github.token.file").contains("cannot be read");
    }

    @Test
    void shouldFailClearlyWhenRepositoryMalformed(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        String secret = "ghp_cli0123456789abcdefghijklmnopqrstuv";
        Files.writeString(token, secret);
        Outcome outcome = run("poll", "github", "--repo", "not a repo", "--community", "octo",
                "--token-file", token.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).contains("owner/repo").doesNotContain(secret);
    }

    @Test
    void shouldListOptionsWhenHelpRequested() {
        StringWriter out = new StringWriter();
        CommandLine cli = PulseCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.execute("poll", "github", "--help");
        assertThat(out.toString()).contains("--repo").contains("GITHUB_TOKEN").contains("--since")
                .contains("--once").contains("--reconcile-only").contains("--reconcile-days");
    }

    @Test
    void shouldRefuseReconcileDaysWithoutReconcileOnlyAsAUsageError(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t");
        Outcome outcome = usage("poll", "github", "--repo", "octo-org/octo-repo", "--community", "octo",
                "--token-file", token.toString(), "--reconcile-days", "3", "--state-dir", dir.toString());
        assertThat(outcome.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(outcome.err()).contains("--reconcile-days needs --reconcile-only");
        assertThat(dir.resolve("github-octo.offsets.json")).doesNotExist();
    }

    @Test
    void shouldRefuseAReconcileWindowOfNoDaysAsAUsageError(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t");
        Outcome outcome = usage("poll", "github", "--repo", "octo-org/octo-repo", "--community", "octo",
                "--token-file", token.toString(), "--reconcile-only", "--reconcile-days", "0",
                "--state-dir", dir.toString());
        assertThat(outcome.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(outcome.err()).contains("--reconcile-days must be at least 1");
    }
}
