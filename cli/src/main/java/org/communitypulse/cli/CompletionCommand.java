package org.communitypulse.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pulse completion [bash|zsh]}: prints the completion script picocli generates from the command
 * tree, so it never lags behind a new subcommand or option. One script serves both shells: it loads
 * zsh's bash-completion emulation itself when run by zsh.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for pulse (subcommands and options).",
                "bash: source <(pulse completion bash)    (e.g. in ~/.bashrc)",
                "zsh:  source <(pulse completion zsh)     (e.g. in ~/.zshrc)"})
final class CompletionCommand implements Runnable {

    enum Shell { bash, zsh }

    @Parameters(index = "0", arity = "0..1", defaultValue = "bash", paramLabel = "SHELL",
            description = "bash or zsh. Default: ${DEFAULT-VALUE}.")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
    }
}
