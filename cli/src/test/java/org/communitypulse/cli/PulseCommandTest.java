package org.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line's own contract: version, exit codes, usage errors, shell completion. */
class PulseCommandTest {

    @Test
    void shouldPrintTheBuildsVersion() {
        String expected = System.getProperty("pulse.expected.version");
        Assumptions.assumeTrue(expected != null, "set by the build (surefire)");

        PulseRun run = PulseRun.of("--version");

        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("Community Pulse " + expected + System.lineSeparator());
        assertThat(PulseVersion.version()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--no-such-option", "no-such-command", "import github --no-such-option",
            "import github --community c", "run --rate many", "replay stackexchange", "completion fish",
            "streams --config"})
    void shouldExitWith64OnAUsageError(String args) {
        PulseRun run = PulseRun.of(args.split(" "));

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.USAGE).isNotEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isNotBlank().doesNotContain("Exception", "\tat ");
    }

    @Test
    void shouldKeepExitCode2ForCouldNotRun(@TempDir Path dir) {
        PulseRun run = PulseRun.of("replay", "github", "--file", dir.resolve("missing.jsonl").toString(),
                "--community", "c", "--out", dir.resolve("out.jsonl").toString());

        assertThat(run.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("no file at");
    }

    @Test
    void shouldListTheExitCodesInEveryCommandsHelp() {
        for (CommandLine command : allCommands(PulseCommand.commandLine())) {
            String help = command.getUsageMessage();
            assertThat(help).as(command.getCommandSpec().qualifiedName())
                    .contains("Exit codes:")
                    .containsPattern("(?m)^  0 +Done\\.")
                    .containsPattern("(?m)^  1 +Done, but some input was rejected")
                    .containsPattern("(?m)^  2 +Could not run")
                    .containsPattern("(?m)^  64 +Usage error");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void shouldCompleteEverySubcommand(String shell) {
        PulseRun run = PulseRun.of("completion", shell);

        assertThat(run.code()).isZero();
        String script = run.out();
        assertThat(script).contains("complete -F _complete_pulse", "ZSH_VERSION");
        for (CommandLine command : allCommands(PulseCommand.commandLine())) {
            String name = command.getCommandName();
            assertThat(script).as("names " + command.getCommandSpec().qualifiedName()).containsPattern("\\b" + name + "\\b");
        }
        // Each command's own options, e.g. run's and replay stackexchange's.
        assertThat(script).contains("--kafka-port", "--registry-url", "--out", "--timeout");
    }

    /** The script in a real bash: what `pulse <TAB>`, `pulse im<TAB>` and `pulse replay <TAB>` offer. */
    @Test
    void shouldCompleteInBash(@TempDir Path dir) throws Exception {
        Path bash = Path.of("/bin/bash");
        Assumptions.assumeTrue(Files.isExecutable(bash), "needs bash");
        Path script = dir.resolve("pulse-completion.bash");
        Files.writeString(script, PulseRun.of("completion").out());

        assertThat(complete(bash, script, "pulse", "")).contains("run", "import", "replay", "streams", "completion");
        assertThat(complete(bash, script, "pulse", "im")).containsExactly("import");
        assertThat(complete(bash, script, "pulse", "replay", "")).contains("stackexchange", "github", "slack");
        assertThat(complete(bash, script, "pulse", "run", "--kafka")).containsExactly("--kafka-port");
    }

    private static List<String> complete(Path bash, Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append('\'').append(w).append("' ");
        }
        String program = "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_pulse; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"";
        // Outside an interactive completion bash's compopt complains on stderr; only the offers matter.
        Process process = new ProcessBuilder(bash.toString(), "-c", program)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> offered = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                offered.add(line.trim());
            }
        }
        return offered;
    }

    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            all.addAll(allCommands(sub));
        }
        return all;
    }
}
