package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.Map;
import org.communitypulse.ingest.generator.SimulationPlan;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GenerateCommandTest {

    private static GenerateCommand parse(String... args) {
        GenerateCommand generate = new GenerateCommand();
        new CommandLine(generate).parseArgs(args);
        return generate;
    }

    @Test
    void shouldFadeAStallOverFiveWeeksUnlessTheFadeIsGiven() {
        SimulationPlan plan = parse("--stall", "community-2@2026-01-20").plan();
        assertThat(plan.stalls()).isEqualTo(Map.of("community-2", LocalDate.parse("2026-01-20")));
        assertThat(plan.stallFadeDays()).isEqualTo(SimulationPlan.DEFAULT_STALL_FADE_DAYS).isEqualTo(35);

        assertThat(parse("--stall", "community-2@2026-01-20", "--stall-fade-days", "7").plan().stallFadeDays())
                .isEqualTo(7);
    }

    @Test
    void shouldRefuseAFadeOutsideItsRangeWithOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine line = PulseCommand.commandLine();
        line.setErr(new PrintWriter(err));
        int code = line.execute("generate", "--stall", "community-2@2026-01-20", "--stall-fade-days", "0",
                "--bootstrap-servers", "127.0.0.1:1");
        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("stall fade must be 1 to 366 days but was 0");
    }

    @Test
    void shouldRefuseAScriptWithStallOrOrganisationAndAMissingScriptWithOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine line = PulseCommand.commandLine();
        line.setErr(new PrintWriter(err));
        int code = line.execute("generate", "--script", "../examples/maturity-year/script.yaml", "--organisation",
                "--bootstrap-servers", "127.0.0.1:1");
        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("--script cannot be combined with --stall or --organisation");

        StringWriter missing = new StringWriter();
        CommandLine other = PulseCommand.commandLine();
        other.setErr(new PrintWriter(missing));
        assertThat(other.execute("generate", "--script", "no-such-script.yaml", "--bootstrap-servers", "127.0.0.1:1"))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(missing.toString()).contains("no-such-script.yaml");
    }
}
