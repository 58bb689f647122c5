package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PollSlackCommandTest {

    @Test
    void shouldExitTwoNamingBothWaysWhenNoTokenIsGiven() {
        Assumptions.assumeTrue(System.getenv("PULSE_SLACK_TOKEN") == null, "a token is set in this environment");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = PulseCommand.commandLine().execute("poll", "slack", "--channels", "C0ONE", "--community", "w");
        } finally {
            System.setErr(before);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--token-file")
                .contains("PULSE_SLACK_TOKEN");
    }

    @Test
    void shouldRefuseReconcileDaysBelowOneAsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = PulseCommand.commandLine().execute("poll", "slack", "--channels", "C0ONE", "--community", "w",
                    "--reconcile-only", "--reconcile-days", "0");
        } finally {
            System.setErr(before);
        }
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--reconcile-days must be at least 1");
    }

    @Test
    void shouldParseEveryOptionWhenGiven(@TempDir Path dir) {
        CommandLine line = PulseCommand.commandLine();
        StringWriter out = new StringWriter();
        line.setOut(new PrintWriter(out));
        CommandLine.ParseResult parsed = line.parseArgs("poll", "slack", "--channels", "C0ONE,C0TWO",
                "--community", "w", "--token-file", dir.resolve("t").toString(), "--api-url", "http://127.0.0.1:1/api/",
                "--lookback-hours", "6", "--thread-window-hours", "12", "--skip-members", "--interval", "30",
                "--state-dir", dir.toString(), "--once", "--reconcile-only", "--reconcile-days", "3");
        PollCommand.Slack slack = (PollCommand.Slack) parsed.subcommand().subcommand().commandSpec().userObject();

        assertThat(slack.channels).containsExactly("C0ONE", "C0TWO");
        assertThat(slack.lookbackHours).isEqualTo(6);
        assertThat(slack.threadWindowHours).isEqualTo(12);
        assertThat(slack.skipMembers).isTrue();
        assertThat(slack.poll.intervalSeconds).isEqualTo(30);
        assertThat(slack.poll.once).isTrue();
        assertThat(slack.reconcile.reconcileOnly).isTrue();
        assertThat(slack.reconcile.reconcileDays).isEqualTo(3);
    }
}
